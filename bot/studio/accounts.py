"""Editor accounts: argon2id password hashes (memory-hard), two roles.

An *editor* changes the training data, trains and publishes a model that is not worse than the
one in service; an *admin* may also publish a model whose macro-F1 dropped, after confirming.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from bot.studio.db import SESSIONS, USERS

ROLES = ("editor", "admin")
ROLE_LABELS = {"editor": "éditeur", "admin": "administrateur"}
MIN_PASSWORD = 12
LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this hash when the login is unknown takes as long as a real check, so the
# response time does not tell which logins exist.
_DUMMY_HASH = _hasher.hash("compte inexistant")


@dataclass(frozen=True)
class User:
    login: str
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


class AccountError(ValueError):
    """A French sentence saying why the account cannot be created."""


def add_user(engine: Engine, login: str, name: str, password: str, role: str = "editor") -> User:
    """Create or replace an account (replacing resets the password and closes its sessions)."""
    if not LOGIN.fullmatch(login):
        raise AccountError(
            "identifiant invalide : lettres minuscules, chiffres, « . », « _ » ou « - », 2 à 64 caractères"
        )
    if role not in ROLES:
        raise AccountError(f"rôle inconnu : {role} (editor ou admin)")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"mot de passe trop court : {MIN_PASSWORD} caractères au moins")
    if not name.strip():
        raise AccountError("le nom est obligatoire : il signe les modifications")
    row = {"name": name.strip(), "role": role, "password_hash": _hasher.hash(password)}
    with engine.begin() as conn:
        if conn.execute(select(USERS.c.login).where(USERS.c.login == login)).first():
            conn.execute(update(USERS).where(USERS.c.login == login).values(**row))
            conn.execute(delete(SESSIONS).where(SESSIONS.c.login == login))
        else:
            conn.execute(insert(USERS).values(login=login, created_at=time.time(), **row))
    return User(login, row["name"], role)


def authenticate(engine: Engine, login: str, password: str) -> User | None:
    """The user when the password matches, else None (in the same time either way)."""
    with engine.connect() as conn:
        row = conn.execute(select(USERS).where(USERS.c.login == login.strip().lower())).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        with engine.begin() as conn:
            conn.execute(update(USERS).where(USERS.c.login == row.login).values(password_hash=_hasher.hash(password)))
    return User(row.login, row.name, row.role)


def get_user(engine: Engine, login: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(USERS).where(USERS.c.login == login)).first()
    return User(row.login, row.name, row.role) if row else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        rows = conn.execute(select(USERS).order_by(USERS.c.login)).all()
    return [User(r.login, r.name, r.role) for r in rows]
