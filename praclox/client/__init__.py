"""The client area: registrants of client offices sign in by e-mail link and read their open wishes."""
