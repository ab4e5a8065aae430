from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import Analysis, ReadLimits, analyze_stream, parallel
from parsers.engine import Engine
from parsers.merge import Partial


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


# Access lines as different servers write them: nginx's combined format, Apache's common one, one with a virtual host.
ACCESS = (
    '10.0.{a}.{b} - - [26/Nov/2026:09:{m:02d}:{s:02d} +0000] "GET /api/orders/{n} HTTP/1.1" 200 {n} "-" "curl/8.5.0"',
    '192.168.{a}.{b} - alice [26/Nov/2026:09:{m:02d}:{s:02d} +0000] "POST /login HTTP/1.0" 302 0',
    'shop.example {a}.{b}.0.7 - - [26/Nov/2026:09:{m:02d}:{s:02d} +0000] "GET /cart/{n} HTTP/2.0" 503 {b} "-" "Go"',
    '10.1.{a}.{b} - - [26/Nov/2026:09:{m:02d}:{s:02d} +0000] "GET /static/app.css HTTP/1.1" 304 0 "-" "Mozilla/5.0"',
)


def access_lines(count: int, *, unique_from: int = -1, unique_to: int = -1) -> list[str]:
    """Lines of a busy web server; those from `unique_from` to `unique_to` each ask for a page nobody else asks for,
    so that wherever the file is split, the first line after the split opens a group of its own."""
    lines = []
    for n in range(count):
        m, s = n // 60 % 60, n % 60
        if unique_from <= n < unique_to:
            page = ''.join(chr(ord('a') + int(digit)) for digit in str(n))
            lines.append(f'10.2.0.{n % 250} - - [26/Nov/2026:09:{m:02d}:{s:02d} +0000] "GET /wiki/{page} HTTP/1.1" '
                         f'404 {n % 977}')
        else:
            lines.append(ACCESS[n % 7 % len(ACCESS)].format(a=n % 200, b=n % 250, m=m, s=s, n=n))
    return lines


def one_pass_and_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: list[str],
                       **limits: int) -> tuple[Analysis, Analysis, int]:
    """The lines as a log read in one pass, read with two workers, and how many parts were merged, not read again."""
    path = tmp_path / 'access.log'
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    with path.open('rb') as stream:
        one = analyze_stream(stream, ReadLimits(workers=1, **limits))
    merged = []
    absorb = parallel.absorb

    def counting(engine: Engine, part: Partial) -> None:
        merged.append(part.lines)
        absorb(engine, part)

    monkeypatch.setattr(parallel, 'absorb', counting)
    progress: list[tuple[int, int]] = []
    with path.open('rb') as stream:
        analysis = analyze_stream(stream, ReadLimits(workers=2, parallel_min_bytes=1, **limits),
                                  progress=lambda read, events: progress.append((read, events)))
    assert progress[-1][0] == path.stat().st_size
    assert [read for read, _ in progress] == sorted(read for read, _ in progress)
    return one, analysis, len(merged)


def test_an_access_log_read_in_two_parts_is_the_same_analysis_as_one_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = access_lines(30_000, unique_from=13_000, unique_to=17_000)
    one, two, merged = one_pass_and_parts(tmp_path, monkeypatch, lines)
    assert merged == 1
    assert two.to_dict() == one.to_dict()
    assert [(s.first_line, s.last_line) for s in two.segments] == [(1, 30_000)]
    # A group first seen in the second part keeps the lines before it, read in the first.
    assert sum(1 for group in two.groups if '/wiki/' in group.template) == 4_000
    assert all(len(group.context_before) == 20 for group in two.groups if '/wiki/' in group.template)


@pytest.mark.parametrize('other', [
    '2026-11-26 09:30:00,000 ERROR [pool] connection reset by peer',
    '    at com.example.Gateway.forward(Gateway.java:88)',
    'upstream timed out (110: Connection timed out) while reading response header',
])
def test_a_line_of_another_kind_in_the_second_part_leaves_it_to_one_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other: str) -> None:
    lines = access_lines(30_000)
    lines.insert(25_000, other)
    one, two, merged = one_pass_and_parts(tmp_path, monkeypatch, lines)
    assert merged == 0
    assert two.to_dict() == one.to_dict()


def test_parts_whose_groups_together_are_too_many_are_read_in_one_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past max_groups, routes share a group per method and status in the order they come: only one pass knows it."""
    lines = access_lines(30_000, unique_from=10_000, unique_to=20_000)
    one, two, merged = one_pass_and_parts(tmp_path, monkeypatch, lines, max_groups=8_000)
    assert merged == 0
    assert two.to_dict() == one.to_dict()
