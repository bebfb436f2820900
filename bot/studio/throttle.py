"""Password guessing on the studio's login form: counted, slowed down, then stopped.

Measured on the first version: 30 parallel wrong guesses took 6 s (a flat 1 s delay each) and the
right password was accepted straight after; each argon2 check costs 64 MiB, so a flood raised the
studio's memory to 446 MB. Now:

- failed logins are counted per login (a targeted guess) and per address (one machine trying
  many logins); success clears the login's count;
- after ``FREE_FAILURES`` failures of a login (``ADDRESS_FREE_FAILURES`` from an address), each new attempt must wait a delay that doubles with every
  failure (1 s, 2 s, 4 s… up to ``MAX_DELAY_SECONDS``): an attempt made sooner is refused without
  checking the password;
- after ``LOCKOUT_FAILURES`` failures of one login (``ADDRESS_LOCKOUT_FAILURES`` from one address),
  attempts are refused for
  ``LOCKOUT_SECONDS``, even with the right password;
- at most ``MAX_CONCURRENT_HASHES`` password checks run at the same time (``hashing``): the
  others wait their turn instead of each allocating 64 MiB.

Counts live in the studio's process (one process serves the studio) and are forgotten after
``LOCKOUT_SECONDS`` without a failure.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

FREE_FAILURES = 3
LOCKOUT_FAILURES = 10
# Editors behind one proxy share an address: it gets more room before slowing down and locking.
ADDRESS_FREE_FAILURES = 10
ADDRESS_LOCKOUT_FAILURES = 30
LOCKOUT_SECONDS = 15 * 60
MAX_DELAY_SECONDS = 60.0
MAX_CONCURRENT_HASHES = 2


@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0


@dataclass
class LoginThrottle:
    clock: Callable[[], float] = time.monotonic
    _counts: dict[str, _Count] = field(default_factory=dict)

    def wait_seconds(self, login: str, address: str) -> float:
        """How long before an attempt for this login from this address may be checked (0: now)."""
        now = self.clock()
        return max(
            self._wait(f"login:{login}", FREE_FAILURES, LOCKOUT_FAILURES, now),
            self._wait(f"address:{address}", ADDRESS_FREE_FAILURES, ADDRESS_LOCKOUT_FAILURES, now),
        )

    def locked(self, login: str, address: str) -> bool:
        """Whether the lockout (not only the back-off) applies."""
        now = self.clock()
        return any(
            self._count(key, now).failures >= limit
            for key, limit in ((f"login:{login}", LOCKOUT_FAILURES), (f"address:{address}", ADDRESS_LOCKOUT_FAILURES))
        )

    def failed(self, login: str, address: str) -> None:
        now = self.clock()
        for key in (f"login:{login}", f"address:{address}"):
            count = self._count(key, now)
            self._counts[key] = _Count(count.failures + 1, now)

    def succeeded(self, login: str) -> None:
        self._counts.pop(f"login:{login}", None)

    def _count(self, key: str, now: float) -> _Count:
        count = self._counts.get(key)
        if count is None or now - count.last >= LOCKOUT_SECONDS:
            self._counts.pop(key, None)
            return _Count()
        return count

    def _wait(self, key: str, free: int, lockout: int, now: float) -> float:
        count = self._count(key, now)
        if count.failures >= lockout:
            return count.last + LOCKOUT_SECONDS - now
        if count.failures < free:
            return 0.0
        delay = min(MAX_DELAY_SECONDS, 2.0 ** (count.failures - free))
        return max(0.0, count.last + delay - now)


def rounded_up(seconds: float) -> int:
    return max(1, math.ceil(seconds))


hashing = asyncio.Semaphore(MAX_CONCURRENT_HASHES)
