"""Helpers that start the real servers and talk to them over loopback."""
