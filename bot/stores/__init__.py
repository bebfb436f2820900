"""Rasa stores the project configures in endpoints.yml: the conversation store (privacy-aware)
and, for several replicas, an atomic lock store; with the conversation store's reading
(``events``) and retention (``retention``), which need no Rasa import."""
