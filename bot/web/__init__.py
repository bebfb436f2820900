"""The embeddable web widget (static ``widget.js`` and ``widget.css``, served by
``bot.channels.socketio``) and the demo host page (``demo_site``)."""
