import pytest
from playwright.sync_api import Page, expect

from tests.ui.test_what_went_wrong import frequent_and_rare_log

from .conftest import AppServer


@pytest.mark.parametrize(('width', 'height'), [(1280, 800), (390, 844)])
def test_the_most_important_error_is_on_the_first_screen(page: Page, app_server: AppServer, width: int,
                                                         height: int) -> None:
    page.set_viewport_size({'width': width, 'height': height})
    page.goto(app_server.url)
    page.get_by_label('Paste log text').fill(frequent_and_rare_log())
    page.get_by_role('button', name='Analyze').click()
    top = page.get_by_text('FATAL "cannot write <*> No space left on device" happened once')
    expect(top).to_be_visible(timeout=20_000)
    assert page.evaluate('window.scrollY') == 0
    box = top.bounding_box()
    assert box is not None and box['y'] >= 0 and box['y'] + box['height'] <= height
