from typing import Any

import pytest
from nicegui import ui
from nicegui.testing import User

from parsers import Excerpt, Group
from tests.ui.test_diagnosis_panel import paste_and_analyze
from ui.log_view import LogLines

# A timeout three times among routine lines, each followed by a retry line.
LOG = '\n'.join(
    f'2026-11-26 10:{n // 60:02d}:{n % 60:02d} ' + (
        f'ERROR [db] query {n} timed out' if n in (100, 200, 300) else
        f'WARN [db] retrying query {n - 1}' if n in (101, 201, 301) else f'INFO [web] request {n} served')
    for n in range(1, 501)
) + '\n'


def shown_rows(user: User) -> dict[Any, dict[str, Any]]:
    rows = user.find(marker='log-lines').elements.pop().props['items']
    return {row['n']: row for row in rows}


def status(user: User) -> str:
    return user.find(marker='log-status', kind=ui.label).elements.pop().text


async def open_timeouts(user: User) -> None:
    await paste_and_analyze(user, LOG)
    table = user.find(kind=ui.table).elements.pop()
    timeouts = next(row for row in table.rows if 'timed out' in row['template'])
    user.find(kind=ui.table).trigger('rowClick', [{}, timeouts, 0])
    await user.should_see('First occurrence, line 100; last occurrence, line 300')


async def test_a_group_opens_at_its_first_occurrence_with_the_lines_before_and_after_it(user: User) -> None:
    await open_timeouts(user)
    rows = shown_rows(user)
    assert 'bg-yellow-100' in rows[100]['c'] and 'text-red-700' in rows[100]['c']  # the target, coloured as an error
    assert rows[99]['t'].endswith('request 99 served')
    assert rows[101]['t'].endswith('WARN [db] retrying query 100') and 'text-orange-800' in rows[101]['c']
    assert status(user) == 'Line 100: occurrence 1 of the 3 shown here (3 in the log).'


async def test_next_and_previous_step_through_the_occurrences(user: User) -> None:
    await open_timeouts(user)
    user.find(marker='next-occurrence').click()
    assert status(user) == 'Line 200: occurrence 2 of the 3 shown here (3 in the log).'
    assert 'bg-yellow-100' in shown_rows(user)[200]['c']
    user.find(marker='next-occurrence').click()
    user.find(marker='next-occurrence').click()  # past the last one, back to the first
    assert status(user).startswith('Line 100: occurrence 1')
    user.find(marker='previous-occurrence').click()
    assert status(user).startswith('Line 300: occurrence 3')
    assert shown_rows(user)[301]['t'].endswith('retrying query 300')  # the line after the last occurrence


async def test_a_line_that_was_not_kept_shows_the_nearest_kept_one(user: User) -> None:
    await open_timeouts(user)
    user.find(kind=ui.number, content='Go to line').type('150')
    user.find(kind=ui.button, content='Go').click()
    assert status(user).startswith('Line 150 was not kept; the nearest kept line is shown. Line ')
    gaps = [row for row in shown_rows(user).values() if row['n'] == '…']
    assert gaps and gaps[0]['t'].endswith('lines not kept')


async def test_long_lines_wrap_or_scroll_and_are_never_cut_by_the_page(user: User) -> None:
    await open_timeouts(user)
    assert 'whitespace-pre-wrap' in shown_rows(user)[100]['w']
    user.find(kind=ui.switch, content='Wrap long lines').click()
    assert shown_rows(user)[100]['w'] == 'whitespace-pre'


@pytest.fixture
def keep_uploads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('KEEP_UPLOADS', 'true')


async def test_with_uploads_kept_the_whole_log_is_shown_and_any_line_opens(keep_uploads: None, user: User) -> None:
    await paste_and_analyze(user, LOG)
    user.find(marker='open-log').click()
    await user.should_see('Line 1 of 500', retries=50)
    user.find(kind=ui.number, content='Go to line').type('150')
    user.find(kind=ui.button, content='Go').click()
    await user.should_see('Line 150 of 500')
    rows = shown_rows(user)
    assert rows[150]['t'].endswith('request 150 served')
    assert '…' not in rows  # nothing left out


async def test_without_kept_uploads_the_log_view_shows_the_kept_lines_and_says_so(user: User) -> None:
    await paste_and_analyze(user, LOG)
    user.find(marker='open-log').click()
    await user.should_see("The lines the analysis kept around each group's occurrences", retries=50)
    assert shown_rows(user)[1]['t'].endswith('request 1 served')


def test_kept_lines_are_found_by_number_and_the_nearest_one_stands_in_for_a_missing_one() -> None:
    group = Group(id=1, template='t', level='ERROR', count=2, first_line=10, example='e',
                  excerpts=[Excerpt(9, ['a', 'b', 'c']), Excerpt(40, ['x'])])
    lines = LogLines.kept([group], 100)
    assert list(lines.numbers) == [9, 10, 11, 40] and list(lines.texts) == ['a', 'b', 'c', 'x']
    assert 10 in lines and 12 not in lines
    assert lines.numbers[lines.nearest(20)] == 11 and lines.numbers[lines.nearest(30)] == 40
    assert lines.numbers[lines.nearest(1)] == 9 and lines.numbers[lines.nearest(500)] == 40
    whole = LogLines.of_log('one\ntwo\nthree')
    assert (whole.total, whole.texts[whole.nearest(2)], 4 in whole) == (3, 'two', False)
