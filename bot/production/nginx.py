"""The nginx configuration of a deployment, from ``config/nginx/spro.conf`` and a list of servers."""

from __future__ import annotations

from collections.abc import Sequence

from bot.paths import ROOT

TEMPLATE = ROOT / "config" / "nginx" / "spro.conf"


def render(
    rasa: Sequence[str],
    actions: Sequence[str],
    listen: str = "80",
    actions_listen: str = "127.0.0.1:5055",
    origins: Sequence[str] = (),
    access_log: str = "/var/log/nginx/spro-access.log",
) -> str:
    """``rasa`` and ``actions`` are ``host:port`` addresses; ``origins`` the sites allowed to
    open the widget (``https://www.example.fr``)."""
    if not rasa or not actions:
        raise ValueError("at least one Rasa replica and one action server are needed")
    # max_fails/fail_timeout: a dead replica is skipped for 10 s, then tried again.
    replacements = {
        "@@RASA_SERVERS@@": "\n".join(f"    server {a} max_fails=1 fail_timeout=10s;" for a in rasa),
        "@@ACTION_SERVERS@@": "\n".join(f"    server {a} max_fails=1 fail_timeout=2s;" for a in actions),
        "@@ALLOWED_ORIGINS@@": "\n".join(f'    "{o}" 1;' for o in origins),
        "@@LISTEN@@": listen,
        "@@ACTIONS_LISTEN@@": actions_listen,
        "@@ACCESS_LOG@@": access_log,
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for placeholder, value in replacements.items():
        text = text.replace(placeholder, value)
    return text
