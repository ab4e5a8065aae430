"""Browser tests: the real app as a subprocess, driven by headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / 'artifacts'
SYSTEM_CHROMIUM = Path('/usr/bin/chromium')
# Without these, Chromium reaches for Google services this sandboxed network refuses.
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run',
]


@pytest.fixture(scope='session')
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if SYSTEM_CHROMIUM.exists():
        return {**browser_type_launch_args, 'executable_path': str(SYSTEM_CHROMIUM), 'args': CHROMIUM_ARGS}
    return browser_type_launch_args


@dataclass
class AppServer:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding='utf-8', errors='replace')


def start_app(tmp_path: Path, extra_env: dict[str, str] | None = None) -> AppServer:
    port = free_port()
    data_dir = tmp_path / 'data'
    env = {key: value for key, value in os.environ.items() if key != 'PYTEST_CURRENT_TEST'}
    env.update({
        'HOST': '127.0.0.1', 'PORT': str(port), 'DATA_DIR': str(data_dir),
        'NICEGUI_STORAGE_PATH': str(tmp_path / 'nicegui'), **(extra_env or {}),
    })
    log_path = tmp_path / 'server.log'
    with log_path.open('wb') as log_file:
        process = subprocess.Popen([sys.executable, str(ROOT / 'main.py')], cwd=tmp_path, env=env,
                                   stdout=log_file, stderr=subprocess.STDOUT)
    server = AppServer(f'http://127.0.0.1:{port}', data_dir, process, log_path)
    wait_until_healthy(server)
    return server


def stop_app(server: AppServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[AppServer]:
    server = start_app(tmp_path)
    yield server
    stop_app(server)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(server: AppServer, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f'the app exited with {server.process.returncode}:\n{server.log()}')
        try:
            health_url = f'{server.url}/healthz'
            with urllib.request.urlopen(health_url, timeout=1) as response:  # noqa: S310 - our own http URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f'the app did not become healthy in {timeout} s:\n{server.log()}')


# Transitions and animations that end (a theme's colours fading in, a dialog opening); spinners repeat for ever.
_MOVING = """() => document.getAnimations().filter(
    animation => animation.playState === 'running' && animation.effect?.getTiming().iterations !== Infinity).length"""
# Polls in a row, 0.1 s apart, that must find nothing moving: a transition may start a moment after the last one ends.
_STILL_POLLS = 3


def page_drawn(page: Page, seconds: float = 15) -> None:
    """The page has loaded, drawn its frame down to the footer and stopped moving. Waiting for the network to fall
    idle instead timed out on a busy machine, and an audit run mid-transition reads colours half faded in."""
    page.wait_for_load_state('load')
    expect(page.get_by_role('link', name='Terms', exact=True).last).to_be_visible()
    deadline, still = time.monotonic() + seconds, 0
    while still < _STILL_POLLS and time.monotonic() < deadline:
        still = still + 1 if page.evaluate(_MOVING) == 0 else 0
        time.sleep(0.1)


def save_screenshot(page: Any, name: str) -> Path:
    path = ARTIFACTS / 'screenshots' / f'{name}.png'
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope='session', autouse=True)
def _artifacts_dir() -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.rmtree(ARTIFACTS / 'screenshots', ignore_errors=True)


@contextmanager
def running_gemini() -> Iterator[str]:
    """A Gemini-protocol server as a process (answers in chunks a little apart); yields its base URL.

    Steer it over HTTP: POST /_control/replies, GET /_control/requests (see tests/gemini_server.py).
    """
    process = subprocess.Popen([sys.executable, '-m', 'tests.gemini_server', '--port', '0', '--chunk-delay', '0.4'],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    url = process.stdout.readline().strip().removeprefix('listening on ')
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def gemini_env(url: str) -> dict[str, str]:
    """Settings that point the app at a Gemini-protocol test server."""
    return {'GEMINI_API_KEY': 'e2e-key', 'GOOGLE_GEMINI_BASE_URL': url, 'GEMINI_MAX_RETRIES': '0'}


@contextmanager
def running_app(tmp_path: Path, extra_env: dict[str, str] | None = None) -> Iterator[AppServer]:
    server = start_app(tmp_path, extra_env)
    try:
        yield server
    finally:
        stop_app(server)


@pytest.fixture
def gemini_process() -> Iterator[str]:
    with running_gemini() as url:
        yield url


@pytest.fixture
def gemini_app_server(tmp_path: Path, gemini_process: str) -> Iterator[AppServer]:
    """The app configured for Gemini, talking to the test server."""
    with running_app(tmp_path, gemini_env(gemini_process)) as server:
        yield server


def script_gemini(url: str, *replies: dict[str, Any]) -> None:
    """Queue the test server's next answers (fields of tests.gemini_server.Reply)."""
    body = json.dumps(list(replies)).encode()
    request = urllib.request.Request(f'{url}/_control/replies', data=body, method='POST')  # noqa: S310 - our own URL
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - our own http URL
        pass
