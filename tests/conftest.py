"""Every test runs in its own directory with embedded defaults, whatever the developer's environment holds."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.firebase_emulator import firebase_emulator, firebase_env  # noqa: F401 - shared fixtures
from tests.gemini_server import GeminiServer

FIXTURES = Path(__file__).parent / 'fixtures'
REDIS_URL_VARIABLE = 'LOGSENTRY_TEST_REDIS_URL'
# Settings that would switch a test away from the embedded defaults.
EXTERNAL_SETTINGS = (
    'DATABASE_URL', 'REDIS_URL', 'GEMINI_API_KEY', 'GOOGLE_GEMINI_BASE_URL', 'FIREBASE_API_KEY',
    'FIREBASE_PROJECT_ID', 'FIREBASE_CREDENTIALS', 'FIREBASE_AUTH_EMULATOR_HOST', 'AWS_SECRET_ID', 'STORAGE_SECRET',
)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in EXTERNAL_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    data_dir = tmp_path / 'data'
    monkeypatch.setenv('DATA_DIR', str(data_dir))
    return data_dir


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def gemini_server() -> Iterator[GeminiServer]:
    """A Gemini-protocol server on a free port, recording what it is sent."""
    with GeminiServer() as server:
        yield server


@pytest.fixture
def redis_url() -> str:
    """The test Redis (a database number of its own); the test is skipped, saying why, when none is given."""
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(f'{REDIS_URL_VARIABLE} is not set, so the tests that need Redis do not run')
    return url


@pytest.fixture
def unreachable_redis_url() -> str:
    """A Redis URL at a port nothing listens on: every connection is refused."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    return f'redis://127.0.0.1:{port}/0'
