"""Two app instances on one Redis and one database, one `python main.py worker`, no disk shared between any of them:
a log uploaded on the first waits in the queue, is read by the worker, and its analysis opens on the second."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, expect

from tests.services.conftest import scratch_postgres_database

from .conftest import ROOT, AppServer, running_app

FIXTURES = Path(__file__).parents[1] / 'fixtures'


@pytest.fixture
def shared_env(redis_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    prefix = f'logsentry-test-{secrets.token_hex(4)}:'  # other test runs may share this Redis
    with ExitStack() as stack:
        if os.environ.get('LOGSENTRY_TEST_POSTGRES_URL'):
            database_url = stack.enter_context(scratch_postgres_database())
        else:
            database_url = f'sqlite:///{tmp_path / "shared.db"}'
        yield {'REDIS_URL': redis_url, 'REDIS_KEY_PREFIX': prefix, 'DATABASE_URL': database_url,
               'STORAGE_SECRET': secrets.token_urlsafe(32)}
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f'*{prefix}*'):
        client.delete(key)


@pytest.fixture
def two_instances(shared_env: dict[str, str], tmp_path: Path) -> Iterator[tuple[AppServer, AppServer]]:
    with ExitStack() as stack:
        first, second = (stack.enter_context(running_app(home(tmp_path, name), shared_env)) for name in ('a', 'b'))
        yield first, second


def home(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.mkdir()
    return path


def start_worker(tmp_path: Path, shared_env: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if key != 'PYTEST_CURRENT_TEST'}
    env.update({**shared_env, 'DATA_DIR': str(tmp_path / 'worker' / 'data')})
    with (home(tmp_path, 'worker') / 'worker.log').open('wb') as log:
        return subprocess.Popen([sys.executable, str(ROOT / 'main.py'), 'worker'], cwd=tmp_path / 'worker', env=env,
                                stdout=log, stderr=subprocess.STDOUT)


def test_an_upload_on_one_instance_is_read_by_the_worker_and_opens_on_the_other(
    browser: Browser, shared_env: dict[str, str], two_instances: tuple[AppServer, AppServer], tmp_path: Path,
) -> None:
    first, second = two_instances
    page = browser.new_context().new_page()
    page.goto(first.url)
    page.locator('input[type=file]').set_input_files(str(FIXTURES / 'app.log'))
    expect(page.get_by_text('Waiting for an analysis worker: yours is next…')).to_be_visible(timeout=20_000)
    worker = start_worker(tmp_path, shared_env)
    try:
        expect(page.get_by_text('16 lines, 8 events')).to_be_visible(timeout=60_000)
        path = page.url.removeprefix(first.url)
        assert path.startswith('/analysis/')
        # Cookies belong to the host, not the port: the same guest opens the analysis on the other instance.
        page.goto(f'{second.url}{path}')
        expect(page.get_by_text('16 lines, 8 events')).to_be_visible(timeout=20_000)
        expect(page.get_by_text('could not connect to server: Connection refused').first).to_be_visible()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
