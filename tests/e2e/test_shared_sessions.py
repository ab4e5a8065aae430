"""Two app instances behind one address share browser sessions, sign-ins and the login throttle through Redis."""

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, Route, expect

from .conftest import AppServer, start_app, stop_app
from .test_account_journey import PASSWORD, register


@pytest.fixture
def two_instances(redis_url: str, tmp_path: Path) -> Iterator[tuple[AppServer, AppServer, str]]:
    prefix = f'logsentry-test-{secrets.token_hex(4)}:'  # other test runs may share this Redis
    shared = {'REDIS_URL': redis_url, 'REDIS_KEY_PREFIX': prefix, 'DATA_DIR': str(tmp_path / 'data'),
              'STORAGE_SECRET': secrets.token_urlsafe(32), 'LOGIN_FAILURES_PER_ACCOUNT': '2'}
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


def test_a_sign_in_its_handoff_and_the_login_throttle_hold_across_instances(
    browser: Browser, redis_url: str, two_instances: tuple[AppServer, AppServer, str],
) -> None:
    first, second, prefix = two_instances
    page = browser.new_context().new_page()

    def to_second(route: Route) -> None:  # a load balancer sending the handoff's request to the other instance
        route.continue_(url=route.request.url.replace(first.url, second.url))

    page.route('**/session/start?*', to_second)
    page.goto(first.url)
    register(page, 'ada@example.com')  # the login page on the first instance, its handoff claimed by the second
    assert any(True for _ in redis.Redis.from_url(redis_url).scan_iter(f'{prefix}state:sign-in:*'))
    page.goto(f'{second.url}/account')
    expect(page.get_by_text('Your account', exact=True)).to_be_visible()
    expect(page.get_by_text('ada@example.com').first).to_be_visible()

    guesser = browser.new_context().new_page()
    guesser.goto(f'{first.url}/login')
    for _ in range(2):
        guesser.get_by_label('Email').fill('ada@example.com')
        guesser.get_by_label('Password', exact=True).fill('not the password')
        guesser.get_by_role('button', name='Log in').click()
        expect(guesser.get_by_text('Wrong email or password.')).to_be_visible(timeout=15_000)
        guesser.reload()
    guesser.goto(f'{second.url}/login')
    guesser.get_by_label('Email').fill('ada@example.com')
    guesser.get_by_label('Password', exact=True).fill(PASSWORD)
    guesser.get_by_role('button', name='Log in').click()
    expect(guesser.get_by_text('Too many failed attempts.')).to_be_visible(timeout=15_000)

    page.get_by_role('button', name='Account menu').click()
    page.get_by_text('Log out', exact=True).click()  # on the second instance
    expect(page.get_by_role('link', name='Log in')).to_be_visible()
    page.goto(f'{first.url}/account')
    expect(page.get_by_text('Log in to LogSentry')).to_be_visible()
