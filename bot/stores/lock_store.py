"""A Redis ticket lock that several Rasa replicas can share safely.

Why not Rasa's ``RedisLockStore``: it reads the whole ticket queue, changes it in Python and writes
it back (``GET`` … ``SET``). Two replicas receiving a message of the same conversation at the same
moment both read the same queue, both take the same ticket number and both process the
conversation at once — the SQL tracker store then loses or duplicates events.

Here every step is one Redis operation or one Lua script, so Redis runs it atomically:

- a ticket number comes from ``INCR`` (never handed out twice);
- each live ticket is its own key with a time to live (``SET … PX``): a replica killed while it
  holds the lock blocks the conversation for at most the ticket lifetime, never forever;
- a ticket may be served when no smaller live ticket of the same conversation exists (the same
  first-come first-served order as Rasa's ``TicketLock``);
- releasing deletes only one's own ticket.

Selected in ``endpoints.yml``::

    lock_store:
      type: bot.stores.lock_store.AtomicRedisLockStore
      url: redis://127.0.0.1:6379/1      # or the environment variable SPRO_REDIS_URL
      key_prefix: spro
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import deque
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

URL_VARIABLE = "SPRO_REDIS_URL"
DEFAULT_URL = "redis://127.0.0.1:6379/1"
# How often a waiting message looks again: Rasa's 1 s would add up to a second to the reply of
# every message that waited, for nothing — one small Redis script is cheap.
POLL_SECONDS = 0.05
SOCKET_TIMEOUT_SECONDS = 2.0

# KEYS: counter, queue. ARGV: lifetime in ms, ticket key prefix.
_ISSUE = """
local number = redis.call('INCR', KEYS[1])
local keep = tonumber(ARGV[1]) * 2
redis.call('PEXPIRE', KEYS[1], keep)
redis.call('ZADD', KEYS[2], number, number)
redis.call('PEXPIRE', KEYS[2], keep)
redis.call('SET', ARGV[2] .. number, '1', 'PX', ARGV[1])
return number
"""
# KEYS: queue. ARGV: ticket, ticket key prefix. Returns -1 when the ticket itself has expired,
# else how many live tickets come before it (0: the caller may go).
_WAITING = """
local mine = tonumber(ARGV[1])
if redis.call('EXISTS', ARGV[2] .. mine) == 0 then return -1 end
local before = 0
for _, number in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. mine)) do
  if redis.call('EXISTS', ARGV[2] .. number) == 1 then
    before = before + 1
  else
    redis.call('ZREM', KEYS[1], number)
  end
end
return before
"""
# KEYS: queue. ARGV: ticket, ticket key prefix.
_RELEASE = """
redis.call('DEL', ARGV[2] .. ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
"""


class AtomicRedisLockStore(LockStore):
    """Rasa's ticket lock with atomic Redis operations (see the module docstring)."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        url: str | None = None,
        key_prefix: str = "spro",
        socket_timeout: float = SOCKET_TIMEOUT_SECONDS,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        options: dict[str, Any] = dict(endpoint_config.kwargs) if endpoint_config else {}
        url = os.environ.get(URL_VARIABLE) or url or (endpoint_config.url if endpoint_config else None) or DEFAULT_URL
        self.red = redis.Redis.from_url(
            url, socket_timeout=float(options.get("socket_timeout", socket_timeout)), socket_connect_timeout=2.0
        )
        self.prefix = f"{options.get('key_prefix', key_prefix)}:lock:"
        self.poll_seconds = float(options.get("poll_seconds", poll_seconds))
        self._issue = self.red.register_script(_ISSUE)
        self._waiting = self.red.register_script(_WAITING)
        self._release = self.red.register_script(_RELEASE)
        super().__init__()

    def _keys(self, conversation_id: str) -> tuple[str, str, str]:
        base = self.prefix + conversation_id
        return f"{base}:counter", f"{base}:queue", f"{base}:ticket:"

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        counter, queue, ticket_prefix = self._keys(conversation_id)
        try:
            return int(self._issue(keys=[counter, queue], args=[int(lock_lifetime * 1000), ticket_prefix]))
        except redis.RedisError as error:
            raise LockError(f"Could not issue a ticket: {error}") from error

    def tickets_before(self, conversation_id: str, ticket: int) -> int:
        """How many live tickets must be served before ``ticket``; -1 when ``ticket`` expired."""
        _, queue, ticket_prefix = self._keys(conversation_id)
        return int(self._waiting(keys=[queue], args=[ticket, ticket_prefix]))

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._wait_for_turn(conversation_id, ticket, lock_lifetime)
        finally:
            self.finish_serving(conversation_id, ticket)

    async def _wait_for_turn(self, conversation_id: str, ticket: int, lifetime: float) -> TicketLock:
        while True:
            before = self.tickets_before(conversation_id, ticket)
            if before == 0:
                return TicketLock(conversation_id, deque([Ticket(ticket, time.time() + lifetime)]))
            if before < 0:
                raise LockError(f"Ticket {ticket} expired before its turn came.")
            await asyncio.sleep(self.poll_seconds)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        _, queue, ticket_prefix = self._keys(conversation_id)
        try:
            self._release(keys=[queue], args=[ticket_number, ticket_prefix])
        except redis.RedisError:
            # The ticket expires by itself; the next message waits at most its lifetime.
            logger.warning("lock release failed, the ticket will expire by itself")

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self.finish_serving(conversation_id, ticket_number)

    def update_lock(self, conversation_id: str) -> None:
        """Nothing to do: Redis expires the tickets itself."""

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """The live tickets, for inspection only (Rasa's API); never written back."""
        _, queue, ticket_prefix = self._keys(conversation_id)
        tickets = deque()
        for number in self.red.zrange(queue, 0, -1):
            remaining = self.red.pttl(ticket_prefix + number.decode())
            if remaining > 0:
                tickets.append(Ticket(int(number), time.time() + remaining / 1000))
        return TicketLock(conversation_id, tickets) if tickets else None

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("A whole ticket queue is never written back: that is the race this store avoids.")

    def delete_lock(self, conversation_id: str) -> None:
        counter, queue, ticket_prefix = self._keys(conversation_id)
        numbers = [n.decode() for n in self.red.zrange(queue, 0, -1)]
        self.red.delete(counter, queue, *(ticket_prefix + n for n in numbers))

    def ping(self) -> bool:
        """Whether Redis answers (the health check)."""
        return bool(self.red.ping())
