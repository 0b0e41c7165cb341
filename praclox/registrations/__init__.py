"""Website registrations: the JSON API, the newsletter with double opt-in, and their retention."""
