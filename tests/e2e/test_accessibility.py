"""An automated accessibility audit (axe-core, injected by the test) of every page in both themes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import ROOT, AppServer, running_app
from .test_account_journey import register

THEMES = ('light', 'dark')
SERIOUS = ('serious', 'critical')
# A crash with a traceback, so that the results page shows groups, a diagnosis and its cited lines.
CRASH_LOG = (
    '2026-11-26 09:14:09,371 ERROR [db.pool] could not connect to server: Connection refused (db.internal:5432)\n'
    '2026-11-26 09:14:11,392 ERROR [web.app] Unhandled exception while serving /api/orders/1842\n'
    'Traceback (most recent call last):\n'
    '  File "/srv/app/db/pool.py", line 27, in _connect\n'
    '    raise ConnectionError("could not connect")\n'
    'ConnectionError: could not connect to server: Connection refused\n'
    '2026-11-26 09:14:12,210 WARNING [db.pool] Connection attempt 2 failed, retrying in 2s\n'
    '2026-11-26 09:14:15,004 INFO [web.server] GET /healthz 200 2ms\n'
)


@pytest.fixture(scope='module')
def axe_script() -> Path:
    # axe-core comes from npm: `make e2e` installs it and names it here; nothing is downloaded at test time.
    path = Path(os.environ.get('AXE_CORE') or ROOT / '.cache/axe-core/node_modules/axe-core/axe.min.js')
    if not path.is_file():
        pytest.skip(f'axe-core is not at {path}: `make e2e` installs it and runs this audit')
    return path


@pytest.fixture(scope='module')
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with running_app(tmp_path_factory.mktemp('audit')) as app:
        yield app


@pytest.mark.parametrize('theme', THEMES)
def test_no_page_has_a_serious_accessibility_violation(
    browser: Browser, server: AppServer, axe_script: Path, theme: str,
) -> None:
    # The audit runs as an init script, which a Content-Security-Policy does not stop; the app ships no axe.
    context = browser.new_context(viewport={'width': 1280, 'height': 800}, bypass_csp=True)
    context.add_init_script(path=str(axe_script))
    page = context.new_page()
    found: dict[str, list[str]] = {}

    def audit(name: str) -> None:
        page.wait_for_load_state('networkidle')
        found[name] = serious_violations(page)

    page.goto(server.url)
    if theme == 'dark':
        page.get_by_role('button', name='Switch to dark theme').click()
        expect(page.get_by_role('button', name='Switch to light theme')).to_be_visible()
    audit('analyze')
    page.get_by_label('Paste log text').fill(CRASH_LOG)
    page.get_by_role('button', name='Analyze').click()
    expect(page.get_by_role('heading', name='Root cause')).to_be_visible(timeout=20_000)
    audit('results')
    page.get_by_role('checkbox', name='Details of').first.click()
    expect(page.get_by_role('dialog')).to_be_visible()
    audit('group detail')
    page.keyboard.press('Escape')
    page.get_by_role('button', name='Share').click()
    share_link = page.get_by_label('Share link').input_value()
    page.goto(f'{server.url}/history')
    expect(page.get_by_role('link', name='could not connect to server')).to_be_visible()
    audit('history')
    page.get_by_role('button', name='Delete').first.click()
    expect(page.get_by_role('dialog')).to_be_visible()
    audit('history, asking to confirm a delete')
    page.keyboard.press('Escape')
    page.goto(share_link)
    expect(page.get_by_text('Shared analysis (read-only')).to_be_visible()
    audit('share')
    for name in ('login', 'register', 'reset', 'faq', 'privacy', 'terms'):
        page.goto(f'{server.url}/{name}')
        audit(name)
    register(page, f'audit-{theme}@example.com')
    page.goto(f'{server.url}/account')
    expect(page.get_by_text('Your account', exact=True)).to_be_visible()
    audit('account')
    context.close()
    failing = {name: violations for name, violations in found.items() if violations}
    assert failing == {}, '\n'.join(f'{name}:\n  ' + '\n  '.join(violations) for name, violations in failing.items())


def serious_violations(page: Page) -> list[str]:
    """What axe-core finds of serious or critical impact on the page as it is now, one line per element."""
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f'{violation["id"]} ({violation["impact"]}): {violation["help"]} at {" ".join(node["target"])}: '
        f'{node.get("failureSummary", "").splitlines()[-1].strip()}'
        for violation in result['violations'] if violation['impact'] in SERIOUS
        for node in violation['nodes']
    ]
