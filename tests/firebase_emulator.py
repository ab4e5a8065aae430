"""The real Firebase Auth Emulator for the tests: one per test run, on free ports, wiped between tests."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
CACHED_CLI = ROOT / '.cache' / 'firebase-tools' / 'node_modules' / '.bin' / 'firebase'
PROJECT_ID = 'demo-test'  # a demo- project needs no Google account and reaches nothing real
API_KEY = 'emulator-api-key'
# Set by CI, where a missing emulator must fail the run instead of skipping the tests that need it.
REQUIRE_ENV = 'LOGSENTRY_REQUIRE_FIREBASE_EMULATOR'
START_TIMEOUT = 120  # ready after 13-18 s usually; the first start also fetches the CLI's news


@dataclass(frozen=True)
class Emulator:
    host: str
    project_id: str
    pid: int

    @contextmanager
    def unresponsive(self) -> Iterator[None]:
        """The emulator stopped in its tracks: connections are accepted and never answered, as on a bad day."""
        os.kill(self.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(self.pid, signal.SIGCONT)

    def wipe(self) -> None:
        url = f'http://{self.host}/emulator/v1/projects/{self.project_id}/accounts'
        request = urllib.request.Request(url, method='DELETE')
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the local emulator
            response.read()

    def settings_env(self) -> dict[str, str]:
        """The environment a LogSentry process needs to use this emulator for its accounts."""
        return {'FIREBASE_API_KEY': API_KEY, 'FIREBASE_PROJECT_ID': self.project_id,
                'FIREBASE_AUTH_EMULATOR_HOST': self.host}


@pytest.fixture(scope='session')
def firebase_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    cli = CACHED_CLI if CACHED_CLI.exists() else shutil.which('firebase')
    if cli is None:
        reason = 'the Firebase Auth Emulator is not installed (`make test` installs firebase-tools)'
        if os.environ.get(REQUIRE_ENV) == '1':
            pytest.fail(reason)
        pytest.skip(reason)
    workdir = tmp_path_factory.mktemp('firebase-emulator')
    auth_port, hub_port, logging_port = (_free_port() for _ in range(3))
    (workdir / 'firebase.json').write_text(json.dumps({'emulators': {
        'auth': {'host': '127.0.0.1', 'port': auth_port},
        'hub': {'host': '127.0.0.1', 'port': hub_port},
        'logging': {'host': '127.0.0.1', 'port': logging_port},
        'ui': {'enabled': False},
        'singleProjectMode': True,
    }}))
    log_path = workdir / 'emulator.log'
    with log_path.open('wb') as log_file:
        process = subprocess.Popen([str(cli), 'emulators:start', '--only', 'auth', '--project', PROJECT_ID],
                                   cwd=workdir, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(auth_port, process, log_path)
        yield Emulator(f'127.0.0.1:{auth_port}', PROJECT_ID, process.pid)
    finally:
        process.send_signal(signal.SIGINT)  # lets it release its ports and hub file
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def firebase_env(firebase_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """A test with Firebase settings pointing at an emulator holding no accounts."""
    firebase_emulator.wipe()
    for name, value in firebase_emulator.settings_env().items():
        monkeypatch.setenv(name, value)
    return firebase_emulator


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'the Firebase emulator exited:\n{log_path.read_text(errors="replace")}')
        with socket.socket() as probe:
            if probe.connect_ex(('127.0.0.1', port)) == 0:
                return
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f'the Firebase emulator was not ready in {START_TIMEOUT} s:\n{log_path.read_text()}')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return int(probe.getsockname()[1])
