"""The demo host page: a page of the regional orientation site, on another origin than the bot.

``make run`` serves ``bot/web/demo/`` on port 8080 so that anyone can see the one-line snippet
work across origins; the browser tests serve it the same way. Pages are sent with a strict
Content-Security-Policy (no inline script, no eval, only the bot's origin besides the page's
own), which is what a careful public site sends and what the widget must live with.

    python -m bot.web.demo_site --port 8080 --bot http://localhost:5005
"""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEMO_DIR = Path(__file__).resolve().parent / "demo"
# The bot's address as written in the demo pages; replaced by the real one when served.
SNIPPET_BOT_URL = "http://localhost:5005"


def content_security_policy(bot_url: str) -> str:
    bot = urlsplit(bot_url)
    socket_scheme = "wss" if bot.scheme == "https" else "ws"
    origin = f"{bot.scheme}://{bot.netloc}"
    return (
        f"default-src 'self'; script-src 'self' {origin}; style-src 'self' {origin}; "
        f"connect-src 'self' {origin} {socket_scheme}://{bot.netloc}; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


class DemoHandler(SimpleHTTPRequestHandler):
    """Static files of ``bot/web/demo``, the pages pointing at the configured bot."""

    def __init__(self, *args: Any, bot_url: str, **kwargs: Any) -> None:
        self.bot_url = bot_url.rstrip("/")
        super().__init__(*args, directory=str(DEMO_DIR), **kwargs)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", content_security_policy(self.bot_url))
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        page = DEMO_DIR / ("index.html" if path in ("", "/") else path.lstrip("/"))
        if page.suffix != ".html" or not page.is_file() or page.resolve().parent != DEMO_DIR:
            super().do_GET()
            return
        body = page.read_text(encoding="utf-8").replace(SNIPPET_BOT_URL, self.bot_url).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: `make run` prints where to look, the tests have their own reports."""


def make_server(bot_url: str, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), partial(DemoHandler, bot_url=bot_url))


@contextmanager
def demo_site(bot_url: str, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the demo pages in a thread; yields the site's base URL."""
    server = make_server(bot_url, host, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Page de démonstration du widget du bot SPRO.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--bot", default=os.environ.get("SPRO_PUBLIC_URL", SNIPPET_BOT_URL))
    args = parser.parse_args()
    make_server(args.bot, args.host, args.port).serve_forever()


if __name__ == "__main__":
    main()
