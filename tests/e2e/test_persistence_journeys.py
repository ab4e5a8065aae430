"""Journeys that need a real browser and a real server: quota across cookies, restarts, share links."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from .conftest import gemini_env, start_app, stop_app


def analyze(page: Page, url: str, text: str) -> str:
    """Paste a log on the analyze page; returns the results page's URL."""
    page.goto(url)
    page.get_by_label('Paste log text').fill(text)
    page.get_by_role('button', name='Analyze').click()
    expect(page.get_by_text('Problem to diagnose')).to_be_visible(timeout=20_000)
    return page.url


def test_free_diagnoses_hold_across_a_new_browser_context(browser: Browser, tmp_path: Path,
                                                           gemini_process: str) -> None:
    caps = {'GUEST_FREE_ANALYSES': '3', 'GUEST_DAILY_CAP_PER_ADDRESS': '3'}
    server = start_app(tmp_path, gemini_env(gemini_process) | caps)
    try:
        first = browser.new_context()
        page = first.new_page()
        for number in range(3):
            analyze(page, server.url, f'2026-01-01 10:00:00 ERROR failure {number} in the billing worker\n')
            page.get_by_role('button', name='Diagnose with gemini-2.5-flash').click()
            expect(page.get_by_text(f'{2 - number} of 3 free diagnoses by the AI model left')).to_be_visible(
                timeout=20_000)
        first.close()
        # New cookies, same address: the database still knows.
        second = browser.new_context()
        page = second.new_page()
        page.goto(server.url)
        expect(page.get_by_text('0 of 3 free diagnoses by the AI model left')).to_be_visible()
        analyze(page, server.url, '2026-01-01 10:00:00 ERROR a fresh failure\n')
        page.get_by_role('button', name='Diagnose with gemini-2.5-flash').click()
        expect(page.get_by_text('The free diagnoses for your network are used up for today.')).to_be_visible(
            timeout=20_000
        )
        expect(page.get_by_role('link', name='Register for unlimited diagnoses')).to_have_attribute('href', '/register')
        second.close()
    finally:
        stop_app(server)


def test_history_survives_a_restart(browser: Browser, tmp_path: Path) -> None:
    server = start_app(tmp_path)
    context = browser.new_context()
    page = context.new_page()
    try:
        results = analyze(page, server.url, '2026-01-01 10:00:00 ERROR payment gateway timed out\n')
        expect(page.get_by_role('heading', name='Root cause')).to_be_visible(timeout=20_000)
    finally:
        stop_app(server)
    server = start_app(tmp_path)
    try:
        page.goto(f'{server.url}/history')
        named = page.get_by_role('link', name='payment gateway timed out · 2026-01-01 10:00:00')
        expect(named).to_be_visible()
        named.click()
        expect(page.get_by_role('heading', name='Root cause')).to_be_visible()
        assert page.url.endswith(results.rsplit('/', 1)[1])
    finally:
        context.close()
        stop_app(server)


def test_a_share_link_opens_in_a_fresh_context_until_revoked(browser: Browser, tmp_path: Path) -> None:
    server = start_app(tmp_path)
    try:
        owner = browser.new_context().new_page()
        analyze(owner, server.url, '2026-01-01 10:00:00 ERROR login failed for ops-lead@acme-corp.com\n')
        owner.get_by_role('button', name='Share').click()
        link = owner.get_by_label('Share link').input_value()
        visitor_context = browser.new_context()
        visitor = visitor_context.new_page()
        visitor.goto(link)
        expect(visitor.get_by_text('1 lines, 1 events')).to_be_visible()
        expect(visitor.get_by_text('<EMAIL_1>').first).to_be_visible()
        assert 'ops-lead@acme-corp.com' not in visitor.content()
        owner.get_by_role('button', name='Stop sharing').click()
        expect(owner.get_by_text('The share link no longer works.')).to_be_visible()
        visitor.reload()
        expect(visitor.get_by_text('This share link does not exist or was revoked by its owner.')).to_be_visible()
        visitor_context.close()
    finally:
        stop_app(server)
