"""An automated accessibility audit (axe-core, injected by the test) of every page in both themes."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import ROOT, AppServer, page_drawn, running_app
from .test_account_journey import register

THEMES = ('light', 'dark')
SERIOUS = ('serious', 'critical')
PHONE = (390, 844)
CRASH_MESSAGE = 'could not connect to server: Connection refused (db.internal:5432)'  # its first group, values filled
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
        page_drawn(page)
        found[name] = serious_violations(page)

    page.goto(server.url)
    if theme == 'dark':
        page.get_by_role('button', name='Switch to dark theme').click()
        expect(page.get_by_role('button', name='Switch to light theme')).to_be_visible()
    audit('analyze')
    analyze(page, server.url)
    audit('results')
    page.get_by_role('checkbox', name='Details of').first.click()
    expect(page.get_by_role('dialog')).to_be_visible()
    audit('group detail')
    page.keyboard.press('Escape')
    page.get_by_role('button', name='Open line').first.click()
    expect(page.get_by_role('dialog', name='Log lines')).to_be_visible()
    audit('cited line')
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
    # Leaving while the dialog still closes leaves the next page short of its network-idle signal.
    expect(page.get_by_role('dialog')).to_be_hidden()
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


def test_every_control_shows_a_clear_focus_ring(browser: Browser, server: AppServer) -> None:
    """Tabbing through the pages: each control gets a ring of 2 px or more at 3:1 or more against what is behind it."""
    page = browser.new_page(viewport={'width': 1280, 'height': 800})
    weak: list[str] = []
    results = analyze(page, server.url)
    for theme in THEMES:
        if theme == 'dark':
            page.get_by_role('button', name='Switch to dark theme').click()
            expect(page.get_by_role('button', name='Switch to light theme')).to_be_visible()
        for url in (server.url, results, f'{server.url}/history'):
            page.goto(url)
            page_drawn(page)
            weak += [f'{theme} {url}: {problem}' for problem in weak_focus_rings(page)]
    page.close()
    assert weak == []


def test_chart_text_is_readable_and_grid_lines_recede_in_both_themes(browser: Browser, server: AppServer) -> None:
    page = browser.new_page(viewport={'width': 1280, 'height': 800})
    analyze(page, server.url)
    page.get_by_role('img', name='Events per level over time').wait_for()
    for theme in THEMES:
        if theme == 'dark':  # switched on the page itself: the drawn charts follow
            page.get_by_role('button', name='Switch to dark theme').click()
        page.mouse.move(0, 0)  # a resting pointer over the chart draws its hover line, which is not grid ink
        assert eventually(lambda: chart_ink_problems(page)) == [], theme
    page.close()


def test_on_a_phone_the_donut_leaves_room_and_group_messages_fit(browser: Browser, server: AppServer) -> None:
    width, height = PHONE
    page = browser.new_page(viewport={'width': width, 'height': height})
    analyze(page, server.url)
    page_drawn(page)  # the table's columns are measured once they have settled
    donut = page.get_by_role('img', name='Events per level:').bounding_box()
    assert donut is not None and donut['height'] <= height / 4
    table = page.locator('.q-table__middle')
    assert table.evaluate('middle => middle.scrollWidth <= middle.clientWidth'), 'the groups table scrolls sideways'
    message = page.get_by_role('cell', name=CRASH_MESSAGE, exact=True).bounding_box()
    assert message is not None and message['width'] >= width * 0.45
    page.close()


@pytest.fixture(scope='module')
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with running_app(tmp_path_factory.mktemp('audit')) as app:
        yield app


def analyze(page: Page, url: str) -> str:
    """Paste the crash log and wait for its diagnosis; returns the results page's URL."""
    page.goto(url)
    page.get_by_label('Paste log text').fill(CRASH_LOG)
    page.get_by_role('button', name='Analyze').click()
    expect(page.get_by_role('heading', name='Root cause')).to_be_visible(timeout=20_000)
    return page.url


def weak_focus_rings(page: Page, most: int = 150) -> list[str]:
    """Tab through the page (until focus comes back around); what each stop shows, where it is too faint."""
    problems: list[str] = []
    seen: set[str] = set()
    for _ in range(most):
        page.keyboard.press('Tab')
        stop = page.evaluate(FOCUS_RING_JS)
        if stop is None or stop['key'] in seen:
            break
        seen.add(stop['key'])
        width = float(str(stop['width']).removesuffix('px') or 0)
        ratio = contrast(stop['ring'], stop['behind']) if width else 0
        if width < 2 or ratio < 3:
            problems.append(f'{stop["name"]}: {width:g} px, {ratio:.2f}:1')
    return problems


# The focused control, or the nearest of its parents drawing an outline (Quasar fields ring their whole box), and
# the colour behind that outline.
FOCUS_RING_JS = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return null;
  let ringed = focused;
  for (let up = focused, depth = 0; up && depth < 5; up = up.parentElement, depth++) {
    if (getComputedStyle(up).outlineStyle !== 'none' && parseFloat(getComputedStyle(up).outlineWidth) > 0) {
      ringed = up; break;
    }
  }
  let behind = 'rgb(255, 255, 255)';
  for (let up = ringed.parentElement; up; up = up.parentElement) {
    const colour = getComputedStyle(up).backgroundColor;
    if (!colour.startsWith('rgba') || colour.endsWith(', 1)')) { behind = colour; break; }
  }
  const style = getComputedStyle(ringed);
  const name = focused.getAttribute('aria-label') || focused.innerText || focused.tagName;
  const key = focused.id || name + focused.getBoundingClientRect().top;
  return {key, name: name.trim().slice(0, 60),
          width: style.outlineStyle === 'none' ? 0 : style.outlineWidth, ring: style.outlineColor, behind};
}"""


def chart_ink_problems(page: Page) -> list[str]:
    """Chart text under 4.5:1 against its card, and axis or grid lines that stand out more than its text."""
    problems: list[str] = []
    charts = page.evaluate(CHART_INK_JS)
    if not charts:
        return ['no chart on the page']
    for chart in charts:
        if not chart['texts']:
            problems.append(f'{chart["name"]}: no text in the drawing to check')
        texts = [contrast(colour, chart['behind']) for colour in chart['texts']]
        lines = [contrast(colour, chart['behind']) for colour in chart['lines']]
        problems += [f'{chart["name"]}: text at {ratio:.2f}:1' for ratio in texts if ratio < 4.5]
        if texts and lines and max(lines) > max(texts):
            problems.append(f'{chart["name"]}: lines at {max(lines):.2f}:1, text at {max(texts):.2f}:1')
    return problems


CHART_INK_JS = """() => [...document.querySelectorAll('.nicegui-echart')].map(chart => {
  let behind = 'rgb(255, 255, 255)';
  for (let up = chart; up; up = up.parentElement) {
    const colour = getComputedStyle(up).backgroundColor;
    if (!colour.startsWith('rgba') || colour.endsWith(', 1)')) { behind = colour; break; }
  }
  const paths = [...chart.querySelectorAll('svg path')].map(path => getComputedStyle(path));
  return {
    name: chart.getAttribute('aria-label'), behind,
    texts: [...chart.querySelectorAll('svg text')].map(text => getComputedStyle(text).fill),
    lines: paths.filter(style => style.fill === 'none' && style.stroke !== 'none').map(style => style.stroke),
  };
})"""


def eventually(check: Any, seconds: float = 5) -> Any:
    """The check's answer once it is empty, or its last answer after `seconds` (a redraw takes a moment)."""
    deadline = time.monotonic() + seconds
    while (answer := check()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return answer


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS colours given as rgb()/rgba()."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(colour: str) -> float:
    red, green, blue = (int(channel) / 255 for channel in re.findall(r'\d+(?:\.\d+)?', colour)[:3])
    linear = [value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4 for value in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
