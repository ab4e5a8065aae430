"""Two app instances behind one address share browser sessions through Redis."""

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, expect

from .conftest import AppServer, start_app, stop_app

REDIS_URL_VARIABLE = 'LOGSENTRY_TEST_REDIS_URL'


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(f'{REDIS_URL_VARIABLE} is not set, so the shared-session test does not run')
    return url


@pytest.fixture
def two_instances(redis_url: str, tmp_path: Path) -> Iterator[tuple[AppServer, AppServer, str]]:
    prefix = f'logsentry-test-{secrets.token_hex(4)}:'  # other test runs may share this Redis
    shared = {'REDIS_URL': redis_url, 'REDIS_KEY_PREFIX': prefix, 'DATA_DIR': str(tmp_path / 'data'),
              'STORAGE_SECRET': secrets.token_urlsafe(32)}
    (tmp_path / 'first').mkdir()
    (tmp_path / 'second').mkdir()
    first = start_app(tmp_path / 'first', shared)
    second = start_app(tmp_path / 'second', shared)
    yield first, second, prefix
    stop_app(first)
    stop_app(second)
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f'{prefix}*'):
        client.delete(key)


def test_a_session_started_on_one_instance_continues_on_the_other(
    browser: Browser, redis_url: str, two_instances: tuple[AppServer, AppServer, str],
) -> None:
    first, second, prefix = two_instances
    page = browser.new_context().new_page()
    page.goto(f'{first.url}/history')
    search = page.get_by_label('Search file names and errors')
    search.fill('payments')
    expect(page.get_by_text('Nothing matches your search.')).to_be_visible()
    # Cookies belong to the host, not the port: the same browser session reaches the second instance.
    page.goto(f'{second.url}/history')
    expect(page.get_by_label('Search file names and errors')).to_have_value('payments')
    assert any(True for _ in redis.Redis.from_url(redis_url).scan_iter(f'{prefix}*'))
