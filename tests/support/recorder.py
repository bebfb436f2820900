"""A local stand-in for the Graph API and Twilio's REST API: it records every request it gets.

The bot's channels are pointed at it (``GRAPH_API_URL``, ``TWILIO_API_URL``), so tests read the
exact JSON or form the bot would have sent to Meta or Twilio, and nothing leaves the machine.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


class Recorder:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.delay = 0.0  # seconds between recording a request and answering it: a slow platform
        self._changed = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with recorder._changed:
                    recorder.requests.append(Recorded("POST", self.path, dict(self.headers), body))
                    recorder._changed.notify_all()
                time.sleep(recorder.delay)
                twilio = self.path.endswith("/Messages.json")
                answer = {"sid": f"SM{len(recorder.requests):032d}"} if twilio else {"message_id": "m.1"}
                data = json.dumps(answer).encode()
                try:
                    self.send_response(201 if twilio else 200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped waiting: what a send timeout test wants

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def wait_for(self, predicate: Callable[[Recorded], bool], count: int = 1, timeout: float = 30) -> list[Recorded]:
        """The matching requests once there are at least ``count`` of them."""
        with self._changed:
            self._changed.wait_for(lambda: len([r for r in self.requests if predicate(r)]) >= count, timeout)
            found = [r for r in self.requests if predicate(r)]
        if len(found) < count:
            raise AssertionError(f"{len(found)} matching request(s) after {timeout} s, {count} expected")
        return found

    def matching(self, predicate: Callable[[Recorded], bool]) -> list[Recorded]:
        with self._changed:
            return [r for r in self.requests if predicate(r)]


@contextmanager
def running_recorder() -> Iterator[Recorder]:
    recorder = Recorder()
    thread = threading.Thread(target=recorder.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        recorder.server.shutdown()
        recorder.server.server_close()
