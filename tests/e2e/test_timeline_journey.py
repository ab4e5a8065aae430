"""The timeline in a browser: zooming and brushing narrow the groups table; a log without levels still shows volume."""

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from .conftest import AppServer, save_screenshot

# Two bursts an hour apart, each with an error of its own; the requests run through both.
TWO_BURSTS = '\n'.join(
    [f'2026-11-26 09:00:{second:02d},000 INFO [web] request served in {second}ms' for second in range(30)]
    + ['2026-11-26 09:00:10,500 ERROR [db] connection pool exhausted']
    + [f'2026-11-26 10:00:{second:02d},000 INFO [web] request served in {second}ms' for second in range(30)]
    + ['2026-11-26 10:00:15,500 ERROR [cache] redis timeout after 500ms']
) + '\n'
# Times, no levels: a program that writes `time message`.
NO_LEVELS = ''.join(f'2026-11-26T09:{minute:02d}:00Z worker picked job {minute}\n' for minute in range(0, 40, 3))
VOLUME_FILL = '#4263eb'  # ui.timeline_view.VOLUME_COLOUR


def test_zoom_and_brush_narrow_the_groups_table(page: Page, app_server: AppServer, tmp_path: Path) -> None:
    open_analysis(page, app_server, tmp_path / 'bursts.log', TWO_BURSTS)
    table = page.get_by_label('Event groups', exact=True)
    expect(table.get_by_text('connection pool exhausted')).to_be_visible()
    expect(table.get_by_text('redis timeout after')).to_be_visible()
    chart = page.locator('.nicegui-echart[aria-label^="Events per level over time"]')
    box = bounding_box(chart)

    # The slider's left handle dragged to the middle: the second hour's burst is left in view.
    slider_y = box['y'] + box['height'] - 18
    page.mouse.move(box['x'] + 53, slider_y)
    page.mouse.down()
    page.mouse.move(box['x'] + box['width'] * 0.6, slider_y, steps=8)
    page.mouse.up()
    expect(table.get_by_text('connection pool exhausted')).to_have_count(0)
    expect(table.get_by_text('redis timeout after')).to_be_visible()
    expect(page.get_by_text('bars. Groups seen 2026-11-26')).to_be_visible()  # the chart's status
    expect(page.get_by_text(re.compile(r'of 3 groups seen 2026-11-26'))).to_be_visible()  # the table's
    save_screenshot(page, 'timeline-zoomed')

    page.get_by_role('button', name='Show all times').click()
    expect(table.get_by_text('connection pool exhausted')).to_be_visible()

    # A drag across the bars of the first burst, at the chart's left.
    plot_left, plot_right = box['x'] + 48, box['x'] + box['width'] - 16
    page.mouse.move(plot_left + 2, box['y'] + 120)
    page.mouse.down()
    page.mouse.move(plot_left + (plot_right - plot_left) * 0.1, box['y'] + 120, steps=8)
    page.mouse.up()
    expect(table.get_by_text('redis timeout after')).to_have_count(0)
    expect(table.get_by_text('connection pool exhausted')).to_be_visible()
    save_screenshot(page, 'timeline-brushed')


def test_a_log_without_levels_shows_its_volume(page: Page, app_server: AppServer, tmp_path: Path) -> None:
    open_analysis(page, app_server, tmp_path / 'jobs.log', NO_LEVELS)
    expect(page.get_by_text('No levels found in this log')).to_be_visible()
    chart = page.locator('.nicegui-echart').first
    expect(chart).to_have_attribute('aria-label', 'Events over time (the log writes no levels), '
                                    'from 2026-11-26 09:00:00 to 2026-11-26 09:39:00 UTC')
    bars = chart.locator(f'path[fill="{VOLUME_FILL}" i]')
    expect(bars.first).to_be_attached(timeout=10_000)
    assert bars.count() >= len(range(0, 40, 3))
    save_screenshot(page, 'timeline-no-levels')


def open_analysis(page: Page, app_server: AppServer, path: Path, text: str) -> None:
    path.write_text(text, encoding='utf-8')
    page.set_viewport_size({'width': 1280, 'height': 900})
    page.goto(app_server.url)
    page.get_by_label('Choose a log file').set_input_files(str(path))
    expect(page.get_by_text('Events over time')).to_be_visible(timeout=30_000)
    page.get_by_text('Events over time').scroll_into_view_if_needed()


def bounding_box(element: Locator) -> dict[str, float]:
    expect(element).to_be_visible()
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box is not None
    return dict(box)
