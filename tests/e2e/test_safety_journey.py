"""Script in a log or in a model's answer is shown as text and never runs: results, diagnosis, history, share."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect

from .conftest import AppServer, gemini_env, running_app, running_gemini, script_gemini

SCRIPT = '<script>alert(1)</script>'
IMAGE = '<img src=x onerror=alert(1)>'
LINK = '[click](javascript:alert(1))'
FILE_NAME = f'{IMAGE}.log'
LOG = (
    f'2026-01-01 10:00:00 INFO render started\n'
    f'2026-01-01 10:00:01 ERROR render failed: {SCRIPT} {IMAGE} {LINK} <b>raw</b>\n'
)
ANSWER = [
    f'## Summary\nThe template printed {SCRIPT} and {IMAGE} unescaped.\n\n',
    f'## Fix\nSee {LINK} and <a href="javascript:alert(1)">a raw link</a>.\n\n'
    '<iframe src="javascript:alert(1)"></iframe><div onmouseover="alert(1)">raw HTML block</div>\n',
]


@pytest.fixture(scope='module')
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, str]]:
    with running_gemini() as gemini, running_app(tmp_path_factory.mktemp('safety'), gemini_env(gemini)) as app:
        yield app, gemini


def test_payloads_in_a_log_and_an_answer_show_as_text_and_run_nothing(
        page: Page, server: tuple[AppServer, str]) -> None:
    app, gemini = server
    fired: list[str] = []
    page.on('dialog', lambda dialog: record_dialog(dialog, fired))
    page.on('console', lambda message: record_error(message, fired))
    page.on('pageerror', lambda error: fired.append(f'page error: {error}'))
    script_gemini(gemini, {'chunks': ANSWER})

    page.goto(app.url)
    page.get_by_label('Log file').locator('input[type=file]').set_input_files(
        files=[{'name': FILE_NAME, 'mimeType': 'text/plain', 'buffer': LOG.encode()}])
    ask = page.get_by_role('button', name='Diagnose with gemini-2.5-flash')
    expect(ask).to_be_visible(timeout=20_000)
    expect(page.get_by_text(FILE_NAME, exact=True).first).to_be_visible()
    expect(page.get_by_text('render failed: <script>alert(').first).to_be_visible()
    ask.click()
    expect(page.get_by_text(f'The template printed {SCRIPT} and {IMAGE} unescaped.')).to_be_visible(timeout=15_000)
    expect(page.get_by_text('<a href="javascript:alert(1)">a raw link</a>')).to_be_visible()
    expect(page.get_by_text('<div onmouseover="alert(1)">raw HTML block</div>')).to_be_visible()
    assert_no_payload_elements(page)
    results = page.url

    page.get_by_role('button', name='Share').click()
    share_link = page.get_by_label('Share link').input_value()

    page.goto(f'{app.url}/history')
    expect(page.get_by_role('link', name=FILE_NAME)).to_have_attribute('href', results.removeprefix(app.url))

    page.goto(share_link)
    expect(page.get_by_text(FILE_NAME, exact=True).first).to_be_visible()
    expect(page.get_by_text(f'The template printed {SCRIPT} and {IMAGE} unescaped.')).to_be_visible()
    expect(page.get_by_text('render failed: <script>alert(').first).to_be_visible()
    assert_no_payload_elements(page)
    page.wait_for_timeout(300)  # an image's onerror fires after its failed load
    assert fired == []


def assert_no_payload_elements(page: Page) -> None:
    """The payloads are text: no element they describe exists in the page."""
    for risky in ('script:not([src])', 'img[src=x]', 'iframe', '[onerror]', '[onmouseover]', 'a[href^="javascript"]'):
        assert page.locator(f'main {risky}, .q-page {risky}, .nicegui-content {risky}').count() == 0, risky


def record_dialog(dialog: Dialog, fired: list[str]) -> None:
    fired.append(f'dialog: {dialog.message}')
    dialog.dismiss()


def record_error(message: ConsoleMessage, fired: list[str]) -> None:
    if message.type == 'error':
        fired.append(f'console error: {message.text}')
