"""One encrypted file store for every domain: the bytes in the database, where every app host reaches them."""
