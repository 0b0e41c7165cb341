"""Data in and out of the office list: exports (CSV, XLSX, vCard), duplicates and merging them."""
