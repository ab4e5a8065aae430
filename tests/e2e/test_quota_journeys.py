"""Diagnoses by the Gemini-protocol test server: a guest's free ones run out, a registered person's do not."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import AppServer, gemini_env, running_app, running_gemini
from .test_account_journey import PASSWORD, register
from .test_persistence_journeys import analyze

ERROR_LINE = '2026-01-01 10:00:0{} ERROR payment worker {} crashed: connection refused\n'


@pytest.fixture(scope='module')
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    caps = {'GUEST_FREE_ANALYSES': '3', 'GUEST_DAILY_CAP_PER_ADDRESS': '3'}
    with running_gemini() as gemini, running_app(tmp_path_factory.mktemp('quota'), gemini_env(gemini) | caps) as app:
        yield app


def diagnose(page: Page) -> None:
    """Ask the model on an open results page and wait for its whole answer."""
    page.get_by_role('button', name='Diagnose with gemini-2.5-flash').click()
    expect(page.get_by_role('heading', name='Prevention')).to_be_visible(timeout=15_000)


def test_a_guest_gets_three_diagnoses_then_the_offer_to_register(browser: Browser, server: AppServer) -> None:
    context = browser.new_context()
    page = context.new_page()
    for number in range(3):
        analyze(page, server.url, ERROR_LINE.format(number, number))
        diagnose(page)
        expect(page.get_by_text(f'{2 - number} of 3 free diagnoses by the AI model left')).to_be_visible()
    analyze(page, server.url, ERROR_LINE.format(3, 3))
    page.get_by_role('button', name='Diagnose with gemini-2.5-flash').click()
    expect(page.get_by_role('alert')).to_have_text(
        'You have used your 3 free diagnoses. Register for unlimited diagnoses.')
    expect(page.get_by_role('link', name='Register for unlimited diagnoses')).to_have_attribute('href', '/register')
    expect(page.get_by_role('heading', name='Summary')).to_have_count(0)
    context.close()
    # New cookies, same address: the per-address cap refuses too.
    page = browser.new_context().new_page()
    analyze(page, server.url, ERROR_LINE.format(4, 4))
    page.get_by_role('button', name='Diagnose with gemini-2.5-flash').click()
    expect(page.get_by_role('alert')).to_have_text(
        'The free diagnoses for your network are used up for today. Register for unlimited diagnoses.')
    page.context.close()


def test_a_registered_person_diagnoses_without_limit_and_keeps_a_history(page: Page, server: AppServer) -> None:
    page.goto(server.url)
    register(page, 'grace@example.com')
    results = []
    for number in range(4):
        results.append(analyze(page, server.url, ERROR_LINE.format(number, number)))
        diagnose(page)
        expect(page.get_by_text('Unlimited diagnoses')).to_be_visible()

    page.get_by_role('button', name='Account menu').click()
    page.get_by_text('Log out').click()
    expect(page.get_by_role('link', name='Log in')).to_be_visible()
    page.goto(f'{server.url}/history')
    expect(page.get_by_text('No analyses yet: analyze a log first.')).to_be_visible()

    page.goto(f'{server.url}/login')
    page.get_by_label('Email').fill('grace@example.com')
    page.get_by_label('Password', exact=True).fill(PASSWORD)
    page.get_by_role('button', name='Log in').click()
    expect(page.get_by_text('Unlimited analyses', exact=True)).to_be_visible(timeout=15_000)
    page.goto(f'{server.url}/history')
    expect(page.get_by_role('status')).to_have_text('4 analyses')
    expect(page.get_by_text('diagnosed by gemini-2.5-flash')).to_have_count(4)

    newest_name = 'payment worker … crashed: connection refused · 2026-01-01 10:00:03'
    expect(page.get_by_role('link', name=newest_name)).to_have_attribute('href', results[-1].removeprefix(server.url))
    page.get_by_role('button', name=f'Delete {newest_name}').click()
    page.get_by_role('dialog', name=f'Delete {newest_name}?').get_by_role('button', name='Delete for good').click()
    expect(page.get_by_role('status')).to_have_text('3 analyses')
    expect(page.locator(f'a[href="{results[-1].removeprefix(server.url)}"]')).to_have_count(0)
    page.goto(results[-1])
    expect(page.get_by_role('alert')).to_have_text('This analysis does not exist or is not yours.')
    page.goto(results[0])
    expect(page.get_by_role('heading', name='Prevention')).to_be_visible()
