"""Headers of formats no parser names: learned from the file, the same for every line of it."""

import io
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from parsers import analyze_lines, analyze_stream
from parsers.formats import detect
from parsers.formats.base import Record
from parsers.formats.generic import learn as learn_format
from parsers.timestamps import parse_timestamp, parse_timestamps


def _parsed(lines: list[str]) -> tuple[str, list[Record | None]]:
    fmt = detect(lines)[0]
    return fmt.name, [fmt.parse(line) for line in lines]


def test_file_name_prefix_then_timestamp_pid_level_logger_and_request() -> None:
    lines = [f'api.log.{n % 3}.2021-03-01_10:00:00 2021-03-01 10:00:{n:02d}.{n:03d} {4000 + n} '
             f'{"ERROR" if n % 5 == 0 else "INFO"} app.wsgi.server [req-{n:08x}-aa11 {n:032x} - - -] '
             f'10.0.0.{n} "GET /v1/items/{n} HTTP/1.1" status: 200 len: {n * 7}' for n in range(40)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[5] == ('2021-03-01 10:00:05.005', 'ERROR', 'app.wsgi.server',
                          '10.0.0.5 "GET /v1/items/5 HTTP/1.1" status: 200 len: 35')
    analysis = analyze_lines(lines)
    assert analysis.level_counts['ERROR'] == 8
    assert {group.template for group in analysis.groups} == {'<*> "GET <*>" status: <*> len: <*>'}


def test_label_epoch_date_node_and_level_deep_in_the_header() -> None:
    lines = [f'- {1117838570 + n} 2005.06.03 R0{n % 9}-M1-N{n % 4}-C:J12-U11 2005-06-03-15.42.{n:02d}.{n:06d} '
             f'R0{n % 9}-M1-N{n % 4}-C:J12-U11 RAS KERNEL {"FATAL" if n % 4 == 0 else "INFO"} '
             f'{"data TLB error interrupt" if n % 4 == 0 else "instruction cache parity error corrected"}'
             for n in range(40)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[4] == ('1117838574', 'FATAL', '', 'data TLB error interrupt')
    analysis = analyze_lines(lines)
    assert analysis.first_timestamp == datetime(2005, 6, 3, 22, 42, 50, tzinfo=UTC)
    assert [(group.level, group.count) for group in analysis.groups] == [('FATAL', 10), ('INFO', 30)]


def test_comma_after_timestamp_level_in_any_case_and_a_padded_source_column() -> None:
    lines = [f'2016-09-28 04:30:{n:02d}, {("Info", "Warning", "Error")[n % 3]:<22}{("CBS", "CSI")[n % 2]}    '
             f'Session: {30000 + n}_{n} initialized by client UpdateAgent.' for n in range(30)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[2] == ('2016-09-28 04:30:02', 'ERROR', 'CBS', 'Session: 30002_2 initialized by client UpdateAgent.')


def test_bracketed_month_day_time_then_program_and_dash() -> None:
    programs = ('chrome.exe', 'mail.exe')
    lines = [f'[10.{n % 28 + 1:02d} 16:49:{n:02d}] {programs[n % 2]} - host{n}.example.org:{5000 + n} '
             f'open through proxy proxy.example.org:5070 HTTPS' for n in range(30)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[1] == ('10.02 16:49:01', '', 'mail.exe',
                          'host1.example.org:5001 open through proxy proxy.example.org:5070 HTTPS')
    analysis = analyze_lines(lines)
    assert analysis.groups[0].first_seen == datetime(datetime.now(UTC).year, 10, 1, 16, 49)
    assert [group.template for group in analysis.groups] == ['<*> open through proxy <*> HTTPS']


def test_epoch_after_four_columns() -> None:
    messages = ('Component State Change: Component alt{n} is in the unavailable state (HWID={n})',
                'clusterAddMember  (command {n})', 'ServerFileSystem: domain panic', 'risBoot command {n}',
                'Temperature ({n}C) exceeds warning threshold', 'boot (command {n}) Error: nodes fail')
    lines = [f'{134681 + n} node-{n % 50} unix.hw state_change.unavailable {1077804742 + n} 1 '
             + messages[n % len(messages)].format(n=n) for n in range(60)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[0] == ('1077804742', '', '',
                          'Component State Change: Component alt0 is in the unavailable state (HWID=0)')


def test_syslog_without_a_year_host_with_digits_and_programs_of_several_words() -> None:
    programs = ('sshd(pam_unix)[19939]', 'kernel', 'Google Chrome Helper[77]', 'su(pam_unix)[2]')
    lines = [f'Jun {n % 28 + 1:2d} 15:16:{n % 60:02d} host-10-1-{n % 7} {programs[n % 4]}: session opened for user '
             f'u{n} by (uid=0)' for n in range(400)]
    lines[350] = 'Jun 20 15:16:01 host-10-1-2 --- last message repeated 1 time ---'
    analysis = analyze_lines(lines)
    assert analysis.formats == {'syslog': 400}
    assert [(group.template, group.count) for group in analysis.groups] == [
        ('session opened for user <*> by (uid=<*>)', 399), ('--- last message repeated <*> time ---', 1)]
    assert detect(lines)[0].parse(lines[2]) == ('Jun  3 15:16:02', '', 'Google Chrome Helper',
                                                'session opened for user u2 by (uid=0)')


def test_label_epoch_then_syslog_time_host_and_program() -> None:
    lines = [f'- {1131566461 + n} 2005.11.09 dn{n % 300} Nov {n % 9 + 1} 12:01:{n % 60:02d} dn{n % 300}/dn{n % 300} '
             f'crond(pam_unix)[{2915 + n}]: session closed for user root' for n in range(40)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[0] == ('1131566461', '', 'crond(pam_unix)', 'session closed for user root')


def test_a_line_unlike_the_rest_does_not_change_the_header_of_the_lines_after_it() -> None:
    lines = [f'2026-11-26 09:14:{n % 60:02d},101 {4000 + n} INFO worker.pool: job {n} done' for n in range(600)]
    lines[300] = '2026-11-26 09:15:00,101 oops a line without the usual fields'
    analysis = analyze_lines(lines)
    assert analysis.groups[0].template == 'job <*> done'
    assert analysis.groups[0].count == 599


@pytest.mark.parametrize(
    ('raw', 'moment'),
    [
        ('2005-08-12-23.25.12.135766', datetime(2005, 8, 12, 23, 25, 12, 135766)),
        ('2005.08.12 10:11:12', datetime(2005, 8, 12, 10, 11, 12)),
        ('2017/5/3:10:11:12', datetime(2017, 5, 3, 10, 11, 12)),
        ('10.30 16:49:06', datetime(2020, 10, 30, 16, 49, 6)),
        ('1123914312', datetime(2005, 8, 13, 6, 25, 12, tzinfo=UTC)),
        ('1123914312123', datetime(2005, 8, 13, 6, 25, 12, 123000, tzinfo=UTC)),
        ('9/28/2016 4:30:30 PM', datetime(2016, 9, 28, 16, 30, 30)),
        ('Nov 9 12:01:01', datetime(2020, 11, 9, 12, 1, 1)),
        ('26 Nov 2026 09:14:05.000', datetime(2026, 11, 26, 9, 14, 5)),
        ('26 Nov 09:14:05.000', datetime(2020, 11, 26, 9, 14, 5)),
        ('26/Nov/2026 09:14:05', datetime(2026, 11, 26, 9, 14, 5)),
        ('2026-11-26 09:14:05 CET', datetime(2026, 11, 26, 9, 14, 5)),
        ('26/Nov/2026:09:14:05 +0100', datetime(2026, 11, 26, 8, 14, 5, tzinfo=UTC)),
        ('2026-11-26 09:14:05 +01:00', datetime(2026, 11, 26, 8, 14, 5, tzinfo=UTC)),
        ('26-Nov-2026 09:14:02.101', datetime(2026, 11, 26, 9, 14, 2, 101000)),
        ('11.10.2018 10:39:30', datetime(2018, 10, 11, 10, 39, 30)),
        ('091112 18:13:56', datetime(2009, 11, 12, 18, 13, 56)),
        ('161126  9:14:02', datetime(2016, 11, 26, 9, 14, 2)),
        ('Nov 28, 2017 2:11:20 PM', datetime(2017, 11, 28, 14, 11, 20)),
        ('09/04-21:42:42.860730', datetime(2020, 9, 4, 21, 42, 42, 860730)),
        ('09/04/2026-21:42:42.860730', datetime(2026, 9, 4, 21, 42, 42, 860730)),
        ('Nov 28, 2017 14:11:20.125', datetime(2017, 11, 28, 14, 11, 20, 125000)),
        ('2026-11-26|09:14:02.101', datetime(2026, 11, 26, 9, 14, 2, 101000)),
        ('11-26|09:14:02', datetime(2020, 11, 26, 9, 14, 2)),
        ('20261126T091402Z', datetime(2026, 11, 26, 9, 14, 2, tzinfo=UTC)),
        ('20261126:091402.101', datetime(2026, 11, 26, 9, 14, 2, 101000)),
        ('2026-11-26  09:14:02', datetime(2026, 11, 26, 9, 14, 2)),
        ('1126/091402.101', datetime(2020, 11, 26, 9, 14, 2, 101000)),
        ('26/11/24 09:14:02', datetime(2026, 11, 24, 9, 14, 2)),
        ('11/26/24 09:14:02', datetime(2024, 11, 26, 9, 14, 2)),
        ('20261126 09:14:02.101', datetime(2026, 11, 26, 9, 14, 2, 101000)),
        ('26-11-2026 09:14:02', datetime(2026, 11, 26, 9, 14, 2)),
        ('03-04-2026 09:14:02', datetime(2026, 4, 3, 9, 14, 2)),
        ('11-26-2026 09:14:02', datetime(2026, 11, 26, 9, 14, 2)),
        ('2026/11/26-09:14:02', datetime(2026, 11, 26, 9, 14, 2)),
        ('26 Nov 09:14:02 GMT 2026', datetime(2026, 11, 26, 9, 14, 2)),
        ('11/26 09:14:02.101', datetime(2020, 11, 26, 9, 14, 2, 101000)),
        ('1126 09:14:02.101234', datetime(2020, 11, 26, 9, 14, 2, 101234)),
        ('Nov 26 09:14', datetime(2020, 11, 26, 9, 14)),
        ('Thu, 26 Nov 2026 09:14:02 +0000', datetime(2026, 11, 26, 9, 14, 2, tzinfo=UTC)),
        ('26 Nov 26 09:14 -03', datetime(2026, 11, 26, 12, 14, tzinfo=UTC)),
        ('26 Nov 2026 09:14:02 GMT', datetime(2026, 11, 26, 9, 14, 2, tzinfo=UTC)),
    ],
)
def test_timestamp_shapes(raw: str, moment: datetime) -> None:
    assert parse_timestamp(raw, 2020) == moment


def test_a_written_offset_is_kept_so_the_time_reads_as_the_log_wrote_it() -> None:
    moment = parse_timestamp('2017-04-04 13:43:09 +0200', 2020)
    assert moment is not None and moment.isoformat() == '2017-04-04T13:43:09+02:00'


def test_a_header_with_two_component_like_columns_is_learned_without_failing() -> None:
    # A name before a separator and a `tag:` later both look like the component: only the first is named so.
    lines = [f'03-17 16:{n // 60:02d}:{n % 60:02d}.{n:03d} {1700 + n} {1800 + n} worker-{n % 2} - I {n} '
             f'ActivityManager: start proc {n}' for n in range(40)]
    analysis = analyze_lines(lines)
    assert analysis.lines == 40
    assert analysis.events == 40


def test_a_timestamp_inside_a_word_is_not_a_header_and_nothing_fails() -> None:
    lines = [f'type=SYSCALL msg=audit(1485893834.{n:03d}:{18877199 + n}): arch=c000003e syscall=44 success=yes '
             f'pid={1200 + n}' for n in range(40)]
    analysis = analyze_lines(lines)
    assert analysis.lines == 40
    assert len(analysis.groups) == 1


def test_padded_bracketed_levels_right_after_the_timestamp_bracket() -> None:
    levels = ('INFO ', 'WARN ', 'ERROR', 'DEBUG')
    lines = [f'[2026-11-26T09:14:{n:02d},{n:03d}][{levels[n % 4]}][com.example.Pool{n % 3:<12}] '
             f'[node-{n % 2}] pool {n} resized' for n in range(20)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert [record[1] for record in records[:4] if record] == ['INFO', 'WARN', 'ERROR', 'DEBUG']
    assert records[2] is not None and records[2][0] == '2026-11-26T09:14:02,002'


def test_a_column_of_single_level_letters_is_the_level_not_a_host() -> None:
    letters = ('I', 'I', 'W', 'E', 'D')
    lines = [f'2026-11-26T09:14:{n:02d}.{n:03d}+0100 {letters[n % 5]} NETWORK  [conn{n}] end connection '
             f'10.0.0.{n}:{5000 + n}' for n in range(30)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert [record[1] for record in records[:5] if record] == ['INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG']
    analysis = analyze_lines(lines)
    assert analysis.level_counts['ERROR'] == 6


def test_day_and_month_without_a_year_after_a_bracketed_pid() -> None:
    lines = [f'[{2900 + n % 3}] {n % 28 + 1} May 04:32:{n:02d} - {n} clients connected ({n} replicas)'
             for n in range(30)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[3] is not None and records[3][0] == '4 May 04:32:03'
    # The latest time, not the last line's: the days go round from the 28th to the 1st.
    assert analyze_lines(lines).last_timestamp == datetime(datetime.now(UTC).year, 5, 28, 4, 32, 27)


def test_w3c_directives_are_records_of_their_own_and_do_not_hide_the_header() -> None:
    lines = ['#Software: Example HTTP API 2.0', '#Version: 1.0', '#Date: 2026-11-26 09:14:00',
             '#Fields: date time c-ip c-port s-ip s-port cs-method cs-uri sc-status s-reason']
    lines += [f'2026-11-26 09:14:{n:02d} 10.0.0.{n} {5000 + n} 10.0.1.1 80 GET /item/{n} 503 ConnLimit'
              for n in range(4)]
    analysis = analyze_lines(lines)
    assert analysis.events == 8
    assert analysis.first_timestamp == datetime(2026, 11, 26, 9, 14)
    assert analysis.last_timestamp == datetime(2026, 11, 26, 9, 14, 3)


def test_comma_separated_cells_with_a_level_cell_and_quoted_messages_over_several_lines() -> None:
    levels = ('LOG', 'LOG', 'WARNING', 'ERROR')
    text = []
    for n in range(16):
        text.append(f'2026-11-26 09:14:{n:02d}.{n:03d} UTC,"app","shop",{80 + n},"10.0.0.{n}:5432",5ff26a0c.{n},'
                     f'{n},"idle",2026-11-26 09:00:00 UTC,3/{n},0,{levels[n % 4]},00000,"checkpoint {n} starting'
                     + ('' if n % 4 else '\n') + f' reason: time {n}",,,,,,,,,"psql","client backend"')
    lines = '\n'.join(text).split('\n')
    analysis = analyze_lines(lines)
    assert analysis.formats == {'learned': 16}
    assert analysis.events == 16
    assert analysis.level_counts['ERROR'] == 4
    assert analysis.level_counts['WARN'] == 4
    assert analysis.last_timestamp == datetime(2026, 11, 26, 9, 14, 15, 15000, tzinfo=UTC)


def test_glog_letter_and_time_after_a_pod_name_give_level_and_time() -> None:
    lines = [f'pod-{n % 3}-x7f {"IWE"[n % 3]}1126 09:14:{n:02d}.{n:06d}    1 controller.go:{n}] synced {n}'
             for n in range(30)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert [record[:2] for record in records[:3] if record] == [
        ('I1126 09:14:00.000000', 'INFO'), ('W1126 09:14:01.000001', 'WARN'), ('E1126 09:14:02.000002', 'ERROR')]
    assert analyze_lines(lines).level_counts['ERROR'] == 10


def test_indented_continuations_do_not_hide_the_header_of_the_lines_they_follow() -> None:
    lines: list[str] = []
    for n in range(12):
        lines.append(f'2026-11-26 09:14:{n:02d} worker-{n % 2} {("INFO", "WARN")[n % 2]} - query {n}:')
        lines += [f'\t\tSELECT name FROM t{n}', '\t\tWHERE id > 0']
    analysis = analyze_lines(lines)
    assert analysis.formats == {'learned': 12}
    assert analysis.events == 12
    assert analysis.level_counts['WARN'] == 6


def test_a_column_of_one_character_marks_is_the_level() -> None:
    marks = ('*', '-', '-', '#', '.')
    lines = [f'[{300 + n % 2}] {n % 28 + 1} Jun 10:00:{n:02d} {marks[n % 5]} worker {n} checked in' for n in range(30)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert [record[1] if record else None for record in records[:5]] == ['INFO', 'DEBUG', 'DEBUG', 'WARN', 'DEBUG']
    assert records[3] is not None and records[3][3] == 'worker 3 checked in'


def test_a_column_of_one_repeated_dash_is_a_separator_not_a_level() -> None:
    lines = [f'2026-11-26 10:00:{n:02d} - worker {n} checked in' for n in range(30)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[0] is not None and records[0][1] == ''


def test_a_line_repeating_the_sequence_number_before_it_continues_that_record() -> None:
    lines = ['0 info it worked if it ends with ok', '1 verbose cli [ "node", "publish" ]', '2 silly headers {',
             "2 silly headers   'content-type': 'application/json',", "2 silly headers   via: '1.1 varnish' }",
             '3 error publish failed', '4 verbose exit [ 1, true ]']
    analysis = analyze_lines(lines)
    assert analysis.events == 5
    assert analysis.level_counts['ERROR'] == 1
    assert analysis.level_counts['TRACE'] == 1


def test_numbered_lines_that_never_repeat_a_number_are_not_a_numbered_header() -> None:
    assert learn_format([f'{n} error step {n} failed' for n in range(10)]) is None


def test_records_of_many_lines_open_at_each_line_that_starts_with_the_shared_timestamp() -> None:
    entry = ['{day}.10.2018 10:39:{n:02d} - Process({n}.1) User(app) Program(setup.exe)',
             '                      Host(HOST-1) Installation(Installation1)',
             '', '{msgid}: Queue manager {n} changed state.', '', 'EXPLANATION:',
             'The queue manager {n} changed state.', 'ACTION:', 'None.', '----- amqxeida.c : 6278 -----']
    ids = ('AMQ6287I', 'AMQ6776E', 'AMQ6184W')
    lines = [text.format(day=11 + n % 2, n=n, msgid=ids[n % 3]) for n in range(6) for text in entry]
    lines[20] = lines[20].replace('11.10.2018', '11/10/2018')  # the same file, day first, with slashes
    analysis = analyze_lines(lines)
    assert analysis.events == 6
    assert (analysis.level_counts['INFO'], analysis.level_counts['ERROR'], analysis.level_counts['WARN']) == (2, 2, 2)
    assert analysis.first_timestamp == datetime(2018, 10, 11, 10, 39, 0)
    assert analysis.last_timestamp == datetime(2018, 10, 12, 10, 39, 5)


def test_a_comment_opening_with_a_timestamp_opens_a_record_of_many_lines() -> None:
    query = ['# Time: 0911{day} 18:13:56', '# User@Host: admin[admin] @ db1 [10.0.0.1]',
             '# Query_time: 10  Lock_time: 0  Rows_sent: 1  Rows_examined: 1', 'use shop;', 'SELECT * FROM orders;']
    lines = [text.format(day=10 + n) for n in range(4) for text in query]
    analysis = analyze_lines(lines)
    assert analysis.events == 4
    assert analysis.last_timestamp == datetime(2009, 11, 13, 18, 13, 56)


def test_a_time_repeated_in_a_few_messages_does_not_open_records() -> None:
    lines = [f'job {n} finished' if n % 5 else 'backup started at 10:00:00 as planned' for n in range(40)]
    assert analyze_lines(lines).events == 40


def test_java_util_logging_records_of_two_lines_take_the_level_opening_the_second() -> None:
    levels = ('INFO', 'SEVERE', 'WARNING')
    lines = [text for n in range(6) for text in (
        f'Nov 28, 2017 {n + 1}:11:20 PM org.apache.catalina.startup.Catalina start',
        f'{levels[n % 3]}: Server step {n} done')]
    analysis = analyze_lines(lines)
    assert analysis.events == 6
    assert (analysis.level_counts['INFO'], analysis.level_counts['ERROR'], analysis.level_counts['WARN']) == (2, 2, 2)
    assert analysis.last_timestamp == datetime(2017, 11, 28, 18, 11, 20)


def test_a_bracketed_level_letter_after_the_timestamp_is_the_level() -> None:
    letters = ('E', 'W', 'I')
    lines = [f'2017/5/3:10:11:{n:02d} [{letters[n % 3]}] disk {n} checked' for n in range(30)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert [record[1] if record else None for record in records[:3]] == ['ERROR', 'WARN', 'INFO']


def test_java_util_logging_records_name_their_class_as_the_component_and_group_by_the_message() -> None:
    sources = ('HostConfig deployDirectory', 'Catalina load')
    messages = ('Deploying web application directory /opt/app{n}', 'Initialization processed in {n} ms')
    lines = [text for n in range(4) for text in (
        f'Nov 28, 2017 2:11:2{n} PM org.apache.catalina.startup.{sources[n % 2]}',
        f'INFO: {messages[n % 2].format(n=n * 10)}')]
    analysis = analyze_lines(lines)
    assert [(group.component, group.template, group.count) for group in analysis.groups] == [
        ('org.apache.catalina.startup.HostConfig', 'Deploying web application directory <*>', 2),
        ('org.apache.catalina.startup.Catalina', 'Initialization processed in <*> ms', 2)]


RAILS_REQUEST = """\
Started {verb} "/posts/{n}" for 127.0.0.1 at 2012-03-1{n} 14:28:14 +0100
  Processing by PostsController#{action} as HTML
  Post Load (0.3ms)  SELECT "posts".* FROM "posts" WHERE "posts"."id" = ? LIMIT 1
Completed {status} in 5ms

"""


def test_a_web_framework_request_is_one_event_stamped_by_the_line_that_starts_it() -> None:
    requests = [('GET', 'show', '200 OK'), ('GET', 'show', '200 OK'), ('POST', 'create', '500 Internal Server Error')]
    text = ''.join(RAILS_REQUEST.format(verb=verb, n=n, action=action, status=status)
                   for n, (verb, action, status) in enumerate(requests))
    analysis = analyze_lines(text.splitlines())
    assert analysis.events == 3
    assert (analysis.first_timestamp, analysis.last_timestamp) == (
        datetime(2012, 3, 10, 13, 28, 14, tzinfo=UTC), datetime(2012, 3, 12, 13, 28, 14, tzinfo=UTC))
    assert sorted((group.count, group.level) for group in analysis.groups) == [(1, 'ERROR'), (2, '')]


@pytest.mark.parametrize(
    ('dates', 'first'),
    [
        (['01/03/2024', '25/03/2024'], datetime(2024, 3, 1, 9, 0)),  # a day above 12 first: day first
        (['01/03/2024', '01/25/2024'], datetime(2024, 1, 3, 9, 0)),  # a day above 12 second: month first
        (['01/03/2024', '02/03/2024'], datetime(2024, 1, 3, 9, 0)),  # nothing proves it: month first, as in the US
    ],
)
def test_slash_dates_are_read_in_the_order_the_file_proves(dates: list[str], first: datetime) -> None:
    lines = [f'{date} 09:00:{n:02d} INFO step {n} done' for n in range(20) for date in dates]
    assert analyze_lines(lines).first_timestamp == first


def test_a_slash_date_with_a_first_number_above_12_is_day_first() -> None:
    assert parse_timestamp('25/03/2024 09:15:10', 2020) == datetime(2024, 3, 25, 9, 15, 10)


def test_times_of_one_shape_are_each_read_by_their_own_digits() -> None:
    # The pattern that reads a shape is found once; each time's values (a slash date's order, a month that does
    # not exist, an epoch out of range) still decide what it reads as.
    assert parse_timestamp('03/04/2024 09:15:10', 2020) == datetime(2024, 3, 4, 9, 15, 10)
    assert parse_timestamp('25/04/2024 09:15:10', 2020) == datetime(2024, 4, 25, 9, 15, 10)
    assert parse_timestamp('2024-13-04 09:15:10', 2020) is None
    assert parse_timestamp('2024-12-04 09:15:10', 2020) == datetime(2024, 12, 4, 9, 15, 10)
    assert parse_timestamp('abc 99', 2020) is None
    assert parse_timestamp('xyz 12', 2020) is None
    assert parse_timestamp('1764148442', 2020) == datetime(2025, 11, 26, 9, 14, 2, tzinfo=UTC)


def test_a_dotted_class_after_the_level_and_the_thread_is_the_component() -> None:
    sources = ('org.apache.catalina.startup.Catalina.load', 'org.apache.catalina.core.StandardService.startInternal')
    lines = [f'28-Nov-2017 14:11:{n:02d}.101 {"SEVERE" if n % 3 == 0 else "INFO"} [main] {sources[n % 2]} step {n} done'
             for n in range(12)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[:2] == [('28-Nov-2017 14:11:00.101', 'ERROR', sources[0], 'step 0 done'),
                           ('28-Nov-2017 14:11:01.101', 'INFO', sources[1], 'step 1 done')]


def test_a_line_the_whole_learned_header_does_not_read_keeps_the_level_among_its_first_words() -> None:
    lines = [f'2026-11-26 09:14:{n:02d},101 app.worker      [123]: INFO    [job-7] Found item {n}' for n in range(15)]
    lines.insert(0, '2026-11-26 09:13:59,101 app.server      [123]: WARN    rollover performed')
    name, records = _parsed(lines)
    assert name == 'learned'
    assert [record[1] if record else None for record in records[:2]] == ['WARN', 'INFO']


def test_a_level_letter_in_angle_brackets_glued_to_the_time_is_the_level() -> None:
    letters = ('W', 'E', 'I')
    lines = [f'<{letters[n % 3]}>2026-11-26 09:14:{n:02d}.101 step {n} done' for n in range(9)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[:3] == [('2026-11-26 09:14:00.101', 'WARN', '', 'step 0 done'),
                           ('2026-11-26 09:14:01.101', 'ERROR', '', 'step 1 done'),
                           ('2026-11-26 09:14:02.101', 'INFO', '', 'step 2 done')]


def test_right_aligned_seconds_since_start_open_records_and_an_indented_table_continues_one() -> None:
    lines = [f'{n * 1.5 + 2:8.3f} Loading mod number{n} 1.0.{n} (data.lua)' for n in range(8)]
    lines += ['  13.954 Script data.lua:4: Log mods once: {', '  alpha = "1.0.2",', '  beta = "1.3.2",', '}',
              '  14.001 Checksum for mod alpha: 1234']
    starts: list[int] = []
    analyze_stream(io.BytesIO('\n'.join(lines).encode()), on_event=lambda first, *_: starts.append(first))
    assert sorted(starts) == [*range(1, 10), 13]


def test_numbers_at_different_columns_are_no_column_of_seconds() -> None:
    lines = [' ' * (n % 4) + f'{n}.5 items left in queue {n}' for n in range(12)]
    assert learn_format(lines) is None


def test_bracketed_seconds_since_start_open_records_and_a_banner_without_them_continues_one() -> None:
    lines = ['[    27.160] ', 'Display Server 1.20.7', 'Protocol Version 11']
    lines += [f'[    27.{170 + n}] (WW) The directory "/usr/share/fonts/{n}" does not exist.' for n in range(6)]
    levels: dict[int, str] = {}
    analyze_stream(io.BytesIO('\n'.join(lines).encode()),
                   on_event=lambda first, last, group, level, ts: levels.update({first: level}))
    assert levels == {1: '', **{line: 'WARN' for line in range(4, 10)}}


def test_month_day_and_year_with_milliseconds_then_a_bracketed_thread_and_a_level() -> None:
    lines = [f'Mar {n % 28 + 1:02d}, 2026 10:20:{n:02d}.{n:03d} [{140000 + n}] {("DEBUG", "WARN")[n % 2]} - '
             f'Scanner: item {n} scanned' for n in range(20)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[3] is not None and records[3][:2] == ('Mar 04, 2026 10:20:03.003', 'WARN')
    assert analyze_lines(lines).first_timestamp == datetime(2026, 3, 1, 10, 20)


def test_a_level_then_month_day_and_time_joined_by_a_bar_in_brackets() -> None:
    lines = [f'{("INFO", "WARN")[n % 2]} [03-11|10:20:{n:02d}] Imported new segment{" " * (20 - len(str(n)))}'
             f'blocks={n} elapsed={n}ms' for n in range(20)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[1] is not None and records[1][:2] == ('03-11|10:20:01', 'WARN')
    assert analyze_lines(lines).last_timestamp == datetime(datetime.now(UTC).year, 3, 11, 10, 20, 19)


def test_every_line_behind_one_space_and_a_process_id_joined_to_the_time_by_a_colon() -> None:
    lines = [f' {3100 + n % 3}:20260311:1020{n:02d}.{n:03d} worker {n} finished' for n in range(12)]
    lines[5:5] = ['  queue:   7 items', '  spool:   0 items']
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[0] is not None and records[0][0] == '20260311:102000.000'
    starts: list[int] = []
    analyze_stream(io.BytesIO('\n'.join(lines).encode()), on_event=lambda first, *_: starts.append(first))
    assert sorted(starts) == [1, 2, 3, 4, 5, *range(8, 15)]
    assert analyze_lines(lines).last_timestamp == datetime(2026, 3, 11, 10, 20, 11, 11000)


def test_records_indented_under_a_banner_are_read_past_the_indentation() -> None:
    lines = ['==> Starting the agent...', '      Node name: one', '     Datacenter: east', '',
             '==> Log data will now stream in:', '']
    lines += [f'    2026/03/11 10:20:{n:02d} [{("INFO", "ERR")[n % 2]}] pool: member {n} joined' for n in range(12)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[7] == ('2026/03/11 10:20:01', 'ERROR', 'pool', 'member 1 joined')
    assert records[1] is None
    assert records[4] == (None, '', None, '==> Log data will now stream in:')
    starts: list[int] = []
    analyze_stream(io.BytesIO('\n'.join(lines).encode()), on_event=lambda first, *_: starts.append(first))
    assert sorted(starts) == [1, 5, *range(7, 19)]
    assert analyze_lines(lines).level_counts['ERROR'] == 6


def test_level_and_logger_joined_to_the_time_by_colons() -> None:
    lines = [f'2026-03-11 10:20:{n:02d},{n:03d}:{("INFO", "WARNING")[n % 2]}:shop.cart:cart {n} saved: total {n}'
             for n in range(20)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert records[1] == ('2026-03-11 10:20:01,001', 'WARN', 'shop.cart', 'cart 1 saved: total 1')


def test_level_and_logger_joined_to_the_time_by_colons_in_records_of_many_lines() -> None:
    lines: list[str] = []
    for n in range(8):
        lines.append(f'2026-03-11 10:20:{n:02d},{n:03d}:{("DEBUG", "ERROR")[n % 2]}:http.client:Received response:')
        lines += ['HTTP 200', 'Server: example', f'Content-Length: {n}']
    levels: dict[int, str] = {}
    analyze_stream(io.BytesIO('\n'.join(lines).encode()),
                   on_event=lambda first, last, group, level, ts: levels.update({first: level}))
    assert levels == {1 + 4 * n: ('DEBUG', 'ERROR')[n % 2] for n in range(8)}
    assert analyze_lines(lines).groups[0].template == 'Received response:'


@pytest.mark.parametrize(
    'lines',
    [
        # A transaction log of key: value blocks whose date and time are aligned apart by two spaces.
        [line for n in range(6) for line in (f'Begin-Time: 2026-03-0{n + 1}  10:{n:02d}:00',
                                             f'Command: pkg add tool{n}', f'Added: tool{n} (1.{n})', '')],
        # A backup tool's runs, each opened by a dated line.
        [line for n in range(6) for line in (f'Run started 2026-03-0{n + 1}  22:00:{n:02d}', f'  copied {n} files',
                                             f'  skipped {n} files')],
    ],
)
def test_a_date_and_time_apart_by_two_spaces_open_records(lines: list[str]) -> None:
    analysis = analyze_lines(lines)
    assert analysis.first_timestamp == datetime(2026, 3, 1, 10 if lines[0].startswith('Begin') else 22, 0, 0)
    assert sum(group.count for group in analysis.groups) == 6


@pytest.mark.parametrize('spelling', ['{program}: {level}: {message}', '{program}: [{level}] {message}'])
def test_a_program_name_before_the_level_after_a_slash_date_is_the_component_not_the_message(spelling: str) -> None:
    programs = ['mailer-daemon', 'auth-daemon', 'db-daemon', 'exec-daemon']
    messages = ['shutdown received', 'configuration reloaded', 'exiting', 'listening for requests']
    lines = [f'2026/03/0{n % 9 + 1} 10:1{n % 10}:0{n % 7} '
             + spelling.format(program=programs[n % 4], level='ERROR' if n % 5 == 0 else 'INFO',
                               message=messages[n % 4 if n % 3 else 2]) for n in range(24)]
    record = detect(lines)[0].parse(lines[5])
    assert record is not None
    assert record[:3] == ('2026/03/06 10:15:05', 'ERROR', 'auth-daemon')
    assert record[3].endswith('configuration reloaded')
    templates = {group.template for group in analyze_lines(lines).groups}
    assert not any('daemon' in template or '<*>' in template for template in templates)


@pytest.mark.parametrize('opening', [
    '{ts}  [**] [1:{n}:2] Rule {n} matched [**] {{TCP}} 10.0.0.{n}:80 -> 10.0.1.1:51{n:03d}',
    '{ts} sensor{m}: alert {n} raised for 10.0.0.{n}',
])
def test_a_month_day_year_and_clock_joined_by_a_dash_open_records_with_their_time(opening: str) -> None:
    lines = [opening.format(ts=f'03/1{n % 10}/2026-0{n % 10}:20:15.{n:06d}', n=n, m=n % 3) for n in range(20)]
    fmt = detect(lines)[0]
    record = fmt.parse(lines[7])
    assert record is not None and record[0] == '03/17/2026-07:20:15.000007'
    assert parse_timestamp(record[0], 2000) == datetime(2026, 3, 17, 7, 20, 15, 7)


@pytest.mark.parametrize(('opener', 'closer', 'level_of'), [
    ('####<', ' AM UTC>', lambda n: '<Error>' if n % 4 == 0 else '<Info>'),
    ('<', '>', lambda n: '<ERROR>' if n % 4 == 0 else '<INFO>'),
    ('##<', '>', lambda n: 'error' if n % 4 == 0 else 'info'),
])
def test_a_time_after_punctuation_glued_to_it_is_the_header_even_where_every_line_opens_with_a_hash(
        opener: str, closer: str, level_of: Callable[[int], str]) -> None:
    lines = []
    for n in range(16):
        lines.append(f'{opener}Mar 2{n % 9}, 2026 10:29:{n:02d},{n:03d}{closer} {level_of(n)} <Store> <node-{n % 2}> '
                     f'<{1700000000000 + n}> <worker {n % 3} ready for requests>')
        if n % 5 == 0:
            lines.append('  Listen Address    :7001')
    name, records = _parsed(lines)
    assert name == 'learned'
    levels = [record[1] for record in records if record is not None]
    assert levels.count('ERROR') == 4 and levels.count('INFO') == 12
    first = records[0]
    assert first is not None and parse_timestamp(first[0] or '', 2000) == datetime(2026, 3, 20, 10, 29, 0)


@pytest.mark.parametrize('time', ['2026/03/01 10:00:0{n}', '2026-03-01T10:00:0{n}Z', 'Mar  1 10:00:0{n}'])
def test_a_program_and_its_module_joined_by_a_colon_are_the_component(time: str) -> None:
    programs = ['mail-daemon:', 'auth-daemon:', 'modules-daemon:router:', 'modules-daemon:content_store:']
    messages = ['INFO: Exiting cleanly.', 'INFO: Started worker pool.', 'INFO: Loaded router module.',
                'INFO: Loaded content_store module.']
    lines = [f'{time.format(n=n % 10)} {programs[n % 4]} {messages[n % 4]}' for n in range(16)]
    record = detect(lines)[0].parse(lines[3])
    assert record is not None and record[2] == 'modules-daemon:content_store'
    templates = {group.template for group in analyze_lines(lines).groups}
    assert len(templates) == 3 and not any('daemon' in template for template in templates)


def test_a_glog_time_handed_over_without_its_level_letter_is_read() -> None:
    lines = [f'{"IW"[n % 2]}1126 09:14:{n:02d}.{n:06d}    77 server.go:{n}] step {n}' for n in range(8)]
    analysis = analyze_lines(lines)
    assert analysis.formats == {'klog': 8}
    assert analysis.last_timestamp is not None
    assert analysis.last_timestamp.replace(year=2000) == datetime(2000, 11, 26, 9, 14, 7, 7)


def test_a_month_day_and_minute_without_seconds_opens_each_record() -> None:
    lines = [f'Mar {n + 1:02d} 10:{n:02d} : queue: {"item added" if n % 2 else "item removed"} #{n}' for n in range(10)]
    name, records = _parsed(lines)
    assert name == 'learned'
    assert [record[0] for record in records[:2] if record] == ['Mar 01 10:00', 'Mar 02 10:01']
    analysis = analyze_lines(lines)
    assert analysis.first_timestamp is not None and analysis.last_timestamp is not None
    assert (analysis.last_timestamp - analysis.first_timestamp).days == 9


def test_lines_that_open_with_dates_of_several_shapes_read_the_date_not_only_the_time_they_share() -> None:
    # Two programs behind one prefix, each writing its own date; a few lines without any time between them.
    lines = []
    for n in range(12):
        lines.append(f'11/26 09:14:{n:02d}.101: [core] INFO: tick {n}' if n % 2 else
                     f'26-Nov-2026 09:14:{n:02d}.101 cache refreshed in {n} ms')
        if n % 4 == 3:
            lines.append(f'Waiting for the store, attempt {n}')
    name, records = _parsed(lines)
    assert name == 'learned'
    stamps = [record[0] for record in records if record is not None and record[0]]
    assert stamps[:2] == ['26-Nov-2026 09:14:00.101', '11/26 09:14:01.101']
    assert len(stamps) == 12


def test_times_of_one_minute_read_together_are_each_read_as_alone() -> None:
    raws = ['26/Nov/2026:09:14:02 +0000', '26/Nov/2026:09:14:59 +0000', '26/Nov/2026:09:14:60 +0000',
            '26/Nov/2026:09:15:07 +0000', '2026-11-26 09:14:03,250', '2026-11-26 09:14:04,999', 'Nov 26 09:14:05',
            '2026-02-30 09:14:05', '2026-02-30 09:14:06', '26/Nov/2026:09:14:1x +0000', '1764148442',
            'Nov 26 09:14', 'Nov 26 09:15']  # to the minute: no seconds to read
    moments = parse_timestamps(raws, 2026)
    assert moments == [parse_timestamp(raw, 2026) for raw in raws]
    assert moments[1] == datetime(2026, 11, 26, 9, 14, 59, tzinfo=UTC)
    assert moments[2] is None  # no 60th second
    assert moments[5] == datetime(2026, 11, 26, 9, 14, 4, 999000)
    assert moments[7] is None and moments[8] is None
    assert moments[-1] == datetime(2026, 11, 26, 9, 15)
