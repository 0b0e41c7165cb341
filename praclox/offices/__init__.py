"""Offices (clients and prospects), contacts and the history of every contact moment."""
