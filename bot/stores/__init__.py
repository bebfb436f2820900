"""Rasa stores the project configures in endpoints.yml: the conversation store (privacy-aware)
and, for several replicas, an atomic lock store."""
