"""Every page works under the Content-Security-Policy, the browser reports no violation, an injected handler does not
run, and /docs loads nothing from another site."""

from __future__ import annotations

import re

from playwright.sync_api import ConsoleMessage, Page, Request, expect

from .conftest import AppServer
from .test_persistence_journeys import analyze

LOG = '2026-01-01 10:00:00 INFO start\n2026-01-01 10:00:01 ERROR db.pool could not connect: Connection refused\n'


def test_the_pages_work_under_the_policy_and_nothing_violates_it(page: Page, app_server: AppServer) -> None:
    reports: list[str] = []
    page.on('console', lambda message: record(message, reports))
    page.on('pageerror', lambda error: reports.append(f'page error: {error}'))

    results = analyze(page, app_server.url, LOG)
    expect(page.get_by_role('heading', name='Summary')).to_be_visible()
    page.get_by_role('button', name='Switch to dark theme').click()
    expect(page.get_by_role('button', name='Switch to light theme')).to_be_visible()
    # A paste is named in the history by its first error.
    pages = (('/history', 'Connection refused'), ('/login', 'Log in'), ('/register', 'Register'), ('/faq', 'FAQ'))
    for path, visible in pages:
        page.goto(f'{app_server.url}{path}')
        expect(page.get_by_text(visible).first).to_be_visible()
    page.goto(results)
    expect(page.get_by_text('could not connect').first).to_be_visible()
    assert reports == []

    # Script that reaches the page through markup (no nonce) is blocked, and the browser says so.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.ran = 1\">')")
    page.wait_for_timeout(500)
    assert page.evaluate('window.ran') is None
    assert any('Content Security Policy' in report for report in reports), reports


def test_the_api_docs_load_only_from_this_site(page: Page, app_server: AppServer) -> None:
    requested: list[str] = []
    reports: list[str] = []
    page.on('request', lambda request: note(request, requested))
    page.on('console', lambda message: record(message, reports))
    page.goto(f'{app_server.url}/docs')
    expect(page.get_by_role('heading', name=re.compile('LogSentry API'))).to_be_visible()
    expect(page.get_by_text('/api/v1/analyses').first).to_be_visible()
    assert requested and all(url.startswith(app_server.url) for url in requested), requested
    assert reports == []


def record(message: ConsoleMessage, reports: list[str]) -> None:
    if message.type == 'error' or 'Content Security Policy' in message.text:
        reports.append(message.text)


def note(request: Request, requested: list[str]) -> None:
    if not request.url.startswith('data:'):
        requested.append(request.url)
