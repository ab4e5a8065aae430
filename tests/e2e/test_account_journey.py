import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from services.accounts.interface import REGISTERED
from tests.firebase_emulator import Emulator

from .conftest import AppServer, save_screenshot, start_app, stop_app

PASSWORD = 'correct horse battery'


@pytest.fixture
def firebase_app(tmp_path: Path, firebase_emulator: Emulator) -> Iterator[AppServer]:
    firebase_emulator.wipe()
    server = start_app(tmp_path, firebase_emulator.settings_env())
    yield server
    stop_app(server)


def test_register_log_out_log_in_with_local_accounts(page: Page, app_server: AppServer) -> None:
    page.set_viewport_size({'width': 1280, 'height': 800})
    journey(page, app_server)
    save_screenshot(page, 'account-1280x800')


def test_register_log_out_log_in_with_firebase(page: Page, firebase_app: AppServer) -> None:
    journey(page, firebase_app)
    assert 'emulator-api-key' not in firebase_app.log()


def journey(page: Page, server: AppServer) -> None:
    page.goto(server.url)
    expect(page.get_by_role('link', name='Log in')).to_be_visible()
    guest_id = browser_id(page)

    register(page, 'ada@example.com')
    expect(page.get_by_role('link', name='Log in')).to_be_hidden()
    member_id = browser_id(page)
    assert member_id != guest_id

    page.get_by_role('button', name='Account menu').click()
    page.get_by_text('Log out').click()
    expect(page.get_by_role('link', name='Log in')).to_be_visible()
    assert browser_id(page) not in (guest_id, member_id)

    page.goto(f'{server.url}/account')
    expect(page.get_by_text('Log in to LogSentry')).to_be_visible()
    page.get_by_label('Email').fill('ada@example.com')
    page.get_by_label('Password', exact=True).fill('not the password')
    page.get_by_role('button', name='Log in').click()
    expect(page.get_by_text('Wrong email or password.')).to_be_visible(timeout=15_000)
    page.get_by_label('Password', exact=True).fill(PASSWORD)
    page.get_by_label('Password', exact=True).press('Enter')
    expect(page.get_by_text('Your account', exact=True)).to_be_visible(timeout=15_000)
    expect(page.get_by_text('ada@example.com').first).to_be_visible()

    page.get_by_role('link', name='Analyze').first.click()
    expect(page.get_by_text('Unlimited analyses', exact=True)).to_be_visible()
    for secret in (PASSWORD, 'not the password'):
        assert secret not in page.content()
        assert secret not in server.log()


def register(page: Page, email: str) -> None:
    """Register from the header's button, on whatever page is open, then log in as the next page asks; ends
    signed in on the analyze page."""
    page.get_by_role('button', name='Register').click()
    page.get_by_label('Email').fill(email)
    page.get_by_label('Password (at least 8 characters)').fill(PASSWORD)
    page.get_by_label('Repeat the password').fill(PASSWORD)
    page.get_by_role('button', name='Create account').click()
    expect(page.get_by_text(REGISTERED)).to_be_visible(timeout=15_000)
    page.get_by_label('Email').fill(email)
    page.get_by_label('Password', exact=True).fill(PASSWORD)
    page.get_by_role('button', name='Log in').click()
    expect(page.get_by_text('Unlimited analyses', exact=True)).to_be_visible(timeout=15_000)


def browser_id(page: Page) -> str:
    """The browser id inside NiceGUI's signed session cookie (base64 JSON, then timestamp and signature)."""
    value = next(cookie['value'] for cookie in page.context.cookies() if cookie['name'] == 'session')
    payload = value.split('.')[0]
    return str(json.loads(base64.b64decode(payload + '=' * (-len(payload) % 4)))['id'])
