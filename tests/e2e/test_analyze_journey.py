from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import AppServer, save_screenshot

FIXTURES = Path(__file__).parents[1] / 'fixtures'


def test_guest_uploads_a_log_and_sees_summary_and_diagnosis(page: Page, app_server: AppServer) -> None:
    page.set_viewport_size({'width': 1280, 'height': 800})
    page.goto(app_server.url)
    expect(page.get_by_text('Offline diagnoses are free and unlimited')).to_be_visible()
    # The file chooser is one control with a name of its own (not an icon's "add_box").
    page.get_by_label('Choose a log file').set_input_files(str(FIXTURES / 'app.log'))
    expect(page.get_by_text('16 lines, 8 events')).to_be_visible(timeout=20_000)
    assert '/analysis/' in page.url
    expect(page.get_by_role('heading', name='Root cause')).to_be_visible(timeout=20_000)
    expect(page.get_by_text('Offline diagnoses are free and unlimited')).to_be_visible()
    save_screenshot(page, 'uploaded-1280x800')
