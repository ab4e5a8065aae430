"""Uploads through the real browser widget: any file name is taken, what is not a log is refused by content, and a
file over the size limit is refused in the browser with the limit named."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.upload_samples import CATALINA_OUT, ROTATED_APP_LOG, png_image

from .conftest import AppServer, start_app, stop_app


def choose(page: Page, path: Path) -> None:
    page.get_by_label('Log file').locator('input[type=file]').set_input_files(str(path))


def test_logs_under_any_name_are_taken_and_an_image_is_refused_by_content(
        page: Page, app_server: AppServer, tmp_path: Path) -> None:
    for name, data, summary in (('catalina.out', CATALINA_OUT, '4 lines, 2 events'),
                                ('app.log.1', ROTATED_APP_LOG, '2 lines, 2 events')):
        (tmp_path / name).write_bytes(data)
        page.goto(app_server.url)
        choose(page, tmp_path / name)
        expect(page.get_by_text(summary)).to_be_visible(timeout=20_000)
        expect(page.get_by_text(name).first).to_be_visible()
        assert '/analysis/' in page.url
    (tmp_path / 'screenshot.png').write_bytes(png_image())
    page.goto(app_server.url)
    choose(page, tmp_path / 'screenshot.png')
    expect(page.get_by_role('status')).to_have_text('Error: this looks like a PNG image, not a text log',
                                                    timeout=20_000)
    assert '/analysis/' not in page.url


def test_a_file_over_the_limit_is_refused_naming_the_limit(page: Page, tmp_path: Path) -> None:
    server = start_app(tmp_path, {'MAX_UPLOAD_MB': '1'})
    try:
        big = tmp_path / 'big.log'
        big.write_bytes(ROTATED_APP_LOG * (2 * 1024 * 1024 // len(ROTATED_APP_LOG)))
        page.goto(server.url)
        choose(page, big)
        expect(page.get_by_role('status')).to_have_text(
            'Error: That file is larger than 1 MB, the largest log accepted.')
    finally:
        stop_app(server)
