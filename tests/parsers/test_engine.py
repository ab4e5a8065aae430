import io
from pathlib import Path

from parsers import analyze_stream
from parsers.engine import Engine
from parsers.reader import ReadLimits, ReadStats


def test_fixture_log_is_grouped_with_errors_first(fixtures_dir: Path) -> None:
    with (fixtures_dir / 'app.log').open('rb') as stream:
        analysis = analyze_stream(stream)
    assert analysis.lines == 16
    assert analysis.level_counts['ERROR'] == 4
    top = analysis.groups[0]
    assert top.level == 'ERROR'
    assert top.count == 3
    assert 'Connection refused' in top.template
    assert top.occurrences == [4, 5, 16]
    assert top.context_before[-1].endswith('Connection attempt 1 failed, retrying in 2s')
    assert len(top.context_before) == 3


def test_traceback_stays_in_one_event() -> None:
    log = b'2026-01-01 00:00:00 ERROR boom\nTraceback (most recent call last):\n  File "x.py", line 1\nKeyError: 1\n'
    analysis = analyze_stream(io.BytesIO(log))
    assert analysis.events == 1
    assert analysis.groups[0].example.endswith('KeyError: 1')


def test_times_with_and_without_a_zone_in_one_log_are_all_read_as_utc() -> None:
    log = (b'2026-11-26 09:00:00 INFO started\n'
           b'2026-11-26T09:30:00+02:00 ERROR disk full on /var\n'
           b'2026-11-26 09:10:00 INFO stopped\n')
    analysis = analyze_stream(io.BytesIO(log))
    first, last = analysis.first_timestamp, analysis.last_timestamp
    assert first is not None and last is not None
    assert (first.isoformat(), last.isoformat()) == ('2026-11-26T07:30:00+00:00', '2026-11-26T09:10:00+00:00')
    assert all(moment.tzinfo is not None for group in analysis.groups for moment in (group.first_seen, group.last_seen)
               if moment)


def test_first_and_last_seen_are_the_earliest_and_latest_times_not_the_first_and_last_lines() -> None:
    log = (b'Nov 26 09:14:02 web-1 app[1]: job 1 failed\n'
           b'Nov 26 09:12:00 web-1 app[1]: job 2 failed\n'
           b'Dec  1 00:00:05 web-1 app[1]: job 3 failed\n'
           b'Nov 30 23:59:59 web-1 app[1]: job 4 failed\n')
    group = analyze_stream(io.BytesIO(log)).groups[0]
    assert group.count == 4
    assert group.first_seen is not None and group.last_seen is not None
    assert (group.first_seen.strftime('%m-%d %H:%M:%S'), group.last_seen.strftime('%m-%d %H:%M:%S')) == (
        '11-26 09:12:00', '12-01 00:00:05')


def test_how_the_lines_are_cut_into_batches_changes_nothing() -> None:
    # One-line events are counted a run at a time: a group first seen right after a batch boundary still gets the
    # lines of the previous batch as its context, and a run cut by a stack trace or another format loses no event.
    lines = [f'10.0.0.{n} - - [26/Nov/2026:09:14:{n:02d} +0000] "GET /api/orders/{n} HTTP/1.1" 200 5' for n in range(6)]
    lines[5:5] = ['10.0.0.9 - - [26/Nov/2026:09:14:04 +0000] "POST /login HTTP/1.1" 500 0', '  at the gate']
    lines[3:3] = ['10.0.0.8 - - [26/Nov/2026:09:14:03 +0000] "PUT /cart HTTP/1.1" 404 0']
    lines.append('Nov 26 09:15:00 web-1 app[1]: disk full')
    limits = ReadLimits(context_lines=2)

    def summary(batches: list[list[str]]) -> dict[str, tuple[object, ...]]:
        engine = Engine(limits, None)
        for batch in batches:
            engine.feed(batch)
        analysis = engine.result(ReadStats())
        return {group.template: (group.count, group.occurrences, group.example, group.context_before)
                for group in analysis.groups}

    whole = summary([lines])
    assert whole['GET /api/orders/<*> 200'][:2] == (6, [1, 2, 3, 5, 6, 9])
    assert whole['PUT /cart 404'][1:] == ([4], lines[3], lines[1:3])
    assert whole['POST /login 500'][2:] == ('\n'.join(lines[6:8]), lines[4:6])
    assert len(whole) == 4
    for cut in range(1, len(lines)):
        assert summary([lines[:cut], lines[cut:]]) == whole


def test_a_php_exception_under_a_frequent_record_makes_a_crash_group_of_its_own() -> None:
    # A PHP console names the exception by its namespace alone on a line, padded with spaces, under the last step.
    log = (
        'Migrating: 2020_01_01_create_orders_table\nMigrated:  2020_01_01_create_orders_table (12.5ms)\n'
        'Migrating: 2020_01_02_create_users_table\n\n'
        '   Shop\\Database\\QueryException  \n\n'
        "  SQLSTATE[42S01]: Base table or view already exists: 1050 Table 'users' already exists\n"
    )
    analysis = analyze_stream(io.BytesIO(log.encode()))
    crash = next(group for group in analysis.groups if group.exception)
    assert (crash.exception, crash.level, crash.first_line) == ('Shop\\Database\\QueryException', 'ERROR', 3)
    assert 'already exists' in crash.example


def test_a_log_whose_parser_reads_each_line_against_the_one_before_reads_the_same_in_any_batches() -> None:
    # A repeated sequence number continues the record: a batch that ends like it starts is not parsed ahead.
    lines = ['10 info booting', '11 info loading config', '11 info   from /etc/app.conf', '12 warn slow disk',
             '13 info ready', '14 info serving', '15 error request failed', '15 error   retry failed too']

    def summary(batches: list[list[str]]) -> dict[str, tuple[int, list[int], int]]:
        engine = Engine(ReadLimits(), None)
        for batch in batches:
            engine.feed(batch)
        return {group.template: (group.count, group.occurrences, group.lines)
                for group in engine.result(ReadStats()).groups}

    whole = summary([lines])
    assert whole['request failed'] == (1, [7], 2)
    assert whole['serving'] == (1, [6], 1)
    assert summary([lines[:4], lines[4:6], lines[6:]]) == whole
