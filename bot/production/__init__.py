"""Running the bot in production: several Rasa replicas and action servers on PostgreSQL and Redis.

- ``settings``: everything comes from environment variables (one list, documented in
  ``docs/deploiement.md``); without them the bot stays embedded (SQLite, in-memory lock).
- ``launcher`` (``python -m bot.production``): starts a Rasa replica or an action server with
  those settings, the safety limits and the fallbacks below.
- ``health``: what ``GET /health`` reports (database, Redis, action server), in French and JSON.
- ``resilience``: the French apology when the action server cannot answer.
- ``hardening``: no version banner, request size limit.
"""
