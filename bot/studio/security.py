"""Sessions, CSRF and origin checks for the studio.

- The session cookie holds a random token; the database keeps only its SHA-256. The cookie is
  HttpOnly, SameSite=Strict, and Secure whenever the studio is reached over https (directly or
  behind a proxy that says so with ``X-Forwarded-Proto``).
- Every POST must carry the session's CSRF token in a hidden field (for the login form, which has
  no session yet, the token of a short-lived pre-session cookie: double submit), and must not come
  from another site (``Origin``, else ``Sec-Fetch-Site``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from aiohttp import web
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from bot.studio.accounts import User, get_user
from bot.studio.db import SESSIONS

COOKIE = "spro_studio"
LOGIN_COOKIE = "spro_studio_login"
SESSION_SECONDS = 8 * 3600  # a working day; then the editor logs in again


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    token_hash: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_https(request: web.Request) -> bool:
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="Strict", secure=is_https(request)
    )


def open_session(engine: Engine, user: User) -> tuple[str, str]:
    """A new session for ``user``: the cookie's token and the CSRF token."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(delete(SESSIONS).where(SESSIONS.c.expires_at < time.time()))
        conn.execute(
            insert(SESSIONS).values(
                token_hash=_hash(token), login=user.login, csrf=csrf, expires_at=time.time() + SESSION_SECONDS
            )
        )
    return token, csrf


def current_session(engine: Engine, request: web.Request) -> Session | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(SESSIONS).where(SESSIONS.c.token_hash == _hash(token))).first()
    if row is None or row.expires_at < time.time():
        return None
    user = get_user(engine, row.login)
    return Session(user, row.csrf, row.token_hash) if user else None


def close_session(engine: Engine, session: Session) -> None:
    with engine.begin() as conn:
        conn.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == session.token_hash))


def same_site(request: web.Request) -> bool:
    """Whether the request comes from the studio's own pages (not from another web site).

    Browsers send ``Origin`` on every POST; when it is missing (old browsers, some tools),
    ``Sec-Fetch-Site`` decides; a request with neither is accepted only for its CSRF token.
    """
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        scheme = "https" if is_https(request) else request.scheme
        return origin == f"{scheme}://{request.host}"
    if origin == "null":
        return False
    return request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")


def csrf_ok(expected: str | None, submitted: str | None) -> bool:
    return bool(expected and submitted) and hmac.compare_digest(expected, submitted)
