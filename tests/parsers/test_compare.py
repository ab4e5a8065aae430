import json
from datetime import datetime, timedelta

from parsers import Analysis, Group, analyze_lines
from parsers.compare import Basis, Change, GroupChange, compare

START = datetime(2026, 3, 1, 10, 0, 0)
TRACE = [
    'Traceback (most recent call last):',
    '  File "/srv/app/orders.py", line {line}, in list_orders',
    '    rows = fetch(customer)',
    '  File "/srv/app/db.py", line 41, in fetch',
    '    raise ConnectionError(dsn)',
]


def timed(*events: tuple[float, str]) -> list[str]:
    """Log lines at the given minutes after START; a message may span lines."""
    lines = []
    for minute, message in events:
        stamp = (START + timedelta(minutes=minute)).strftime('%Y-%m-%d %H:%M:%S')
        lines.append(f'{stamp} {message}')
    return '\n'.join(lines).split('\n')


def steady(minutes: int, every: int = 1) -> list[tuple[float, str]]:
    """A healthy service's chatter: a request line every `every` minutes."""
    return [(minute, f'INFO GET /api/orders/{minute} 200 {minute % 7 + 3}ms') for minute in range(0, minutes, every)]


def crash(last: str, line: int, trace: list[str] = TRACE) -> str:
    return '\n'.join(['ERROR request failed', *trace, last]).format(line=line)


def kinds(rows: list[GroupChange]) -> list[tuple[str, str, str]]:
    return [(row.change.value, row.level, row.template) for row in rows]


def test_a_planted_error_is_new_and_listed_first() -> None:
    good = analyze_lines(timed(*steady(60), (5, 'WARN cache miss for key user:1'), (9, 'WARN cache miss for key a:2')))
    bad = analyze_lines(timed(*steady(60), (7, 'WARN cache miss for key user:9'),
                              (30, 'ERROR payment gateway rejected card: insufficient funds'),
                              (31, 'ERROR payment gateway rejected card: insufficient funds')))
    comparison = compare(bad, good)
    first = comparison.ordered()[0]
    assert (first.change, first.level) == (Change.NEW, 'ERROR')
    assert first.template == 'payment gateway rejected card: insufficient funds'
    assert (first.log.count, first.baseline.count) == (2, 0)
    assert first.log.first_line == bad.groups[0].first_line == 62
    assert first.log.first_seen == START + timedelta(minutes=30)
    assert [row.template for row in comparison.new] == ['payment gateway rejected card: insufficient funds']
    assert comparison.gone == []
    assert comparison.counts() == '1 new, 0 gone, 0 growing, 0 shrinking, 2 unchanged; new errors: 1'
    assert sorted(row.template.split()[0] for row in comparison.unchanged) == ['GET', 'cache']


def test_groups_match_by_what_they_are_not_by_id() -> None:
    # The baseline saw the login once, so its template keeps the user's name; the groups come in another order.
    good = analyze_lines(timed((0, 'ERROR disk full on /var/lib/db'), (1, 'INFO user alice logged in from the web'),
                               *[(minute, 'WARN slow query took 900ms') for minute in range(2, 60)]))
    bad = analyze_lines(timed(*[(minute, f'INFO user {name} logged in from the web')
                                for minute, name in enumerate(['bob', 'carol', 'dave'])],
                              *[(minute, 'WARN slow query took 850ms') for minute in range(3, 61)],
                              (61, 'ERROR disk full on /var/lib/db')))
    assert [group.template for group in bad.groups] != [group.template for group in good.groups]
    comparison = compare(bad, good)
    assert comparison.new == [] and comparison.gone == []
    login = next(row for row in comparison.unchanged if 'logged in' in row.template)
    assert login.matched_by == 'similar template'
    assert (login.log.count, login.baseline.count) == (3, 1)
    disk = next(row for row in comparison.unchanged if row.template.startswith('disk full'))
    assert disk.matched_by == 'template'
    assert disk.log.group_ids != disk.baseline.group_ids


def test_a_template_that_gained_a_word_still_matches() -> None:
    good = analyze_lines(timed(*steady(60), (3, 'ERROR upstream closed the connection while reading the response')))
    bad = analyze_lines(timed(*steady(60), (3, 'ERROR upstream closed the connection early while reading it')))
    row = next(row for row in compare(bad, good).unchanged if row.level == 'ERROR')
    assert row.matched_by == 'similar template'


def test_different_errors_of_the_same_shape_are_not_matched() -> None:
    good = analyze_lines(timed(*steady(60), (3, 'ERROR connection to cache refused')))
    bad = analyze_lines(timed(*steady(60), (3, 'ERROR certificate for billing expired')))
    comparison = compare(bad, good)
    assert kinds(comparison.new) == [('new', 'ERROR', 'certificate for billing expired')]
    assert kinds(comparison.gone) == [('gone', 'ERROR', 'connection to cache refused')]


def test_crashes_match_by_fingerprint_whatever_their_message() -> None:
    good = analyze_lines(timed(*steady(60), (3, crash('ConnectionError: db-1:5432 refused', 88))))
    bad = analyze_lines(timed(*steady(60), (3, crash('ConnectionError: connection reset by peer', 90))))
    row = next(row for row in compare(bad, good).unchanged if row.exception)
    assert row.exception == 'ConnectionError'
    assert row.matched_by == 'fingerprint'
    other_path = [line.replace('fetch', 'store') for line in TRACE]
    moved = analyze_lines(timed(*steady(60), (3, crash('ConnectionError: db-1:5432 refused', 88, other_path))))
    comparison = compare(moved, good)
    assert [row.exception for row in comparison.new] == ['ConnectionError']
    assert [row.exception for row in comparison.gone] == ['ConnectionError']


def test_counts_are_compared_per_hour_of_log() -> None:
    # Two hours of the same error rate as one hour of baseline: twice the count, the same rate.
    good = analyze_lines(timed(*steady(60), *[(minute, 'ERROR queue is full') for minute in range(0, 60, 3)]))
    longer = analyze_lines(timed(*steady(120), *[(minute, 'ERROR queue is full') for minute in range(0, 120, 3)]))
    comparison = compare(longer, good)
    assert comparison.basis is Basis.HOUR
    assert round(comparison.exposure, 2) == 1.98 and round(comparison.baseline_exposure, 2) == 0.98
    queue = next(row for row in comparison.ordered() if row.template == 'queue is full')
    assert queue.change is Change.UNCHANGED
    assert (queue.log.count, queue.baseline.count) == (40, 20)
    assert round(queue.log.rate) == round(queue.baseline.rate) == 20
    assert round(queue.expected) == 40
    # The same count in the same hour, but five times as often: growing. A fifth as often: shrinking.
    burst = analyze_lines(timed(*steady(60), *[(minute, 'ERROR queue is full') for minute in range(0, 60)],
                                *[(minute + 0.5, 'ERROR queue is full') for minute in range(0, 60)]))
    assert kinds(compare(burst, good).growing) == [('growing', 'ERROR', 'queue is full')]
    quiet = analyze_lines(timed(*steady(60), *[(minute, 'ERROR queue is full') for minute in range(0, 60, 15)]))
    assert kinds(compare(quiet, good).shrinking) == [('shrinking', 'ERROR', 'queue is full')]


def test_small_counts_are_not_called_a_change() -> None:
    good = analyze_lines(timed(*steady(60), (4, 'ERROR lock wait timeout')))
    bad = analyze_lines(timed(*steady(60), *[(minute, 'ERROR lock wait timeout') for minute in (4, 20, 40)]))
    row = next(row for row in compare(bad, good).ordered() if row.level == 'ERROR')
    assert (row.change, row.log.count, row.baseline.count) == (Change.UNCHANGED, 3, 1)


def test_logs_without_a_time_span_are_compared_per_event() -> None:
    good = analyze_lines(['INFO ready'] * 90 + ['ERROR out of memory'] * 10)
    bad = analyze_lines(['INFO ready'] * 900 + ['ERROR out of memory'] * 100)
    comparison = compare(bad, good)
    assert comparison.basis is Basis.THOUSAND_EVENTS
    assert [row.change for row in comparison.ordered()] == [Change.UNCHANGED, Change.UNCHANGED]
    worse = analyze_lines(['INFO ready'] * 50 + ['ERROR out of memory'] * 50)
    assert [(row.level, row.log.count) for row in compare(worse, good).growing] == [('ERROR', 50)]


def test_order_new_errors_then_severity_and_size_then_unchanged() -> None:
    good = analyze_lines(timed(*steady(60), *[(minute, 'WARN retrying publish') for minute in range(0, 60, 10)],
                               *[(minute, 'ERROR token refresh failed') for minute in range(0, 60, 2)]))
    bad = analyze_lines(timed(*steady(60), *[(minute, 'INFO feature flag reloaded') for minute in range(60)],
                              *[(minute, 'WARN retrying publish') for minute in range(60)],
                              (50, 'ERROR schema migration failed')))
    rows = compare(bad, good).ordered()
    assert kinds(rows[:4]) == [
        ('new', 'ERROR', 'schema migration failed'),
        ('gone', 'ERROR', 'token refresh failed'),
        ('growing', 'WARN', 'retrying publish'),
        ('new', 'INFO', 'feature flag reloaded'),
    ]
    assert [(row.change, row.level) for row in rows[4:]] == [(Change.UNCHANGED, 'INFO')]


def test_to_dict_is_json_with_every_kind() -> None:
    good = analyze_lines(timed(*steady(60)))
    bad = analyze_lines(timed(*steady(60), (30, 'FATAL kernel panic')))
    data = json.loads(json.dumps(compare(bad, good).to_dict()))
    assert data['basis'] == 'hour'
    assert [len(data[kind]) for kind in ('new', 'gone', 'growing', 'shrinking', 'unchanged')] == [1, 0, 0, 0, 1]
    new = data['new'][0]
    assert (new['change'], new['level'], new['template'], new['matched_by']) == ('new', 'FATAL', 'kernel panic', '')
    assert new['log']['count'] == 1 and new['log']['first_line'] == 61
    assert new['log']['first_seen'] == '2026-03-01T10:30:00'
    assert new['baseline'] == {'count': 0, 'rate': 0.0, 'first_line': None, 'first_seen': None, 'group_ids': []}


def test_an_empty_baseline_makes_everything_new() -> None:
    comparison = compare(analyze_lines(['ERROR boom']), analyze_lines([]))
    assert [(row.level, row.log.count) for row in comparison.new] == [('ERROR', 1)]
    assert comparison.new[0].expected == 0


def test_thousands_of_groups_are_compared_by_similarity_only_among_the_largest() -> None:
    def many(prefix: str) -> Analysis:
        # Words without digits, which masking would make alike: 'bcd' for group 123.
        groups = [Group(id=index + 1, template=f'{prefix} step {_letters(index)} failed for <*>', level='ERROR',
                        count=5, first_line=index + 1, example='') for index in range(5000)]
        return Analysis(lines=25_000, events=25_000, level_counts={}, formats={}, groups=groups)

    comparison = compare(many('alpha'), many('omega'))
    # Only the first 500 of each side are compared by similarity; the rest would need an exact match.
    assert (len(comparison.unchanged), len(comparison.new), len(comparison.gone)) == (500, 4500, 4500)
    assert all(row.matched_by == 'similar template' for row in comparison.unchanged)


def _letters(number: int) -> str:
    return ''.join(chr(ord('a') + int(digit)) for digit in str(number))
