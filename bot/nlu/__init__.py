"""Rasa NLU components of the project (registered in config.yml)."""
