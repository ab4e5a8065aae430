from collections.abc import Iterator

import pytest

from parsers import Analysis, Group, analyze_lines
from parsers.digest import MIN_BUDGET, build_digest, estimate_tokens, plain_template
from services.diagnosis.offline import default_group

LOG = """2026-01-01 10:00:00 INFO starting worker
2026-01-01 10:00:01 ERROR cache warm-up failed: timeout talking to redis:6379
2026-01-01 10:00:02 INFO retrying
2026-01-01 10:00:03 INFO loading orders
2026-01-01 10:00:04 ERROR request failed
Traceback (most recent call last):
  File "/app/orders.py", line 12, in load
    rows = db.fetch()
ValueError: bad row 17
2026-01-01 10:00:05 ERROR request failed
Traceback (most recent call last):
  File "/app/orders.py", line 12, in load
    rows = db.fetch()
ValueError: bad row 18
2026-01-01 10:00:06 WARN slow query took 900 ms"""


def test_digest_numbers_lines_and_shows_the_sections() -> None:
    analysis = analyze_lines(LOG.splitlines())
    group = next(group for group in analysis.groups if group.first_line == 5)  # chosen by the person
    digest = build_digest(analysis, group)
    text = digest.text
    assert '=== LOG OVERVIEW ===' in text
    assert 'lines: 15, events: 7' in text
    assert 'time span: 2026-01-01T10:00:00 to 2026-01-01T10:00:06 (0:00:06)' in text
    assert '=== CHOSEN PROBLEM: group #' in text and '2 occurrence(s)' in text
    # the whole event, numbered from its first line, and the lines before it
    assert '      5 | 2026-01-01 10:00:04 ERROR request failed' in text
    assert '      9 | ValueError: bad row 17' in text
    assert '      4 | 2026-01-01 10:00:03 INFO loading orders' in text
    # the first error in time is another group, the top other candidate, and comes with its own line
    assert '=== OTHER INCIDENT CANDIDATES' in text
    assert '=== CANDIDATE: group #2, ERROR, 1 occurrence(s) ===' in text
    assert ('why it stands out: logged at ERROR; the first error in the log; just before a crash at line 5; '
            'worded like a cause: "timeout"') in text
    assert '      2 | 2026-01-01 10:00:01 ERROR cache warm-up failed' in text
    assert 'WARN' in text and '     15 | 2026-01-01 10:00:06 WARN slow query took 900 ms' in text
    assert digest.tokens == estimate_tokens(text) <= 12_000
    assert not digest.event_truncated


def test_transform_sees_every_log_text() -> None:
    analysis = analyze_lines(LOG.splitlines())
    digest = build_digest(analysis, default_group(analysis), transform=lambda text: text.replace('orders', 'XX'))
    assert 'orders' not in digest.text
    assert 'loading XX' in digest.text


def test_a_log_without_errors_still_gets_an_overview() -> None:
    analysis = analyze_lines(['2026-01-01 10:00:00 INFO all good'])
    digest = build_digest(analysis, None)
    assert digest.group_id is None
    assert 'levels: INFO 1' in digest.text


def test_estimate_counts_digits_one_by_one_and_words_by_four_letters() -> None:
    assert estimate_tokens('') == 1
    assert estimate_tokens('2026') == 5
    assert estimate_tokens('connection refused') == 1 + 3 + 2
    assert estimate_tokens('a\nb') == 4


@pytest.mark.parametrize('budget', [MIN_BUDGET, 3_000, 12_000])
def test_a_huge_chosen_event_is_cut_in_the_middle_and_stays_in_budget(budget: int) -> None:
    frames = [f'  File "/app/module_{i}.py", line {i}, in handler_{i}' for i in range(1_000_000)]
    example = '\n'.join(['2026-01-01 10:00:00 ERROR deep recursion', *frames, 'RecursionError: too deep'])
    chosen = Group(id=1, template='<TS> ERROR deep recursion', level='ERROR', count=1, first_line=10,
                   example=example, context_before=[f'context line {i} ' + 'x' * 5000 for i in range(9)])
    others = [Group(id=i, template=f'message {i}', level='INFO', count=1, first_line=i, example=f'message {i}')
              for i in range(2, 100_002)]
    analysis = Analysis(lines=1_000_100, events=100_001, level_counts={'ERROR': 1, 'INFO': 100_000},
                        formats={'text': 1_000_100}, groups=[chosen, *others])
    digest = build_digest(analysis, chosen, budget=budget)
    assert digest.tokens <= budget
    assert digest.event_truncated
    assert '     10 | 2026-01-01 10:00:00 ERROR deep recursion' in digest.text
    assert 'RecursionError: too deep' in digest.text
    assert 'of this event left out to fit the token budget' in digest.text
    assert digest.groups_left_out > 99_000


def test_a_single_giant_line_is_cut_within() -> None:
    chosen = Group(id=1, template='x', level='ERROR', count=1, first_line=1, example='ERROR ' + '7' * 200_000)
    analysis = Analysis(lines=1, events=1, level_counts={'ERROR': 1}, formats={}, groups=[chosen])
    digest = build_digest(analysis, chosen, budget=MIN_BUDGET)
    assert digest.tokens <= MIN_BUDGET
    assert '      1 | ERROR 777' in digest.text
    assert 'characters cut' in digest.text


def test_budget_and_root_cause_on_a_million_line_log() -> None:
    def lines() -> Iterator[str]:
        for i in range(1_000_000):
            if i == 600_000:
                yield '2026-01-01 11:00:00 ERROR payment worker crashed'
                yield 'Traceback (most recent call last):'
                yield '  File "/app/pay.py", line 9, in charge'
                yield 'KeyError: card_token'
            yield f'2026-01-01 10:{i // 60 % 60:02d}:{i % 60:02d} INFO request {i} served in {i % 97} ms'

    analysis = analyze_lines(lines())
    assert analysis.lines == 1_000_004
    digest = build_digest(analysis, default_group(analysis))
    assert digest.tokens <= 12_000
    assert '600001 | 2026-01-01 11:00:00 ERROR payment worker crashed' in digest.text
    assert '600004 | KeyError: card_token' in digest.text


@pytest.mark.parametrize(('template', 'plain'), [
    ('key AKIAZ<*>MSJV<*>WWNKGQX<*>A set', 'key <*> set'),
    ('stripe_key=sk_live_<*>HplantedSecretValue<*>', 'stripe_key=<*>'),
    ('GET /api/orders/<*> took <*>ms', 'GET <*> took <*>ms'),
    ('login failed password=hunter<*>', 'login failed password=<*>'),
    ('connection refused to db.internal:<*>', 'connection refused to db.internal:<*>'),
    ('worker <*> started', 'worker <*> started'),
])
def test_fragments_glued_to_a_wildcard_are_not_shown(template: str, plain: str) -> None:
    assert plain_template(template) == plain


def _busy_log_with_one_rare_warning() -> Analysis:
    """500 kinds of routine INFO, many times each, and one warning that happened once."""
    groups = [Group(id=i, template=f'step {i} done in <*> ms', level='INFO', count=40, first_line=i,
                    example=f'2026-01-01 10:00:00 INFO step {i} done in 7 ms',
                    occurrences=[i + 500 * n for n in range(40)])
              for i in range(1, 501)]
    warning = Group(id=501, template='cannot rotate <*>: Permission denied', level='WARN', count=1, first_line=13_000,
                    example='2026-01-01 11:00:00 WARN cannot rotate /var/log/app.log: Permission denied')
    return Analysis(lines=20_001, events=20_001, level_counts={'INFO': 20_000, 'WARN': 1}, formats={},
                    groups=[*groups, warning])


def test_the_budget_is_used_and_a_rare_warning_comes_before_common_info() -> None:
    analysis = _busy_log_with_one_rare_warning()
    digest = build_digest(analysis, default_group(analysis), budget=12_000)
    assert 11_000 <= digest.tokens <= 12_000
    text = digest.text
    assert text.index('cannot rotate /var/log/app.log: Permission denied') < text.index('=== MOST FREQUENT GROUPS')
    assert 'why it stands out: logged at WARN' in text


def test_the_deep_root_cause_of_a_long_event_is_kept() -> None:
    frames = [f'\tat org.example.Factory{i}.create(Factory{i}.java:{i})' for i in range(150)]
    lines = [f'2026-01-01 10:00:{i % 60:02d} INFO tick {i}' for i in range(100)]
    lines += ['2026-01-01 10:01:00 ERROR context failed to start',
              'org.example.BeanCreationException: Error creating bean with name shopService', *frames,
              'Caused by: org.example.ClientException: client could not be initialised', *frames[:40],
              'Caused by: java.net.ConnectException: Connection refused', *frames[:5], '\t... 12 more',
              '2026-01-01 10:01:01 INFO shutting down']
    analysis = analyze_lines(lines)
    chosen = default_group(analysis)
    assert chosen is not None and chosen.exception == 'org.example.BeanCreationException'
    digest = build_digest(analysis, chosen, budget=MIN_BUDGET * 2)
    assert digest.event_truncated and digest.tokens <= MIN_BUDGET * 2
    text = digest.text
    assert '    101 | 2026-01-01 10:01:00 ERROR context failed to start' in text
    assert '    253 | Caused by: org.example.ClientException: client could not be initialised' in text
    assert '    294 | Caused by: java.net.ConnectException: Connection refused' in text
    assert '    254 | \tat org.example.Factory0.create(Factory0.java:0)' in text  # the frame under the cause
    assert 'line(s) of this event left out to fit the token budget' in text


def _candidates_log(big_events: int) -> Analysis:
    """A chosen fatal error, six one-line errors and `big_events` errors of 14 long lines, the last line of each the
    one that says why, in a log of routine lines."""
    chosen = Group(id=1, template='fatal: out of memory', level='FATAL', count=1, first_line=10,
                   example='FATAL out of memory', incident_score=9.0, incident_reasons={'severity': 'logged at FATAL'})
    small = [Group(id=10 + n, template=f'error {n}', level='ERROR', count=1, first_line=100 + n,
                   example=f'ERROR request {n} failed', incident_score=6.0,
                   incident_reasons={'severity': 'logged at ERROR'}) for n in range(6)]
    big = []
    for n in range(big_events):
        lines = [f'  step {k} of package group {n}: resolving the dependency tree of module number {k} again'
                 for k in range(13)]
        big.append(Group(id=2 + n, template=f'install {n} failed', level='ERROR', count=1, first_line=1_000 * (n + 1),
                         example='\n'.join([f'ERROR install {n} failed', *lines[:-1],
                                            f'  package group {n} requires libfoo 2.6 but version 2.1 is installed']),
                         incident_score=8.0 - n, incident_reasons={'severity': 'logged at ERROR'}))
    groups = [chosen, *big, *small]
    return Analysis(lines=20_000, events=20_000, level_counts={'ERROR': 8, 'FATAL': 1}, formats={}, groups=groups)


@pytest.mark.parametrize('big_events', [1, 2])
def test_a_long_candidate_takes_the_room_the_one_line_candidates_leave(big_events: int) -> None:
    analysis = _candidates_log(big_events)
    digest = build_digest(analysis, analysis.groups[0], budget=12_000)
    text = digest.text
    for n in range(big_events):
        assert f'package group {n} requires libfoo 2.6 but version 2.1 is installed' in text
        assert 'left out to fit the token budget' not in text
    assert all(f'ERROR request {n} failed' in text for n in range(6))
    assert digest.tokens <= 12_000


def test_the_room_a_long_candidate_gets_is_not_spent_on_the_context_of_one_line_candidates() -> None:
    analysis = _candidates_log(1)
    for group in analysis.groups[2:]:
        group.context_before = [f'context {group.id}.{k} ' + 'word ' * 120 for k in range(5)]
    text = build_digest(analysis, analysis.groups[0], budget=12_000).text
    assert 'package group 0 requires libfoo 2.6 but version 2.1 is installed' in text
    for group in analysis.groups[2:]:
        assert sum(f'context {group.id}.{k} ' in text for k in range(5)) <= 2
