"""A cited line of a 200,000-line log opens in the log view with the lines before and after it, and the group's
other occurrences are a click away."""

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from .conftest import AppServer

LINES = 200_000
# A rare failure planted among routine lines, at known line numbers.
FAILURES = (50_000, 120_000, 180_000)


def write_log(path: Path) -> None:
    with path.open('w', encoding='utf-8') as out:
        for n in range(1, LINES + 1):
            stamp = f'2026-11-26 {n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d},000'
            if n in FAILURES:
                out.write(f'{stamp} ERROR [store] cannot write segment {n}: No space left on device\n')
            else:
                out.write(f'{stamp} INFO [http] GET /api/items/{n} 200 in {n % 97} ms\n')


def row(page: Page, number: int) -> Locator:
    return page.get_by_role('region', name='Log lines').locator(f'[data-line="{number}"]')


def test_a_cited_line_opens_with_its_neighbours_and_steps_through_its_group(
        page: Page, app_server: AppServer, tmp_path: Path) -> None:
    log = tmp_path / 'disk.log'
    write_log(log)
    page.set_viewport_size({'width': 1280, 'height': 800})
    page.goto(app_server.url)
    page.locator('input[type=file]').set_input_files(str(log))
    cited = page.get_by_role('button', name='Open line 120000')
    expect(cited).to_be_visible(timeout=120_000)  # the offline analyzer cites the failure's occurrences
    cited.click()

    status = page.get_by_role('status').filter(has_text='Line 120,000 of 200,000')
    expect(status).to_be_visible()
    expect(row(page, 120_000)).to_contain_text('cannot write segment 120000: No space left on device')
    expect(row(page, 120_000)).to_be_in_viewport()
    expect(row(page, 119_999)).to_contain_text('GET /api/items/119999')
    expect(row(page, 120_001)).to_contain_text('GET /api/items/120001')

    page.get_by_role('button', name='Next occurrence').click()
    expect(page.get_by_role('status').filter(has_text='Line 180,000 of 200,000: occurrence 3 of the 3')).to_be_visible()
    expect(row(page, 180_000)).to_contain_text('cannot write segment 180000')
    expect(row(page, 180_000)).to_be_in_viewport()
    expect(row(page, 180_001)).to_contain_text('GET /api/items/180001')
    page.get_by_role('button', name='Previous occurrence').click()
    page.get_by_role('button', name='Previous occurrence').click()
    expect(page.get_by_role('status').filter(has_text='Line 50,000 of 200,000: occurrence 1 of the 3')).to_be_visible()
    expect(row(page, 49_999)).to_contain_text('GET /api/items/49999')
    expect(row(page, 50_000)).to_contain_text('cannot write segment 50000')
    expect(row(page, 50_000)).to_be_in_viewport()
