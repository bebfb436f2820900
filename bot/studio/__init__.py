"""The editors' studio: a French, accessible web application to teach the bot without Python.

Editors add intents and examples, review real messages the bot did not understand, train,
evaluate and publish a model (``python -m bot studio``, see ``docs/editeurs.md``). Each concern
has its module: ``accounts`` and ``security`` (who may do what), ``project`` and ``checks`` (the
Rasa files, read and written without losing comments), ``inbox``, ``training``, ``publish``,
``history``; ``app`` only wires them to routes.
"""
