"""Follow-ups: things a colleague promised to do for an office, with a due date and an owner."""
