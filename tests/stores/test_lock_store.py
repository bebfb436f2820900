"""The atomic lock store against the machine's Redis: one conversation at a time, across processes."""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid

import pytest
import redis

from bot.stores.lock_store import AtomicRedisLockStore

REDIS_URL = os.environ.get("SPRO_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


@pytest.fixture
def prefix() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return f"test{uuid.uuid4().hex[:10]}"


def test_two_replicas_never_hold_the_same_conversation_at_once(prefix: str) -> None:
    """Two store instances (two replicas' connections), 2 × 25 messages of one conversation at once."""
    inside = {"count": 0, "max": 0, "served": 0}
    guard = threading.Lock()

    async def handle(store: AtomicRedisLockStore) -> None:
        async with store.lock("conversation"):
            with guard:
                inside["count"] += 1
                inside["max"] = max(inside["max"], inside["count"])
            await asyncio.sleep(0.002)
            with guard:
                inside["count"] -= 1
                inside["served"] += 1

    def replica() -> None:
        store = AtomicRedisLockStore(url=REDIS_URL, key_prefix=prefix, poll_seconds=0.005)

        async def main() -> None:
            await asyncio.gather(*(handle(store) for _ in range(25)))

        asyncio.run(main())

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert inside == {"count": 0, "max": 1, "served": 50}
    assert AtomicRedisLockStore(url=REDIS_URL, key_prefix=prefix).get_lock("conversation") is None


async def test_a_ticket_left_by_a_killed_replica_expires(prefix: str) -> None:
    store = AtomicRedisLockStore(url=REDIS_URL, key_prefix=prefix)
    store.issue_ticket("conversation", lock_lifetime=0.5)  # never released: its replica died
    started = time.monotonic()
    async with store.lock("conversation"):
        waited = time.monotonic() - started
    assert 0.3 < waited < 3


async def test_tickets_are_served_in_order(prefix: str) -> None:
    store = AtomicRedisLockStore(url=REDIS_URL, key_prefix=prefix)
    first = store.issue_ticket("c")
    second = store.issue_ticket("c")
    assert second == first + 1
    assert store.tickets_before("c", first) == 0
    assert store.tickets_before("c", second) == 1
    store.finish_serving("c", first)
    assert store.tickets_before("c", second) == 0
    store.finish_serving("c", second)
    assert store.get_lock("c") is None
