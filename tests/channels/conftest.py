"""One real bot for the channel tests: the action server and Rasa with the project's own
credentials.yml, every channel turned on by environment variables, and every send to Meta or
Twilio going to a local recorder instead."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.channels.clients import CHANNEL_ENV
from tests.support.recorder import Recorder, running_recorder
from tests.support.servers import ROOT, Stack, running_stack


@pytest.fixture(scope="session")
def recorder() -> Iterator[Recorder]:
    with running_recorder() as recorder:
        yield recorder


@pytest.fixture(scope="session")
def channel_env(recorder: Recorder) -> dict[str, str]:
    return {**CHANNEL_ENV, "GRAPH_API_URL": recorder.url, "TWILIO_API_URL": recorder.url}


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, channel_env: dict[str, str]) -> Iterator[Stack]:
    """``--enable-api`` lets the tests read a conversation's tracker to know when a turn is over."""
    workdir: Path = tmp_path_factory.mktemp("channels")
    credentials = (ROOT / "credentials.yml").read_text(encoding="utf-8")
    with running_stack(workdir, credentials=credentials, env_extra=channel_env, rasa_args=("--enable-api",)) as stack:
        yield stack
