"""``GET /health`` on the Rasa server: the HTTP side of ``bot.production.health``.

Declared in ``credentials.yml`` like a channel because that is how Rasa 3.6 lets a project add
a route to its server; it also installs the server-wide hardening (``bot.production.hardening``)
once the server exists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.production import hardening, health


class HealthInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "health"

    def url_prefix(self) -> str:
        return "/health"  # absolute: /health, not /webhooks/health

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("spro_health", __name__)

        @blueprint.listener("before_server_start")
        async def harden(app: Any, _: Any) -> None:
            hardening.install(app)

        @blueprint.route("/", methods=["GET"], strict_slashes=False)
        async def report(request: Request) -> HTTPResponse:
            status, body = await health.report(getattr(request.app.ctx, "agent", None))
            return response.json(body, status=status, ensure_ascii=False)

        return blueprint
