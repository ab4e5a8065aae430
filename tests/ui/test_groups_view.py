from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from nicegui import ui
from nicegui.testing import User

from tests.ui.test_diagnosis_panel import paste_and_analyze
from tests.ui.test_saved_analyses import SECRET_LOG, analyze
from tests.ui.waits import WAIT
from ui.groups_view import GroupsTable
from ui.timeline_view import TimeRange

GROUPS = 1018
CRASH_TITLE = ('java.lang.NullPointerException: Cannot invoke "com.acme.Customer.discount()" '
               'because "this.customer" is null')
SPRING_CRASH = (
    '2026-11-26 10:00:00.000 ERROR 1 --- [nio-8080-exec-2] o.a.c.c.C.[.[.[/].[dispatcherServlet] : '
    f'Servlet.service() threw exception\n{CRASH_TITLE}\n'
    '\tat com.acme.orders.OrderService.total(OrderService.java:57)\n'
)


def many_groups_log() -> str:
    """One error, then GROUPS - 1 kinds of INFO line, each a group of its own (a different first word each);
    the last of them names a host that the template masks."""
    lines = ['2026-11-26 10:00:00 ERROR payment gateway refused the charge']
    for n in range(1, GROUPS - 1):
        lines.append(f'2026-11-26 10:{n // 60 % 60:02d}:{n % 60:02d} INFO {_word(n)} queue drained')
    lines.append('2026-11-26 11:00:00 INFO rebalance moved shards to db-replica-17')
    return '\n'.join(lines) + '\n'


async def analyzed(user: User, log: str) -> None:
    await paste_and_analyze(user, log)
    await user.should_see('Event groups', retries=WAIT)  # the table comes after the diagnosis


def _word(n: int) -> str:
    # Letters only: a digit would make the word a value, and every line one group.
    letters = ''
    while True:
        n, digit = divmod(n, 26)
        letters += 'abcdefghijklmnopqrstuvwxyz'[digit]
        if not n:
            return 'job' + letters


async def test_every_group_is_listed_in_pages_and_sorted_on_the_server(user: User) -> None:
    await analyzed(user, many_groups_log())
    await user.should_see(f'{GROUPS:,} groups.')
    table = user.find(kind=ui.table).elements.pop()
    assert table.pagination['rowsNumber'] == GROUPS and len(table.rows) == 25
    assert table.rows[0]['template'] == 'payment gateway refused the charge'
    last_page = -(-GROUPS // 100)
    user.find(kind=ui.table).trigger('request', {'pagination': {'page': last_page, 'rowsPerPage': 100}})
    assert table.pagination['page'] == last_page
    assert len(table.rows) == GROUPS - 100 * (last_page - 1)
    assert table.rows[-1]['template'] == 'rebalance moved shards to <*>'  # past the 500 largest: listed too
    user.find(kind=ui.table).trigger('request', {'pagination': {
        'page': 1, 'rowsPerPage': 10, 'sortBy': 'first_line', 'descending': True}})
    assert [row['first_line'] for row in table.rows] == list(range(GROUPS, GROUPS - 10, -1))
    user.find(kind=ui.table).trigger('request', {'pagination': {'page': 1, 'rowsPerPage': 10, 'sortBy': 'level',
                                                                'descending': True}})
    assert table.rows[0]['level'] == 'ERROR'


async def test_a_value_from_the_log_finds_its_group_and_shows_as_a_value(user: User) -> None:
    await analyzed(user, many_groups_log())
    table = user.find(kind=ui.table).elements.pop()
    user.find(kind=ui.input, content='Search messages and values').type('DB-replica-17')
    await user.should_see(f'1 of {GROUPS:,} groups.')
    [row] = table.rows
    assert row['template'] == 'rebalance moved shards to <*>'
    assert row['parts'] == [{'text': 'rebalance moved shards to ', 'slot': False},
                            {'text': 'db-replica-17', 'slot': True}]
    user.find(kind=ui.input, content='Search messages and values').clear()
    await user.should_see(f'{GROUPS:,} groups.')
    assert table.pagination['rowsNumber'] == GROUPS


async def test_a_crash_reads_as_its_exception_and_opens_from_any_page(user: User) -> None:
    await analyzed(user, SPRING_CRASH + many_groups_log())
    table = user.find(kind=ui.table).elements.pop()
    crash = table.rows[0]
    assert crash['title'] == CRASH_TITLE
    assert 'dispatcherServlet' in crash['template']
    user.find(kind=ui.input, content='Search messages and values').type('db-replica-17')
    [found] = table.rows
    user.find(kind=ui.table).trigger('rowClick', [{}, found, 0])
    await user.should_see('First occurrence, line')
    user.find(kind=ui.button, content='Diagnose this group').click()
    await user.should_see('The diagnosis panel now shows that group.')
    assert user.find(kind=ui.select, content='Problem to diagnose').elements.pop().value == found['id']


async def test_a_time_range_keeps_the_groups_seen_in_it(user: User) -> None:
    log = ('2026-11-26 10:00:00 ERROR disk quota exceeded on /srv\n'
           '2026-11-26 10:30:00 WARN slow response from billing\n'
           '2026-11-26 11:00:00 INFO nightly export finished\n')
    await analyzed(user, log)
    table = user.find(kind=ui.table).elements.pop()
    groups = user.find(kind=GroupsTable).elements.pop()
    time_filter = groups.time_filter
    assert time_filter is not None
    with user.client:  # as the timeline's brush sets it; times without a zone are read as UTC
        time_filter.set(TimeRange(datetime(2026, 11, 26, 10, 15, tzinfo=UTC),
                                  datetime(2026, 11, 26, 10, 45, tzinfo=UTC)))
    assert [row['template'] for row in table.rows] == ['slow response from billing']
    await user.should_see('1 of 3 groups seen 2026-11-26 10:15:00 – 10:45:00.')
    with user.client:
        time_filter.set(None)
    assert len(table.rows) == 3
    with user.client:  # a range given in another zone
        time_filter.set(TimeRange(datetime(2026, 11, 26, 11, 45, tzinfo=timezone(timedelta(hours=1))),
                                  datetime(2026, 11, 26, 12, 30, tzinfo=timezone(timedelta(hours=1)))))
    assert [row['template'] for row in table.rows] == ['nightly export finished']


async def test_a_share_link_opens_with_what_went_wrong_redacted(user: User, create_user: Callable[[], User]) -> None:
    await analyze(user, SECRET_LOG)
    user.find(marker='share').click()
    await user.should_see('Share link', retries=WAIT)
    link = user.find('Share link').elements.pop().value
    visitor = create_user()
    await visitor.open('/share/' + link.rsplit('/share/', 1)[1])
    await visitor.should_see('What went wrong', retries=WAIT)
    story = visitor.find(marker='incident-1', kind=ui.label).elements.pop().text
    assert story.startswith('ERROR "login failed for <EMAIL_1> password=<*>" happened 2 times')
    [row] = visitor.find(kind=ui.table).elements.pop().rows
    shown = ' '.join(part['text'] for part in row['parts'])
    assert 'ops-lead@acme-corp.com' not in shown and 'Tr0ub4dor-3' not in shown
    visitor.find(marker='open-incident-1').click()
    await visitor.should_see('First occurrence, line 1')
