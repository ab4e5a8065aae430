from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import AppServer, save_screenshot

FIXTURES = Path(__file__).parents[1] / 'fixtures'


def test_a_two_file_comparison_lists_the_planted_new_error_first(page: Page, app_server: AppServer) -> None:
    page.set_viewport_size({'width': 1280, 'height': 800})
    for name, lines in (('good_run.log', '79 lines'), ('bad_run.log', '115 lines')):
        page.goto(app_server.url)
        page.locator('input[type=file]').set_input_files(str(FIXTURES / name))
        expect(page.get_by_text(f'{lines}, ', exact=False).first).to_be_visible(timeout=20_000)
    page.get_by_label('Compare with an earlier analysis').click()
    page.get_by_role('option', name='good_run.log').click()
    expect(page.get_by_role('status').filter(has_text='new errors: 1')).to_be_visible(timeout=20_000)
    table = page.get_by_role('table', name='Changes since the good run')
    first = table.locator('tbody tr').first
    expect(first).to_contain_text('New')
    expect(first).to_contain_text('ERROR')
    expect(first).to_contain_text('ledger write failed: disk quota exceeded on <*>')
    expect(first).to_contain_text('line 77')
    expect(table.locator('tbody tr').nth(1)).to_contain_text('Growing')
    first.scroll_into_view_if_needed()
    save_screenshot(page, 'compare-1280x800')


def test_the_good_run_uploaded_on_the_bad_runs_page_is_compared_at_once(page: Page, app_server: AppServer) -> None:
    page.set_viewport_size({'width': 1280, 'height': 800})
    page.goto(app_server.url)
    page.get_by_label('Choose a log file').set_input_files(str(FIXTURES / 'bad_run.log'))
    expect(page.get_by_text('115 lines, ').first).to_be_visible(timeout=20_000)
    page.get_by_label("Choose the good run's log").set_input_files(str(FIXTURES / 'good_run.log'))
    expect(page.get_by_role('status').filter(has_text='Against good_run.log')).to_be_visible(timeout=30_000)
    first = page.get_by_role('table', name='Changes since the good run').locator('tbody tr').first
    expect(first).to_contain_text('New')
    expect(first).to_contain_text('ledger write failed: disk quota exceeded on <*>')
    first.scroll_into_view_if_needed()
    save_screenshot(page, 'compare-uploaded-baseline')
