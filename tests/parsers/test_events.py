import io
from datetime import datetime

import pytest

from parsers import Analysis, analyze_lines, analyze_stream
from parsers.crashes import opens_error
from parsers.events import EventReader
from parsers.formats.generic import opening_record


def analyze(text: str) -> tuple[Analysis, dict[int, tuple[int, int, str]]]:
    """The analysis and, per physical line, (event number, group id, level)."""
    rows: dict[int, tuple[int, int, str]] = {}
    events = 0

    def sink(first: int, last: int, group: int, level: str, timestamp: str | None) -> None:
        nonlocal events
        events += 1
        for line in range(first, last + 1):
            rows[line] = (events, group, level)

    return analyze_stream(io.BytesIO(text.encode()), on_event=sink), rows


PY_CHAIN = """\
2026-11-26 09:14:02,101 INFO [app] starting
2026-11-26 09:14:03,000 ERROR [app] payment failed
Traceback (most recent call last):
  File "/srv/pay.py", line 10, in charge
    gateway.charge(card)
KeyError: 'card'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/srv/pay.py", line 12, in charge
    raise PaymentError('declined')
PaymentError: declined
2026-11-26 09:14:04,000 INFO [app] next request
"""


def test_python_chained_traceback_is_one_event_with_its_level_on_every_line() -> None:
    analysis, rows = analyze(PY_CHAIN)
    assert analysis.lines == 14
    assert analysis.events == 3
    assert {rows[line] for line in range(2, 14)} == {rows[2]}
    assert rows[2][2] == 'ERROR'
    crash = next(group for group in analysis.groups if group.exception)
    assert crash.exception == 'PaymentError'
    assert crash.example.splitlines()[-1] == 'PaymentError: declined'
    assert crash.lines == 12


JAVA = """\
2026-11-26 09:14:02,101 ERROR [main] com.shop.Orders: order {order} failed
java.lang.IllegalStateException: order {order} is closed
\tat com.shop.Orders.close(Orders.java:{line})
\tat com.shop.Api.handle(Api.java:20)
Caused by: java.sql.SQLException: timeout
\tat org.db.Pool.get(Pool.java:7)
\t... 2 more
"""


def test_same_java_crash_with_other_values_is_one_group_and_other_frames_are_not() -> None:
    other = JAVA.replace('com.shop.Api.handle', 'com.shop.Batch.run')
    text = JAVA.format(order=1, line=10) + JAVA.format(order=2, line=11) + other.format(order=3, line=10)
    analysis, rows = analyze(text)
    assert analysis.events == 3
    assert rows[1][1] == rows[8][1] != rows[15][1]
    assert analysis.groups[0].count == 2
    assert analysis.groups[0].exception == 'java.lang.IllegalStateException'
    assert analysis.groups[0].fingerprint != analysis.groups[1].fingerprint


GO_PANIC = """\
2026/11/26 09:14:02 serving on :8080
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]

goroutine 1 [running]:
main.handler(0xc000010000)
\t/src/main.go:12 +0x1d
main.main()
\t/src/main.go:20 +0x25
exit status 2
"""


def test_go_panic_starts_its_own_event_and_keeps_its_goroutine_dump() -> None:
    analysis, rows = analyze(GO_PANIC)
    assert analysis.events == 2
    assert rows[1][0] == 1
    assert {rows[line][0] for line in range(2, 11)} == {2}
    assert rows[2][2] == 'FATAL'
    assert analysis.groups[0].exception == 'panic: runtime error'
    assert analysis.groups[0].template == 'panic: runtime error: invalid memory address or nil pointer dereference'


def test_postgres_detail_lines_continue_the_error() -> None:
    text = (
        '2026-11-26 09:14:02.101 UTC [1] LOG:  database system is ready to accept connections\n'
        '2026-11-26 09:14:03.200 UTC [2] ERROR:  duplicate key value violates unique constraint "users_pkey"\n'
        '2026-11-26 09:14:03.200 UTC [2] DETAIL:  Key (id)=(1) already exists.\n'
        '2026-11-26 09:14:03.200 UTC [2] STATEMENT:  INSERT INTO users VALUES (1)\n'
    )
    analysis, rows = analyze(text)
    assert analysis.events == 2
    assert rows[2] == rows[3] == rows[4]
    assert rows[4][2] == 'ERROR'


def test_docker_json_records_are_unwrapped_and_split_records_joined() -> None:
    text = (
        '{"log":"2026-11-26 09:14:02,101 ERROR [app] failed\\n","stream":"stderr","time":"2026-11-26T09:14:02Z"}\n'
        '{"log":"Traceback (most recent call last):\\n","stream":"stderr","time":"2026-11-26T09:14:02Z"}\n'
        '{"log":"  File \\"x.py\\", line 1, in f\\n","stream":"stderr","time":"2026-11-26T09:14:02Z"}\n'
        '{"log":"ValueError: very long","stream":"stderr","time":"2026-11-26T09:14:02Z"}\n'
        '{"log":" message continues\\n","stream":"stderr","time":"2026-11-26T09:14:02Z"}\n'
        '{"log":"2026-11-26 09:14:03,000 INFO [app] ok\\n","stream":"stdout","time":"2026-11-26T09:14:03Z"}\n'
    )
    analysis, rows = analyze(text)
    assert analysis.events == 2
    assert {rows[line] for line in range(1, 6)} == {rows[1]}
    assert rows[1][2] == 'ERROR'
    assert analysis.groups[0].exception == 'ValueError'


def test_interleaved_formats_are_detected_per_segment() -> None:
    access = '10.0.0.1 - - [26/Nov/2026:09:14:0{n} +0000] "GET /api/items/{n} HTTP/1.1" 200 5\n'
    json_line = '{{"time":"2026-11-26T09:14:0{n}Z","level":"error","msg":"db timeout after {n}ms"}}\n'
    text = ''.join(access.format(n=n) for n in range(5)) + ''.join(json_line.format(n=n) for n in range(5))
    analysis, rows = analyze(text)
    assert analysis.formats == {'http-access': 5, 'json': 5}
    assert [segment.format for segment in analysis.segments] == ['http-access', 'json']
    assert len({rows[line][1] for line in range(1, 11)}) == 2
    assert analysis.level_counts['ERROR'] == 5


def test_separate_records_are_not_merged_and_http_routes_stay_apart() -> None:
    text = ''.join(
        f'10.0.0.1 - - [26/Nov/2026:09:14:02 +0000] "{method} {path} HTTP/1.1" {status} 5\n'
        for method, path, status in [('GET', '/a/1', 200), ('GET', '/a/2', 200), ('GET', '/b/1', 200),
                                     ('POST', '/a/1', 200), ('GET', '/a/1', 500)]
    )
    analysis, rows = analyze(text)
    assert analysis.events == 5
    assert rows[1][1] == rows[2][1]
    assert len({rows[line][1] for line in (1, 3, 4, 5)}) == 4


def test_values_are_masked_so_wording_groups() -> None:
    text = ''.join(f'2026-11-26 09:14:0{n},000 WARN [db] retry {n} of 5 for host db-{n}.internal took {n * 7}ms\n'
                   for n in range(6))
    text += '2026-11-26 09:14:09,000 ERROR [db] retry 9 of 5 for host db-9.internal took 63ms\n'
    analysis, _ = analyze(text)
    assert [(group.level, group.count) for group in analysis.groups] == [('ERROR', 1), ('WARN', 6)]


def test_timeline_counts_events_per_level_and_timestamps_are_utc() -> None:
    text = (
        '{"time":"2026-11-26T10:00:00+01:00","level":"info","msg":"a"}\n'
        '{"time":"2026-11-26T09:00:30Z","level":"error","msg":"b"}\n'
        '{"time":"2026-11-26T09:05:00Z","level":"error","msg":"b"}\n'
    )
    analysis, _ = analyze(text)
    assert analysis.first_timestamp is not None and analysis.first_timestamp.isoformat() == '2026-11-26T09:00:00+00:00'
    # Three moments a few minutes apart: one-second buckets keep each apart.
    assert analysis.timeline_step_seconds == 1
    assert [(bucket.start.isoformat(), bucket.counts) for bucket in analysis.timeline] == [
        ('2026-11-26T09:00:00+00:00', {'INFO': 1}), ('2026-11-26T09:00:30+00:00', {'ERROR': 1}),
        ('2026-11-26T09:05:00+00:00', {'ERROR': 1}),
    ]


def test_crlf_and_unicode_line_separator_inside_json() -> None:
    text = '{"level":"info","msg":"a\u2028b"}\r\n{"level":"info","msg":"c"}\r\n'
    analysis, rows = analyze(text)
    assert analysis.lines == 2
    assert analysis.events == 2
    assert set(rows) == {1, 2}


def test_journal_export_entries_are_events_with_message_priority_and_time() -> None:
    entry = ('__CURSOR=s=1;i={n}\n__REALTIME_TIMESTAMP=17641484421010{n}0\nPRIORITY={priority}\n'
             '_SYSTEMD_UNIT=app.service\nSYSLOG_IDENTIFIER=app\nMESSAGE=worker {n} crashed\n\n')
    text = entry.format(n=1, priority=3) + entry.format(n=2, priority=3) + entry.format(n=3, priority=6)
    analysis, rows = analyze(text)
    assert analysis.events == 3
    assert rows[1] == rows[7] and rows[8] != rows[7]
    assert [(group.level, group.template, group.count, group.component) for group in analysis.groups] == [
        ('ERROR', 'worker <*> crashed', 2, 'app'), ('INFO', 'worker <*> crashed', 1, 'app')]
    assert analysis.first_timestamp is not None and analysis.first_timestamp.year == 2025


def test_an_exception_named_like_a_panic_continues_its_event_as_any_exception_line_does() -> None:
    analysis, rows = analyze('job 7 stopped\nreactor.CorePanic: meltdown\njob 8 stopped\nreactor.CoreError: meltdown\n')
    assert analysis.events == 2
    assert rows[2] == rows[1]
    assert sorted(group.exception for group in analysis.groups) == ['reactor.CoreError', 'reactor.CorePanic']


def test_a_control_character_glued_to_a_record_is_no_failure() -> None:
    analysis = analyze_lines(['2026-11-26 09:00:00,000 DEBUG [web] request served 0', '\x1f',
                              '2026-11-26 09:00:01,000 INFO [web] request 1 served'])
    assert analysis.lines == 3


def test_a_line_after_a_java_trace_that_continues_nothing_is_an_event_of_its_own() -> None:
    text = ('Dec 14 06:41:08 web-1 app[7]: Exception in thread "main" java.lang.RuntimeException: gone wrong\n'
            '    at com.shop.Orders.charge(Orders.java:22)\n'
            '    at com.shop.Orders.main(Orders.java:6)\n'
            'Caused by: java.io.IOException: disk full\n'
            '    at com.shop.Disk.write(Disk.java:9)\n'
            '    ... 2 more\n'
            'another line of plain text\n')
    analysis, _ = analyze(text)
    assert analysis.events == 2
    assert analysis.groups[-1].example == 'another line of plain text'


def test_a_line_of_another_shape_that_opens_with_a_timestamp_starts_an_event() -> None:
    text = ('98738:M 30 May 12:23:52.442 * Saving the final RDB snapshot before exiting.\n'
            '30 May 10:05:20 . 0 clients connected (0 slaves), 618932 bytes in use\n'
            '[2932] 31 May 04:32:08 # Open data file dump.rdb: No such file or directory\n'
            '5092:signal-handler (1496141844) Received SIGINT scheduling shutdown...\n'
            'Traceback-free plain continuation text\n')
    events: list[tuple[int, int, str, str | None]] = []
    analyze_stream(io.BytesIO(text.encode()),
                   on_event=lambda first, last, _group, level, ts: events.append((first, last, level, ts)))
    assert sorted(events) == [(1, 1, 'INFO', '30 May 12:23:52.442'), (2, 2, 'DEBUG', '30 May 10:05:20'),
                              (3, 3, 'WARN', '31 May 04:32:08'), (4, 5, '', '1496141844')]


def test_a_level_word_after_the_time_of_a_line_without_the_learned_header_is_its_level() -> None:
    """The file's header has milliseconds and a [component]; a line with a shorter header still has its level read
    and taken out of its message, as a format that reads that shorter header would."""
    debug, info = ('2026-11-26 09:00:00,000 DEBUG [web] request served 0',
                   '2026-11-26 09:00:01,000 INFO [web] request 0 served in 0ms')
    text = '\n'.join([debug, info] * 10 + ['', '#', ''] + [debug] * 20
                     + ['2026-11-26 09:00:03 WARN disk 0% full', '2026-11-26 09:00:04 [ERROR] disk 1% full',
                        '2026-11-26 09:00:05 disk 2% full']) + '\n'
    analysis, rows = analyze(text)
    assert rows[44][2] == 'WARN' and rows[45][2] == 'ERROR' and rows[46][2] == ''
    assert sorted((g.level, g.template) for g in analysis.groups if 'disk' in g.template) == [
        ('', 'disk <*> full'), ('ERROR', 'disk <*> full'), ('WARN', 'disk <*> full')]


def test_a_level_word_after_the_time_of_a_line_no_format_reads_is_its_level() -> None:
    assert opening_record('2026-11-26 09:00:03 WARN disk 0% full') == (
        '2026-11-26 09:00:03', 'WARN', None, 'disk 0% full')
    assert opening_record('2026-11-26 09:00:03 [error] disk full') == (
        '2026-11-26 09:00:03', 'ERROR', None, 'disk full')
    assert opening_record('2026-11-26 09:00:03 Warning: disk full') == (
        '2026-11-26 09:00:03', 'WARN', None, 'disk full')
    # A word that is no level stays in the message; a single letter is no level outside a column of them.
    assert opening_record('2026-11-26 09:00:03 disk ERROR') == ('2026-11-26 09:00:03', 'ERROR', None, 'disk ERROR')
    assert opening_record('2026-11-26 09:00:03 A disk failed') == ('2026-11-26 09:00:03', '', None, 'A disk failed')


def test_lines_another_format_reads_without_time_or_level_count_as_that_format() -> None:
    debug = '2026-11-26 09:00:00,000 DEBUG [web] request served {}'
    lines = []
    for n in range(30):
        lines.append(debug.format(n))
        if n % 5 == 0:
            lines += [f'{{"job": {n}, "state": "done"}}', f'user=bob action=login n={n}']
    analysis, _ = analyze('\n'.join(lines))
    assert analysis.formats == {'log4j': 30, 'json': 6, 'logfmt': 6}
    assert {g.template for g in analysis.groups if g.level == 'DEBUG'} == {'request served <*>'}


LOGCAT = """\
03-17 16:13:38.820  1702  2395 I ActivityManager: Start proc 1234:com.example/u0a12 for activity
--------- beginning of system
03-17 16:13:38.821  1702  2395 I ActivityManager: Start proc 1235:com.other/u0a13 for activity
03-17 16:13:39.000  4321  4321 E AndroidRuntime: FATAL EXCEPTION: main
"""


def test_a_banner_after_a_record_is_no_event_and_leaves_the_record_in_its_group() -> None:
    analysis, rows = analyze(LOGCAT)
    assert analysis.events == 3
    assert rows[2][0] == rows[1][0]  # the banner's line is counted with the record before it
    started = [group for group in analysis.groups if group.template.startswith('Start proc')]
    assert [(group.count, group.example) for group in started] == [(2, LOGCAT.splitlines()[0])]


def test_banners_are_not_sampled_to_learn_the_format() -> None:
    records = ['03-17 16:13:38.811 D/WindowManager( 1702): freezing display',
               '03-17 16:13:38.819 E/PowerManagerService( 1702): acquire lock=233570404',
               '03-17 16:13:39.000 E/AndroidRuntime( 4321): FATAL EXCEPTION: main']
    banners = ['--------- beginning of main', '--------- beginning of system', '--------- beginning of crash']
    with_banners = [line for pair in zip(banners, records, strict=True) for line in pair]
    learned = [EventReader(lambda event: None, lambda fmt, first, records: None, context_lines=0, max_lines=10)
               for _ in range(2)]
    learned[0].learn_formats(records)
    learned[1].learn_formats(with_banners)
    assert [learned[1].fmt.parse(line) for line in records] == [learned[0].fmt.parse(line) for line in records]


ALERTS = """\
[**] [1:1000006:0] TCP connection [**]
[Priority: 0]
09/04-21:42:42.860730 10.0.0.59:57263 -> 10.0.0.190:22
TCP TTL:127 TOS:0x0 ID:53730 IpLen:20 DgmLen:108 DF

[**] [1:1000005:0] UDP connection [**]
[Classification: A Network Trojan was Detected] [Priority: 1]
09/04-21:53:15.299702 10.0.0.1:53 -> 10.0.0.190:36635
UDP TTL:64 TOS:0x0 ID:58363 IpLen:20 DgmLen:83

[**] [1:1000006:0] TCP connection [**]
[Priority: 0]
09/05-08:01:02.000001 10.0.0.59:57264 -> 10.0.0.190:22
TCP TTL:127 TOS:0x0 ID:53731 IpLen:20 DgmLen:40 DF
"""


def test_records_whose_time_is_on_a_later_line_open_at_their_title_and_take_that_time() -> None:
    stamps: list[tuple[int, str | None]] = []
    analysis = analyze_stream(io.BytesIO(ALERTS.encode()),
                              on_event=lambda first, last, group, level, ts: stamps.append((first, ts)))
    assert sorted(stamps) == [(1, '09/04-21:42:42.860730'), (6, '09/04-21:53:15.299702'),
                              (11, '09/05-08:01:02.000001')]
    # The title names the event: the two alerts' titles, each with its own count.
    assert sorted((group.template, group.count) for group in analysis.groups) == [
        ('TCP connection [**]', 2), ('UDP connection [**]', 1)]


def test_a_footer_before_each_dated_header_does_not_open_the_records() -> None:
    text = ''.join(f'26.11.2026 09:14:{n:02d} - Process({n}) started\nbody of record {n}\n----- source.c : {n} -----\n'
                   for n in range(12))
    starts: list[int] = []
    analyze_stream(io.BytesIO(text.encode()), on_event=lambda first, last, group, level, ts: starts.append(first))
    assert sorted(starts) == list(range(1, 36, 3))


def _routine(count: int) -> list[str]:
    return [f'2026-11-26 09:{n // 60 % 60:02d}:{n % 60:02d},000 INFO [web] request {n} served' for n in range(count)]


def _event_of(rows: dict[int, tuple[int, int, str]], line: int) -> list[int]:
    """The lines of the event that holds `line`."""
    return [number for number, row in rows.items() if row[0] == rows[line][0]]


def _late(inserted: list[str]) -> tuple[Analysis, dict[int, tuple[int, int, str]]]:
    """`inserted` as lines 251 on of a log of one-line records, after a long run of them."""
    lines = _routine(300)
    lines[250:250] = inserted
    return analyze('\n'.join(lines))


def test_another_programs_line_after_a_long_run_of_one_line_records_is_an_event_with_its_inferred_level() -> None:
    analysis, rows = _late(['check: starting', 'open /etc/app/key.pem: permission denied', 'check: 1 problem found'])
    assert [_event_of(rows, line) for line in (251, 252, 253)] == [[251], [252], [253]]
    assert rows[252][2] == 'ERROR'
    assert _event_of(rows, 250) == [250]
    assert analysis.events == 303


def test_a_log_whose_records_go_on_over_unshaped_lines_keeps_them_in_their_events() -> None:
    lines = []
    for n, line in enumerate(_routine(200)):
        lines.append(line)
        if n % 20 == 19:  # every twentieth record goes on over two lines of free text, all the way through
            lines += [f'rows affected: {n}', 'statement finished']
    _, rows = analyze('\n'.join(lines))
    last = len(lines)
    assert _event_of(rows, last) == [last - 2, last - 1, last]


def test_a_message_ending_with_a_colon_keeps_the_lines_it_announces_after_a_long_run() -> None:
    _, rows = _late(['2026-11-26 10:00:00,000 ERROR [web] application failed to start:', 'Description:',
                     'the datasource url is not set'])
    assert _event_of(rows, 251) == [251, 252, 253]
    assert rows[251][2] == 'ERROR'


def test_a_colon_after_an_address_announces_nothing_and_another_programs_error_after_it_is_its_own_event() -> None:
    # A record cut off after its address and port separator, then a client's error printed into the same log.
    _, rows = _late(['2026-11-26 10:00:00,000 WARN [web] lost the connection to /10.0.0.5:',
                     'docker: Error response from daemon: listen udp 0.0.0.0:53: bind: address already in use.'])
    assert [_event_of(rows, line) for line in (251, 252)] == [[251], [252]]
    assert rows[252][2] == 'ERROR'


def test_an_indented_error_under_a_one_line_record_after_a_long_run_is_a_crash_of_its_own() -> None:
    _, rows = _late(['    Error: sorry, too many clients already', '    at Pool.connect (/srv/pool.js:75:25)',
                     '    at Server.handle (/srv/server.js:12:3)'])
    assert _event_of(rows, 251) == [251, 252, 253]
    assert rows[251][2] == 'ERROR'
    assert _event_of(rows, 250) == [250]


def test_indented_lines_that_open_no_error_still_continue_a_one_line_record() -> None:
    _, rows = _late(['    user: bob', '    cart: 3 items'])
    assert _event_of(rows, 250) == [250, 251, 252]


def test_a_builds_indented_output_glued_to_a_record_after_a_long_run_is_its_own_event_from_its_first_error() -> None:
    _, rows = _late(['      running build_ext', "      error: command 'cc' failed: No such file or directory",
                     '      [end of output]', '', '  note: the error comes from a subprocess'])
    assert _event_of(rows, 250) == [250, 251]
    assert _event_of(rows, 252) == [252, 253, 254, 255]
    assert rows[252][2] == 'ERROR'
    assert _event_of(rows, 256) == [256]


def test_indented_lines_glued_to_a_record_after_a_long_run_split_at_the_first_worded_like_a_cause() -> None:
    _, rows = _late(['  Problem 1', '    - acme/util is locked to version 1.2.0', '    - acme/util requires php 8.1',
                     '  Problem 2'])
    assert _event_of(rows, 250) == [250, 251]
    assert _event_of(rows, 252) == [252, 253, 254]


def test_a_log_whose_records_carry_indented_details_keeps_failed_ones_in_their_records() -> None:
    lines = []
    for n, line in enumerate(_routine(300)):
        lines.append(line)
        if n % 20 == 19:
            lines += ['    step: checkout', f'    step: deploy failed with status {n}']
    _, rows = analyze('\n'.join(lines))
    last = len(lines)
    assert _event_of(rows, last) == [last - 2, last - 1, last]


def test_unshaped_lines_after_a_new_kind_of_line_continue_its_events_as_at_the_start_of_a_log() -> None:
    lines = [*_routine(300), '[2017-04-04 11:16:34 +0200] warning/PluginNotificationTask: notify failed',
             '/usr/bin/printf: write error: Broken pipe']
    _, rows = analyze('\n'.join(lines))
    assert _event_of(rows, 301) == [301, 302]


def test_a_line_opens_with_an_error_by_an_exception_name_or_an_error_prefix() -> None:
    opening = ['Error: listen EADDRINUSE :::3000', 'TypeError: x is undefined', 'java.io.IOException: disk full',
               'error[E0308]: mismatched types', 'fatal: not a git repository', 'panic: runtime error: index']
    other = ['user: bob', 'Errors were found in 2 files', 'errorCount: 3', 'at Pool.connect (pool.js:75:25)']
    assert [opens_error(text) for text in opening + other] == [True] * len(opening) + [False] * len(other)


def test_dates_a_wrapper_script_writes_between_records_are_read_whole_the_first_line_too() -> None:
    text = ''.join(f'Wed Dec 17 16:1{n}:57 CST 2014\nservice start\n'
                   + ''.join(f'14188724{n}{k}: step {k} of run {n}\n' for k in range(4)) for n in range(3))
    stamps: list[tuple[int, str | None]] = []
    analyze_stream(io.BytesIO(text.encode()), on_event=lambda first, last, group, level, ts: stamps.append((first, ts)))
    assert [(first, ts) for first, ts in sorted(stamps) if ts and not ts[0].isdigit()] == [
        (1, 'Wed Dec 17 16:10:57 CST 2014'), (7, 'Wed Dec 17 16:11:57 CST 2014'), (13, 'Wed Dec 17 16:12:57 CST 2014')]
    assert opening_record('Wed Dec 17 16:10:57 CST 2014 service start') == (
        'Wed Dec 17 16:10:57 CST 2014', '', None, 'service start')


@pytest.mark.parametrize(('message', 'events'), [('Getting data from source failed', 2), ('loading settings', 3)])
def test_a_traceback_continues_a_record_below_warning_only_when_its_words_say_it_failed(message: str,
                                                                                        events: int) -> None:
    text = (f'2026-11-26 09:14:02,101 - util.py[DEBUG]: {message}\n'
            'Traceback (most recent call last):\n'
            '  File "/srv/source.py", line 57, in get_data\n'
            "KeyError: 'meta'\n"
            '2026-11-26 09:14:03,000 - util.py[DEBUG]: next step\n')
    analysis, rows = analyze(text)
    assert analysis.events == events
    assert (rows[1][0] == rows[2][0]) == (events == 2)


def test_a_level_word_and_a_colon_opening_a_line_after_a_record_with_a_level_start_a_record_of_their_own() -> None:
    lines = _routine(20)
    lines[10:10] = ['Fatal: cannot bind 127.0.0.1:8545: address already in use', 'warning: cache is cold']
    _, rows = analyze('\n'.join(lines))
    assert [_event_of(rows, line) for line in (11, 12)] == [[11], [12]]
    assert [rows[line][2] for line in (11, 12)] == ['FATAL', 'WARN']


def test_an_error_opening_a_stack_under_a_record_continues_that_record() -> None:
    lines = _routine(20)
    lines[10:10] = ['Error: connect ECONNREFUSED 10.0.0.1:5432', '    at TCPConnectWrap.afterConnect (net.js:1141:16)']
    _, rows = analyze('\n'.join(lines))
    assert _event_of(rows, 10) == [10, 11, 12]


def test_plain_text_list_items_continue_the_line_that_introduces_them() -> None:
    _, rows = analyze('Begin reload\n- Loaded all modules, in 0.2 seconds\n- Reset the domain\nReload done\n'
                      '- one\n- two')
    assert [_event_of(rows, line) for line in (1, 4)] == [[1, 2, 3], [4, 5, 6]]
    _, rows = analyze('- first item\n- second item\n- third item')
    assert [_event_of(rows, line) for line in (1, 2, 3)] == [[1], [2], [3]]


@pytest.mark.parametrize(
    'frames',
    [
        # A browser add-on's error, its stack as Firefox writes it.
        ['loadPanel/<@moz-extension://0f3a/panel.js:40:11', 'loadPanel@moz-extension://0f3a/panel.js:12:3',
         '@moz-extension://0f3a/panel.js:1:1'],
        # A web view's error, its stack as Safari writes it.
        ['drawChart@https://dash.example/chart.js:210:17', 'global code@https://dash.example/index.html:9:20'],
    ],
)
def test_javascript_frames_written_without_indentation_continue_their_error(frames: list[str]) -> None:
    lines = ['viewer started', 'Widget threw an exception: TypeError: data is undefined', *frames, 'viewer stopped']
    _, rows = analyze('\n'.join(lines))
    assert _event_of(rows, 2) == list(range(2, 3 + len(frames)))
    assert _event_of(rows, len(lines)) == [len(lines)]


@pytest.mark.parametrize(
    ('lines', 'first', 'last'),
    [
        # An emulator's banner around the dated lines its Java logger writes.
        (['Emulator starting', 'Mar 3, 2026 9:05:01 PM org.example.emu.Server start', 'INFO: listening on 8080',
          'API endpoint: http://127.0.0.1:8080', '', '   export EMU_HOST=127.0.0.1:8080', '',
          'Note: the preview feature is on.', 'Mar 3, 2026 9:07:40 PM org.example.emu.Server stop',
          'INFO: client gone', 'shutting down'],
         datetime(2026, 3, 3, 21, 5, 1), datetime(2026, 3, 3, 21, 7, 40)),
        # A test runner's output with one dated line of its own.
        (['collecting tests', 'ran 12 tests', '2026-03-01 10:00:07 report written to out/report.xml', 'OK'],
         datetime(2026, 3, 1, 10, 0, 7), datetime(2026, 3, 1, 10, 0, 7)),
    ],
)
def test_dated_lines_among_plain_text_are_read_for_their_time(lines: list[str], first: datetime,
                                                              last: datetime) -> None:
    analysis = analyze_lines(lines)
    assert (analysis.first_timestamp, analysis.last_timestamp) == (first, last)


@pytest.mark.parametrize(
    'lines',
    [
        # An emulator's banner, then its Java logger's records of two lines: the time and method, then the level.
        ['Emulator starting', 'Mar 3, 2026 9:05:01 PM org.example.emu.Server start', 'WARNING: port 8080 is busy',
         'Using port 8081'],
        # A tool's plain output with one record of its logger, the level under the ISO time.
        ['resolving packages', '2026-03-01 10:00:07 org.example.pkg.Fetcher fetch', 'SEVERE: mirror unreachable',
         'done'],
    ],
)
def test_a_level_opening_the_line_under_a_dated_line_in_plain_text_is_that_records(lines: list[str]) -> None:
    _, rows = analyze('\n'.join(lines))
    assert _event_of(rows, 2) == [2, 3]
    assert rows[2][2] == ('WARN' if 'WARNING' in lines[2] else 'ERROR')
    assert _event_of(rows, 4) == [4]


def test_plain_text_lines_that_announce_a_date_and_time_further_on_are_read_for_them() -> None:
    lines = ['*** backup run started: 2024-03-01 02:00:00 +0100 ***', '[811] - copying /srv/a',
             '[811] - copying /srv/b', 'Session restarted at Fri Mar  1 02:00:05 2024 (uptime 3.2 s)',
             'Released 2024-03-01, no time of day', 'next window opens 02:30:00']
    times: dict[int, str | None] = {}
    analyze_stream(io.BytesIO('\n'.join(lines).encode()),
                   on_event=lambda first, last, group, level, ts: times.setdefault(first, ts))
    assert times == {1: '2024-03-01 02:00:00 +0100', 2: None, 3: None, 4: 'Fri Mar  1 02:00:05 2024', 5: None,
                     6: None}


def _starts(lines: list[str]) -> list[int]:
    starts: list[int] = []
    analyze_stream(io.BytesIO('\n'.join(lines).encode()),
                   on_event=lambda first, last, group, level, ts: starts.append(first))
    return sorted(starts)


def test_numbered_frames_of_a_debugger_or_a_dart_trace_continue_the_crash() -> None:
    lines = ['Program received signal SIGSEGV, Segmentation fault.',
             '#0  0x00007f3a2c in memcpy () from /lib/libc.so.6', '#1  0x0000555d10 in copy_row (r=0x0) at table.c:88',
             'Unhandled exception:', 'RangeError: index out of range', '#0      List.[] (dart:core/list.dart:12)',
             '#1      Grid.cell (package:app/grid.dart:40)', 'Run finished.',
             '#5 [builder 2/4] RUN make', '#5 DONE 0.4s']
    assert _starts(lines) == [1, 4, 8, 9, 10]


def test_plain_text_lines_led_on_to_by_the_line_before_continue_it() -> None:
    lines = ['Sync failed for 3 folders.', 'Retry with these settings:', 'Mode: full', '',
             'The mirror could not be reached; check the', 'network settings and restart the', 'daemon.',
             'Telemetry is on. It collects:', '• which commands ran', '• how long they took',
             'Account: alice, region: ', 'ERROR: quota exceeded', 'Settings loaded.']
    assert _starts(lines) == [1, 2, 5, 8, 11, 12, 13]
    # A line that writes its own level opens a record after an announcing line too.
    assert _starts(['Checking disks:', 'warning: /dev/sdb is 91% full', 'INFO /dev/sda is fine']) == [1, 2, 3]


@pytest.mark.parametrize('record', [
    '2026-03-01T10:00:0{n}.125Z  INFO app::server: listening on port 80{n}',
    '2026-03-01 10:00:0{n},125 INFO  [main] org.example.Server - listening on port 80{n}',
    '[2026-03-01 10:00:0{n}] worker.INFO: listening on port 80{n}',
])
def test_words_before_the_first_record_with_the_header_are_events_of_their_own_and_a_drawing_continues(
        record: str) -> None:
    opening = ['nohup: ignoring input', '   ___  ___', '  / _ \\/ _ \\', '| (_) | (_) |', '  \\___/\\___/', '',
               'Version: 2.4.1, build: 7f3e2a', 'Open the dashboard at http://localhost:6333/ui', '']
    text = '\n'.join(opening + [record.format(n=n) for n in range(6)]) + '\n'
    _, rows = analyze(text)
    starts = [line for line in rows if line == 1 or rows[line][0] != rows[line - 1][0]]
    assert starts == [1, 7, 8, *range(10, 16)]


def test_a_dated_line_before_the_first_record_with_the_header_keeps_the_line_after_it() -> None:
    lines = ['Wed Mar  4 16:11:57 UTC 2026', 'relay start'] + [
        f'{1772640000 + n}: client {n} connected from 10.0.0.{n}' for n in range(6)]
    _, rows = analyze('\n'.join(lines) + '\n')
    assert rows[1][0] == rows[2][0] != rows[3][0]


def test_records_opened_by_a_marked_word_in_capitals_with_the_time_further_on_keep_their_marked_lines() -> None:
    lines = []
    for n in range(4):
        lines += [f'@RECORD net.core.sockets {n} 0 2024-05-0{n + 1} 11:20:{n:02d}.500',
                  f'@TEXT Listener {n} closed before the handshake ended',
                  f'@DETAIL 1 net.core.sockets 0 2024-05-0{n + 1} 11:20:{n:02d}.500',
                  f'@TEXT peer {n} left', '']
    times: dict[int, str | None] = {}
    analyze_stream(io.BytesIO('\n'.join(lines).encode()),
                   on_event=lambda first, last, group, level, ts: times.setdefault(first, ts))
    assert times == {1 + 5 * n: f'2024-05-0{n + 1} 11:20:{n:02d}.500' for n in range(4)}


def test_a_banner_line_with_a_two_digit_year_after_the_month_and_day_is_read_for_its_time() -> None:
    lines = ['Log opened, 11/26/24 09:14:02', 'Cache: loaded 12 entries', 'Cache: flushed']
    times: dict[int, str | None] = {}
    analyze_stream(io.BytesIO('\n'.join(lines).encode()),
                   on_event=lambda first, last, group, level, ts: times.setdefault(first, ts))
    assert times == {1: '11/26/24 09:14:02', 2: None, 3: None}


def test_items_of_an_indented_list_before_the_first_record_are_events_of_their_own() -> None:
    lines = [' * VERSION    relay/2.4.1', ' * THREADS    8', '              pinned to cores 0-7',
             ' * STORAGE    /var/lib/relay',
             '[2024-05-01 10:00:00.001]  net  listening on 0.0.0.0:7000',
             '[2024-05-01 10:00:01.002]  net  peer 10.0.0.4 joined',
             '[2024-05-01 10:00:02.003]  net  peer 10.0.0.5 joined']
    assert _starts(lines) == [1, 2, 4, 5, 6, 7]


def test_items_under_a_line_that_introduces_them_still_continue_it() -> None:
    lines = ['2024-05-01 10:00:00 INFO settings loaded:', '   * threads 8', '   * storage /var/lib/relay',
             '2024-05-01 10:00:01 INFO listening on 0.0.0.0:7000']
    assert _starts(lines) == [1, 4]


@pytest.mark.parametrize('closing', [']]', '|#]', '}', '  });'])
def test_brackets_alone_on_a_line_close_the_record_above(closing: str) -> None:
    lines = []
    for n in range(6):
        lines += [f'[2024-05-01T10:00:0{n}.001+0200] [WARNING] [pool] [tid: {n}] [[', f'  worker {n} stopped',
                  f'\tat pool.Worker.run(Worker.java:{n + 9})', closing, '']
    assert _starts(lines) == [1 + 5 * n for n in range(6)]


def test_records_whose_first_line_holds_only_the_time_group_by_the_words_of_their_next_line() -> None:
    lines = []
    for n in range(6):
        lines.append(f'Tue Mar  5 1{n}:00:0{n} UTC 2024')
        if n % 2:
            lines += [f'Checkpoint {n} written to disk', f'  segment {n} of 4 flushed']
        else:
            lines += [f'Archiver started for volume {n}', f'  target /backup/vol{n}']
    analysis = analyze_lines(lines)
    assert analysis.events == 6
    assert sorted(group.count for group in analysis.groups) == [3, 3]


def test_a_note_framed_by_dashes_between_frames_stays_in_the_trace_and_one_elsewhere_does_not() -> None:
    lines = []
    for n in range(4):
        lines += [f'2024-05-01 10:00:0{n} [ERR] request {n} failed', 'System.TimeoutException: no reply',
                  f'   at Relay.Send() in /src/Relay.cs:line {n + 10}',
                  '--- End of stack trace from previous location ---', '   at Relay.Main()']
    assert _starts(lines) == [1, 6, 11, 16]
    assert _starts(['--- Summary of the run ---', '2024-05-01 10:00:00 [INF] 3 jobs done',
                    '--- Summary of the run ---']) == [1, 2, 3]


def test_a_heading_a_script_writes_between_runs_opens_an_event_unless_announced() -> None:
    lines = ['2024-05-01 10:00:00 INFO  : sync finished', 'Copied:      12 files', 'Elapsed:     3.2s',
             '########## nightly sync starting  Wed  1 May 10:05:00 BST 2024',
             '2024-05-01 10:05:01 INFO  : sync finished', '2024-05-01 10:06:00 INFO  : totals by folder:',
             '===== photos =====', 'Copied:      3 files']
    assert _starts(lines) == [1, 4, 5, 6]


def test_a_compose_banner_line_keeps_the_lines_after_it_unwrapped_and_each_container_opens_its_own_events() -> None:
    lines = ['Attaching to store, api',
             'api    | 2026-03-01 10:00:00,125 INFO starting api', 'api    | ',
             'store  | Waiting for the disk to mount.',
             'api    | 2026-03-01 10:00:01,125 ERROR api failed to bind', 'api    |   at Server.listen (net.js:10)',
             'store  |  * Mounting /data', 'store  | Mounted.']
    times: dict[int, str | None] = {}
    analyze_stream(io.BytesIO('\n'.join(lines).encode()),
                   on_event=lambda first, last, group, level, ts: times.setdefault(first, ts))
    assert sorted(times) == [1, 2, 4, 5, 7, 8]
    assert times[2] == '2026-03-01 10:00:00,125' and times[5] == '2026-03-01 10:00:01,125'


def test_the_rows_of_a_drawn_table_are_one_block_with_the_line_above_or_alone() -> None:
    table = ['+----+--------+', '| id | name   |', '+----+--------+', '| 1  | alpha  |', '| 2  | beta   |',
             '+----+--------+']
    assert _starts(['Loaded profiles:', *table, 'Pick one.']) == [1, 8]
    assert _starts(['Build done.', *table, 'Pick one.']) == [1, 2, 8]
    assert _starts(['Build done.', '┌────┬──────┐', '│ id │ name │', '└────┴──────┘', 'Pick one.']) == [1, 2, 5]


def test_a_statement_of_sql_printed_over_lines_is_one_event_in_plain_text() -> None:
    lines = ['select `t`.`id`, `t`.`name`', 'from `shop`.`orders` as `t`', 'where `t`.`id` = 42', '',
             'SELECT count(*)', 'FROM items', 'ORDER BY id ASC', 'LIMIT 10', 'Connection closed.',
             'from here on the cache is cold']
    assert _starts(lines) == [1, 5, 9, 10]


def test_a_mail_style_date_inside_a_plain_text_line_is_its_time() -> None:
    lines = ['node1 - relay (4242) - 26 Nov 26 09:14 -03 - panic - lost key', '', 'goroutine 1 [running]:',
             'main.main()', '\t/src/relay/main.go:10 +0x1a']
    times: dict[int, str | None] = {}
    analyze_stream(io.BytesIO('\n'.join(lines).encode()),
                   on_event=lambda first, last, group, level, ts: times.setdefault(first, ts))
    assert times[1] == '26 Nov 26 09:14 -03'


def test_a_timestamp_alone_on_its_line_groups_its_event_by_the_message_on_the_lines_after_it() -> None:
    messages = ['Config check failed:', '', '  CACHE_MODE: Invalid enum value, received nothing', '',
                '  QUEUE_URL  - queue connection URL', '', '  MAIL_HOST  - mail server host']
    lines = [row for message in messages for row in ('2026-11-26 10:00:00', '', message)]
    analysis, rows = analyze('\n'.join(lines) + '\n')
    templates = {group.template for group in analysis.groups}
    assert {'Config check failed:', 'QUEUE_URL - queue connection URL', 'MAIL_HOST - mail server host'} <= templates
    assert rows[7][0] == rows[9][0] != rows[10][0]  # each dated line and the message after it make one event
    invalid = next(group for group in analysis.groups if 'CACHE_MODE' in group.template)
    assert invalid.first_line == 7 and invalid.count == 1
