from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import Analysis, ReadLimits, analyze_stream


def write_log(path: Path) -> None:
    lines = []
    for n in range(3000):
        lines.append(f'2026-11-26 09:{n // 60 % 60:02d}:{n % 60:02d},000 INFO [web] request {n} served in {n % 97}ms')
        if n % 50 == 0:
            lines += [f'2026-11-26 09:{n // 60 % 60:02d}:{n % 60:02d},500 ERROR [db] query {n} failed',
                      'Traceback (most recent call last):', '  File "/srv/db.py", line 7, in run',
                      f'TimeoutError: after {n}ms']
        if n % 7 == 0:
            lines.append(f'10.0.0.{n % 250} - - [26/Nov/2026:09:00:00 +0000] "GET /items/{n} HTTP/1.1" 404 5')
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')


def test_two_workers_give_the_same_summary_as_one(tmp_path: Path) -> None:
    log = tmp_path / 'big.log'
    write_log(log)
    with log.open('rb') as stream:
        one = analyze_stream(stream, ReadLimits(workers=1))
    with log.open('rb') as stream:
        two = analyze_stream(stream, ReadLimits(workers=2, parallel_min_bytes=1024))
    assert two.lines == one.lines
    assert two.events == one.events
    assert two.level_counts == one.level_counts
    assert two.formats == one.formats
    assert two.bytes_read == one.bytes_read == log.stat().st_size
    assert two.timeline == one.timeline

    def summary(groups: list) -> list[tuple[str, str, int, int, int, str, list]]:  # type: ignore[type-arg]
        return sorted((g.level, g.template, g.count, g.first_line, g.last_line, g.example, g.excerpts) for g in groups)

    assert summary(two.groups) == summary(one.groups)
    # Each group's activity and times, merged from both parts (group ids differ between the parts).
    assert sorted((g.template, g.activity, g.first_seen, g.last_seen) for g in two.groups) == sorted(
        (g.template, g.activity, g.first_seen, g.last_seen) for g in one.groups)
    assert two.activity == one.activity
    top = two.groups[0]
    assert top.exception == 'TimeoutError'
    assert top.occurrences == one.groups[0].occurrences


@pytest.mark.parametrize('rows', [1000, 2000])
def test_a_timeline_counted_per_minute_merges_like_one_read_whole(tmp_path: Path, rows: int) -> None:
    log = tmp_path / 'big.log'
    write_log(log)
    # The log's 3,000 seconds are too many rows: counted per minute. With 2,000, each part alone still fits and the
    # merge turns to minutes; with 1,000, each part turns to minutes itself.
    limits = {'timeline_rows': rows, 'timeline_buckets': 100}
    with log.open('rb') as stream:
        one = analyze_stream(stream, ReadLimits(workers=1, **limits))  # type: ignore[arg-type]
    with log.open('rb') as stream:
        two = analyze_stream(stream, ReadLimits(workers=2, parallel_min_bytes=1024, **limits))  # type: ignore[arg-type]
    assert one.timeline_step_seconds == two.timeline_step_seconds == 60
    assert two.timeline == one.timeline
    assert sorted((g.template, g.activity) for g in two.groups) == sorted((g.template, g.activity) for g in one.groups)


def summary(analysis: Analysis) -> tuple[object, ...]:
    groups = sorted((g.level, g.template, g.count, g.first_line, g.lines, g.exception) for g in analysis.groups)
    return analysis.lines, analysis.events, analysis.level_counts, analysis.bytes_read, groups


def analyze_both(path: Path, workers: int) -> tuple[Analysis, Analysis]:
    with path.open('rb') as stream:
        one = analyze_stream(stream, ReadLimits(workers=1))
    with path.open('rb') as stream:
        many = analyze_stream(stream, ReadLimits(workers=workers, parallel_min_bytes=1))
    return one, many


def test_a_long_line_at_the_split_point_loses_no_line(tmp_path: Path) -> None:
    """No record starts within the search window after the midpoint: the file is read whole, from its start."""
    lines = [f'2026-11-26 09:00:{n % 60:02d},000 {"ERROR" if n % 100 == 0 else "INFO"} [db] query {n}'
             for n in range(20_000)]
    log = tmp_path / 'trace.log'
    log.write_text('\n'.join([*lines[:10_000], 'x' * 3_000_000, *lines[10_000:]]) + '\n', encoding='utf-8')
    one, two = analyze_both(log, 2)
    assert two.lines == one.lines == 20_001
    assert two.level_counts['ERROR'] == one.level_counts['ERROR'] == 200
    assert summary(two) == summary(one)


def test_a_line_of_a_shorter_header_reads_alike_in_one_process_and_in_parallel(tmp_path: Path) -> None:
    """A comment turns the reading to the learned header; a line without milliseconds and [component] after it
    has its level taken out of its message, read in one process or in parts."""
    debug, info = ('2026-11-26 09:00:00,000 DEBUG [web] request served 0',
                   '2026-11-26 09:00:01,000 INFO [web] request 0 served in 0ms')
    log = tmp_path / 'shorter.log'
    log.write_text('\n'.join([debug, info] * 10 + ['', '#', ''] + [debug] * 20
                             + ['2026-11-26 09:00:03 WARN disk 0% full'] + [info] * 5) + '\n', encoding='utf-8')
    one, two = analyze_both(log, 2)
    assert summary(two) == summary(one)
    assert [(g.level, g.template) for g in one.groups if 'disk' in g.template] == [('WARN', 'disk <*> full')]


def test_a_small_part_reads_with_the_header_learned_from_the_file_start(tmp_path: Path) -> None:
    """The first part alone holds a line of a shorter header, too many among its few lines for the [component]
    column to be learned from them: each part ranks the formats by the file's first lines instead."""
    debug, info = ('2026-11-26 09:00:00,000 DEBUG [web] request served 0',
                   '2026-11-26 09:00:01,000 INFO [web] request 0 served in 0ms')
    log = tmp_path / 'small.log'
    shorter = '2026-11-26 09:00:03 WARN disk 0% full'
    log.write_text('\n'.join([debug, debug, '', debug, info, info, shorter, '', info, '#']
                             + [debug, debug, info, '', debug] * 6), encoding='utf-8')
    one, four = analyze_both(log, 4)
    assert summary(four) == summary(one)
    assert {g.template for g in one.groups if g.level == 'DEBUG'} == {'request served <*>'}


def test_a_comment_that_only_the_learned_header_reads_does_not_change_how_the_rest_is_read(tmp_path: Path) -> None:
    """The learned header reads a `#` comment as a record of its own; were the reading to turn to that header, the
    records after it would read otherwise in one process than in a part that starts after the comment."""
    debug, info = ('2026-11-26 09:00:00,000 DEBUG [web] request served 0',
                   '2026-11-26 09:00:01,000 INFO [web] request 0 served in 0ms')
    shorter = '2026-11-26 09:00:03 WARN disk 0% full'
    log = tmp_path / 'comment.log'
    log.write_text('\n'.join([debug] * 6 + [shorter, debug, '', debug, '', debug, debug, info, debug] + [''] * 5
                             + ['#', info, info, info, info, shorter, shorter, shorter] + [debug] * 12),
                   encoding='utf-8')
    one, two = analyze_both(log, 2)
    assert summary(two) == summary(one)
    assert {g.template for g in one.groups if g.level in ('DEBUG', 'INFO')} == {
        'request served <*>', 'request <*> served in <*>'}


RECORDS = st.sampled_from([
    '2026-11-26 09:00:01,000 INFO [web] request {n} served in {n}ms',
    '2026-11-26 09:00:02,500 ERROR [db] query {n} failed',
    '2026-11-26 09:00:03 WARN disk {n}% full',
    'Traceback (most recent call last):',
    '  File "/srv/db.py", line {n}, in run',
    'TimeoutError: after {n}ms',
    '\tat com.example.Store.load(Store.java:{n})',
    'Caused by: java.io.IOException: reset {n}',
    '10.0.0.{n} - - [26/Nov/2026:09:00:00 +0000] "GET /items/{n} HTTP/1.1" 404 5',
    '{{"level": "error", "msg": "job {n} failed"}}',
    '',
    '    ...',
]).flatmap(lambda line: st.integers(0, 999).map(lambda n: line.format(n=n)))
HEADERS = st.builds(
    '2026-11-26 09:{:02d}:{:02d},000 {} [{}] {} {}'.format, st.integers(0, 59), st.integers(0, 59),
    st.sampled_from(['DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR']), st.sampled_from(['web', 'db', 'auth']),
    st.sampled_from(['request served', 'query failed', 'token expired for user', 'retrying connection']),
    st.integers(0, 999),
)
# Mostly records of one format, so that most files are split, with whatever else a log may hold between them.
LINES = st.one_of(HEADERS, HEADERS, HEADERS, RECORDS, st.text(max_size=40).map(lambda t: t.replace('\n', ' ')))
# Now and then one line longer than the search window, anywhere.
LOGS = st.tuples(st.lists(LINES, min_size=40, max_size=400), st.integers(0, 400), st.integers(0, 400_000)).map(
    lambda log: [*log[0][:log[1]], 'y' * log[2], *log[0][log[1]:]] if log[2] > 200_000 else log[0])


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                               HealthCheck.data_too_large])
@given(lines=LOGS, workers=st.integers(2, 4), ending=st.sampled_from(['\n', '\r\n']),
       final=st.booleans())
def test_any_file_read_in_parallel_gives_the_single_process_result(
    tmp_path: Path, lines: list[str], workers: int, ending: str, final: bool,
) -> None:
    log = tmp_path / 'any.log'
    log.write_bytes((ending.join(lines) + (ending if final else '')).encode('utf-8'))
    one, many = analyze_both(log, workers)
    assert summary(many) == summary(one)
