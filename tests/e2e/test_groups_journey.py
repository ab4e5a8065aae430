"""Groups people can read and search: every group paged from the server, a value from the log finds its group,
and a share link opens with what went wrong."""

import re

from playwright.sync_api import Page, expect

from tests.ui.test_groups_view import CRASH_TITLE, GROUPS, SPRING_CRASH, many_groups_log

from .conftest import AppServer


def analyze(page: Page, url: str, text: str) -> None:
    """Upload `text` as a log file (a log this size is uploaded rather than pasted) and wait for its groups."""
    page.goto(url)
    page.get_by_label('Choose a log file').set_input_files(
        {'name': 'service.log', 'mimeType': 'text/plain', 'buffer': text.encode()})
    expect(page.get_by_text('Event groups')).to_be_visible(timeout=30_000)


def test_a_value_from_the_log_finds_its_group_among_a_thousand(page: Page, app_server: AppServer) -> None:
    page.set_viewport_size({'width': 1280, 'height': 800})
    analyze(page, app_server.url, SPRING_CRASH + many_groups_log())
    groups = page.get_by_role('table')
    expect(page.get_by_text(f'{GROUPS + 1:,} groups.')).to_be_visible()
    expect(groups.get_by_role('cell', name=re.compile('^' + re.escape(CRASH_TITLE)))).to_be_visible()
    page.get_by_role('button', name='Next page').click()
    expect(page.get_by_text(f'26-50 of {GROUPS + 1}')).to_be_visible()
    page.get_by_label('Search messages and values').fill('db-replica-17')
    expect(page.get_by_text(f'1 of {GROUPS + 1:,} groups.')).to_be_visible()
    value = groups.locator('mark', has_text='db-replica-17')
    expect(value).to_be_visible()
    expect(groups.get_by_role('cell', name='rebalance moved shards to db-replica-17', exact=True)).to_be_visible()
    groups.get_by_role('checkbox', name='Details of rebalance moved shards to').click()
    expect(page.get_by_role('dialog', name='Group details')).to_contain_text('moved shards to db-replica-17')


def test_a_share_link_opens_with_what_went_wrong(page: Page, app_server: AppServer) -> None:
    page.set_viewport_size({'width': 1280, 'height': 800})
    analyze(page, app_server.url, SPRING_CRASH + '2026-11-26 10:00:05.000 INFO 1 --- [main] c.a.Boot : ready\n')
    page.get_by_role('button', name='Share').click()
    page.goto(page.get_by_label('Share link').input_value())
    story = page.get_by_role('region', name='What went wrong')
    expect(story).to_contain_text(CRASH_TITLE)
    assert page.evaluate('window.scrollY') == 0
    top = story.get_by_text(CRASH_TITLE).bounding_box()
    assert top is not None and 0 <= top['y'] <= 800  # on the first screen
    story.get_by_role('button', name='Open incident 1').click()
    expect(page.get_by_role('dialog', name='Group details')).to_contain_text('OrderService.total')
