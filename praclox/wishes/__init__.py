"""Open wishes: the feature requests offices ask us for, kept per office."""
