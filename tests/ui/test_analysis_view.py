from datetime import UTC, datetime

from nicegui import ui
from nicegui.elements.markdown import prepare_content
from nicegui.testing import User

from services.samples import SAMPLES
from tests.ui.waits import WAIT
from ui.analysis_view import _time_span, html_as_text
from ui.log_view import cited_lines


async def open_sample(user: User, title: str) -> None:
    await user.open('/')
    user.find(kind=ui.button, content=title).click()
    await user.should_see('Event groups', retries=100)


async def test_every_sample_log_can_be_tried(user: User) -> None:
    for sample in SAMPLES:
        await open_sample(user, sample.title)
        await user.should_see(sample.file_name)


async def test_results_show_cards_timeline_and_groups(user: User) -> None:
    await open_sample(user, 'Java service: out of memory')
    await user.should_see('Time span')
    await user.should_see('Events over time')
    table = user.find(kind=ui.table).elements.pop()
    assert table.rows[0]['level'] == 'ERROR'
    assert {row['level'] for row in table.rows} >= {'ERROR', 'WARN', 'INFO'}


async def test_groups_filter_by_level_and_text(user: User) -> None:
    await open_sample(user, 'Java service: out of memory')
    table = user.find(kind=ui.table).elements.pop()
    level_filter = user.find(kind=ui.select, content='Level').elements.pop()
    level_filter.value = 'WARN'
    assert table.rows and {row['level'] for row in table.rows} == {'WARN'}
    level_filter.value = 'Any level'
    user.find(kind=ui.input, content='Search messages').type('housekeeper delta=1m2s')  # a value in the line
    [row] = table.rows
    assert 'Thread starvation or clock leap detected' in row['template']


async def test_a_group_opens_with_its_full_event_and_context(user: User) -> None:
    await open_sample(user, 'Python app: database refused')
    table = user.find(kind=ui.table).elements.pop()
    crash = next(row for row in table.rows if 'Unhandled exception' in row['template'])
    user.find(kind=ui.table).trigger('rowClick', [{}, crash, 0])
    await user.should_see('First occurrence, line 6')
    rows = user.find(marker='log-lines').elements.pop().props['items']
    shown = {row['n']: row['t'] for row in rows}
    assert 'ConnectionError: could not connect to server: Connection refused' in '\n'.join(shown.values())
    assert 5 in shown and 7 in shown  # the lines before the first occurrence and after it
    user.find(kind=ui.button, content='Diagnose this group').click()
    await user.should_see('The diagnosis panel now shows that group.')
    assert user.find(kind=ui.select, content='Problem to diagnose').elements.pop().value == crash['id']


async def test_cited_lines_become_links_to_the_kept_lines(user: User) -> None:
    await open_sample(user, 'Python app: database refused')
    await user.should_see('Cited lines:', retries=WAIT)
    user.find(kind=ui.button, content='Line 4').click()
    await user.should_see('could not connect to server: Connection refused (db.internal:5432)')


def test_citations_are_read_in_the_shapes_answers_use() -> None:
    answer = 'See line 12, lines 40-42 and lines 7 and 9; also L100. Version 2.0 and 3 lines later are not cites.'
    assert cited_lines(answer) == [12, 40, 41, 42, 7, 9, 100]


def test_source_line_numbers_of_a_traceback_and_numbers_past_the_log_are_not_citations() -> None:
    answer = ('The crash at line 12 comes from `File "app/db.py", line 88, in connect` (see also\n'
              '```\n  File "/srv/app.py", line 7, in main\n```\nand lines 40-41; line 9000 is past the end.')
    assert cited_lines(answer, 100) == [12, 40, 41]


def test_raw_html_in_answers_reads_as_text_but_code_is_untouched() -> None:
    answer = 'Mail <EMAIL_1> failed; <script>alert(1)</script>\n\n```text\nif a < b: <EMAIL_1>\n```\nand `x<y`'
    assert html_as_text(answer) == (
        'Mail &lt;EMAIL_1> failed; &lt;script>alert(1)&lt;/script>\n\n```text\nif a < b: <EMAIL_1>\n```\nand `x<y`'
    )


def test_rendered_answer_shows_placeholders_and_html_as_text() -> None:
    answer = 'Mail to <EMAIL_1> bounced. <img src=x onerror=alert(1)> <b>bold</b>\n\n```\n<EMAIL_1>\n```'
    html = prepare_content(html_as_text(answer), ' '.join(ui.markdown.default_extras))
    assert html.count('&lt;EMAIL_1') == 2  # visible as text in prose and in code
    assert '<EMAIL_1>' not in html
    assert '<img' not in html
    assert '<b>' not in html


async def test_the_answer_can_be_copied(user: User) -> None:
    await open_sample(user, 'nginx: 502 storm')
    await user.should_see('Copy answer', retries=WAIT)
    user.find(kind=ui.button, content='Copy answer').click()
    await user.should_see('The answer is on the clipboard as Markdown.')


async def test_a_log_without_timestamps_says_so_instead_of_a_chart(user: User) -> None:
    await user.open('/')
    user.find('Or paste log text').type('ERROR boom\nWARN careful\n')
    user.find(marker='analyze').click()
    await user.should_see('The log has no timestamps to draw a timeline from.', retries=100)


async def test_a_short_log_still_gets_its_timeline(user: User) -> None:
    await open_sample(user, 'Python app: database refused')
    assert len(user.find(kind=ui.echart).elements) == 2  # the timeline and the level breakdown


async def test_levels_said_by_the_messages_are_shown_as_inferred(user: User) -> None:
    await user.open('/')
    lines = [f'Jun 14 15:16:{n:02d} host sshd[{n}]: connection from 10.0.0.{n} refused' for n in range(3)]
    lines += [f'Jun 14 15:17:{n:02d} host cron[{n}]: job {n} started' for n in range(2)]
    user.find('Or paste log text').type('\n'.join(lines) + '\n')
    user.find(marker='analyze').click()
    await user.should_see('3 errors (3 inferred from the messages)', retries=100)
    table = user.find(kind=ui.table).elements.pop()
    assert [row['level'] for row in table.rows] == ['ERROR (inferred)', '-']
    timeline = next(chart for chart in user.find(kind=ui.echart).elements if 'xAxis' in chart.options)
    assert [series['name'] for series in timeline.options['series']] == ['No level', 'ERROR']


def test_a_time_span_from_a_time_without_a_zone_to_one_with_it_is_read_in_utc() -> None:
    # Analyses saved before one analysis held one kind of time can mix the two.
    assert _time_span(datetime(2026, 11, 26, 9, 0), datetime(2026, 11, 26, 10, 30, tzinfo=UTC)) == \
        '1.5 hours from 2026-11-26 09:00'
    assert _time_span(None, datetime(2026, 11, 26, 10, 30)) == ''
