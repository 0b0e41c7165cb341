"""The activity timeline: what happened across all offices, newest first."""
