"""History in a real browser: deleting asks first, and a page left open after logging out deletes nothing."""

import re

from playwright.sync_api import Browser, expect

from .conftest import AppServer
from .test_account_journey import PASSWORD, register
from .test_persistence_journeys import analyze

NAME = 'payment gateway timed out · 2026-01-01 10:00:00'
LOG = '2026-01-01 10:00:00 ERROR payment gateway timed out\n'


def test_deleting_asks_first_naming_the_analysis(browser: Browser, app_server: AppServer) -> None:
    page = browser.new_page()
    analyze(page, app_server.url, LOG)
    page.goto(f'{app_server.url}/history')
    page.get_by_role('button', name=f'Delete {NAME}').click()
    dialog = page.get_by_role('dialog', name=f'Delete {NAME}?')
    expect(dialog).to_contain_text(f'Delete the analysis of {NAME}? This cannot be undone.')
    dialog.get_by_role('button', name='Keep it').click()
    expect(page.get_by_role('link', name=NAME)).to_be_visible()
    page.get_by_role('button', name=f'Delete {NAME}').click()
    page.get_by_role('button', name='Delete for good').click()
    expect(page.get_by_text(f'Deleted {NAME}.')).to_be_visible()
    expect(page.get_by_role('status')).to_have_text('No analyses yet: analyze a log first.')


def test_a_history_page_left_open_after_logging_out_deletes_nothing(browser: Browser, app_server: AppServer) -> None:
    context = browser.new_context()
    left_open = context.new_page()
    left_open.goto(app_server.url)
    register(left_open, 'ada@example.com')
    analyze(left_open, app_server.url, LOG)
    left_open.goto(f'{app_server.url}/history')
    expect(left_open.get_by_role('link', name=NAME)).to_be_visible()

    other_tab = context.new_page()
    other_tab.goto(app_server.url)
    other_tab.get_by_role('button', name='Account menu').click()
    other_tab.get_by_text('Log out').click()
    expect(other_tab.get_by_role('link', name='Log in')).to_be_visible()

    left_open.get_by_role('button', name=f'Delete {NAME}').click()
    left_open.get_by_role('button', name='Delete for good').click()
    expect(left_open).to_have_url(re.compile(r'/login\?redirect_to=%2Fhistory$'))  # sent to log in, nothing deleted

    other_tab.goto(f'{app_server.url}/login')
    other_tab.get_by_label('Email').fill('ada@example.com')
    other_tab.get_by_label('Password', exact=True).fill(PASSWORD)
    other_tab.get_by_role('button', name='Log in').click()
    expect(other_tab.get_by_text('Unlimited analyses', exact=True)).to_be_visible(timeout=15_000)
    other_tab.goto(f'{app_server.url}/history')
    expect(other_tab.get_by_role('link', name=NAME)).to_be_visible()
    context.close()
