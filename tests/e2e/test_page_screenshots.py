"""Every page at desktop and phone size: saved as screenshots, and none scrolls sideways on a phone."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from .conftest import AppServer, page_drawn, running_app, save_screenshot
from .test_account_journey import register

FIXTURES = Path(__file__).parents[1] / 'fixtures'
SIZES = ((1280, 800), (390, 844))
OVERFLOW_TOLERANCE = 2  # pixels of rounding


@pytest.fixture(scope='module')
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with running_app(tmp_path_factory.mktemp('screens')) as app:
        yield app


@pytest.mark.parametrize(('width', 'height'), SIZES)
def test_every_page_fits_and_is_captured(browser: Browser, server: AppServer, width: int, height: int) -> None:
    context = browser.new_context(viewport={'width': width, 'height': height})
    page = context.new_page()
    overflowing: list[str] = []

    def capture(name: str) -> None:
        page_drawn(page)
        save_screenshot(page, f'{name}-{width}x{height}')
        scroll_width = page.evaluate('document.documentElement.scrollWidth')
        if scroll_width > width + OVERFLOW_TOLERANCE:
            overflowing.append(f'{name} ({scroll_width} px)')

    page.goto(server.url)
    expect(page.get_by_label('Paste log text')).to_be_visible()
    capture('analyze')
    page.get_by_label('Log file').locator('input[type=file]').set_input_files(str(FIXTURES / 'app.log'))
    expect(page.get_by_role('heading', name='Root cause')).to_be_visible(timeout=20_000)
    page.wait_for_timeout(1_000)  # the charts' entry animation, so the picture shows them whole
    capture('results')
    page.get_by_role('button', name='Share').click()
    share_link = page.get_by_label('Share link').input_value()
    page.goto(f'{server.url}/history')
    expect(page.get_by_role('link', name='app.log')).to_be_visible()
    capture('history')
    for name in ('login', 'register', 'reset', 'faq', 'privacy', 'terms'):
        page.goto(f'{server.url}/{name}')
        capture(name)
    page.goto(share_link)
    expect(page.get_by_text('Shared analysis (read-only')).to_be_visible()
    capture('share')
    page.goto(server.url)
    register(page, f'screens-{width}@example.com')
    page.goto(f'{server.url}/account')
    expect(page.get_by_text('Your account', exact=True)).to_be_visible()
    capture('account')
    context.close()
    if width < 600:
        assert overflowing == [], f'pages wider than the {width} px screen: {overflowing}'
