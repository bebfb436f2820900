"""Running the bot in production: several Rasa replicas and action servers on PostgreSQL and Redis.

- ``settings``: everything comes from environment variables (one list, documented in
  ``docs/deploiement.md``); without them the bot stays embedded (SQLite, in-memory lock).
- ``launcher`` (``python -m bot.production``): starts a Rasa replica or an action server with
  those settings, through ``python -m bot.rasa`` (the patched Rasa of ``bot.rasa_patches``).
- ``health``: what ``GET /health`` reports (database, Redis, action server), in French and JSON.
"""
