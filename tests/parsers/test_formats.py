from datetime import UTC, datetime

import pytest

from parsers import analyze_lines
from parsers.formats import CONTINUES, FORMATS, Format, access, detect, logfmt
from parsers.formats.generic import learn
from parsers.levels import LEVEL_OF


@pytest.mark.parametrize('fmt', FORMATS, ids=lambda fmt: fmt.name)
def test_every_sample_line_parses(fmt: Format) -> None:
    for line in fmt.samples:
        record = fmt.parse(line)
        assert record is not None, line
        assert record is CONTINUES or record[3] or fmt.assemble is not None, line


@pytest.mark.parametrize('fmt', FORMATS, ids=lambda fmt: fmt.name)
def test_each_format_wins_detection_on_its_own_samples(fmt: Format) -> None:
    assert detect(list(fmt.samples))[0].name == fmt.name


@pytest.mark.parametrize(
    ('line', 'level', 'message'),
    [
        ('10.0.0.1 - - [26/Nov/2026:09:14:02 +0000] "GET /api/orders/1842?x=1 HTTP/1.1" 503 12', 'ERROR',
         'GET /api/orders/<*> 503'),
        ('10.0.0.1 - - [26/Nov/2026:09:14:02 +0000] "GET /missing HTTP/1.1" 404 12', 'WARN', 'GET /missing 404'),
        ('{"level":60,"msg":"out of memory"}', 'FATAL', 'out of memory'),
        ('{"level":10,"msg":"tick"}', 'TRACE', 'tick'),
        ('{"severity":"critical","message":"disk gone"}', 'FATAL', 'disk gone'),
        ('{"log.level":"warning","message":"slow"}', 'WARN', 'slow'),
        ('time=2026-11-26T09:14:02Z level=notice msg="user logged in" user=bob', 'INFO', 'user logged in'),
        ('<10>1 2026-11-26T09:14:02Z host app 1 - - emergency', 'FATAL', 'emergency'),
        ('<14>Nov 26 09:14:02 host app[12]: started', 'INFO', 'started'),
        ('W1126 09:14:02.101234    1234 main.go:42] low disk', 'WARN', 'low disk'),
        ('2026-11-26 09:14:03.200 UTC [2345] PANIC:  could not write', 'FATAL', 'could not write'),
        ('1:M 26 Nov 2026 09:14:05.000 # WARNING overcommit', 'WARN', 'WARNING overcommit'),
        ('{"tags":["config","warning"],"message":"setting renamed"}', 'WARN', 'setting renamed'),
        ('{"tags":["listening","info"],"message":"server up"}', 'INFO', 'server up'),
        ('{"appLogLevel":"Error","message":"queue full"}', 'ERROR', 'queue full'),
        ('{"t":{"$date":"2026-11-26T09:14:02.101+01:00"},"s":"W","c":"NETWORK","msg":"slow"}', 'WARN', 'slow'),
        ('{"t":{"$date":"2026-11-26T09:14:02Z"},"s":"D2","c":"QUERY","msg":"plan"}', 'DEBUG', 'plan'),
        ('{"s":12,"msg":"took long"}', '', 'took long'),
        ('{"status":503,"msg":"GET /api"}', 'ERROR', 'GET /api'),
        ('{"status":200,"msg":"GET /"}', 'INFO', 'GET /'),
        ('2026-11-26T09:14:02.101234Z 0 [System] [MY-010116] [Server] starting as process 1', 'INFO',
         'starting as process 1'),
        ('2026-11-26 09:14:02 CET FATAL:  the database system is shutting down', 'FATAL',
         'the database system is shutting down'),
        ('time=2026-11-26T09:14:02Z level=50 msg="charge failed"', 'ERROR', 'charge failed'),
        ('Timestamp=2026-11-26T09:14:02.101Z SeverityText=WARN Body="pool is full" service.name=api', 'WARN',
         'pool is full'),
        ('level="fatal"', 'FATAL', 'level'),
        ('127.0.0.1 - - [26/Nov/2026 09:14:02] "GET /x HTTP/1.1" 500 12 0.01', 'ERROR', 'GET /x 500'),
    ],
)
def test_levels_are_normalized(line: str, level: str, message: str) -> None:
    record = detect([line])[0].parse(line)
    assert record is not None
    assert (record[1], record[3]) == (level, message)


def test_level_words_cover_the_table() -> None:
    assert [LEVEL_OF[word] for word in ('warning', 'notice', 'critical', 'crit', 'alert', 'emerg', 'panic')] == [
        'WARN', 'INFO', 'FATAL', 'FATAL', 'FATAL', 'FATAL', 'FATAL']


def test_unknown_header_shape_is_learned_from_the_file() -> None:
    lines = [f'20261126-09:14:{second:02d}:101|Worker_{second % 3}|4242|job {second} done in {second * 3}ms'
             for second in range(20)]
    learned = learn(lines)
    assert learned is not None
    assert learned.parse(lines[1]) == ('20261126-09:14:01:101', '', 'Worker_1', 'job 1 done in 3ms')
    assert detect(lines)[0].name == 'learned'


def test_learned_header_with_level_and_component() -> None:
    lines = [f'081109 2036{second:02d} 148 {"WARN" if second % 4 else "INFO"} dfs.DataNode: served block {second}'
             for second in range(20)]
    learned = learn(lines)
    assert learned is not None
    assert learned.parse(lines[1]) == ('081109 203601', 'WARN', 'dfs.DataNode', 'served block 1')


def test_no_shared_header_learns_nothing() -> None:
    assert learn(['hello there', 'general kenobi', 'you are a bold one']) is None


@pytest.mark.parametrize(
    ('line', 'timestamp'),
    [
        ('{"t":{"$date":"2026-11-26T09:14:02.101+01:00"},"s":"I","msg":"up"}', '2026-11-26T09:14:02.101+01:00'),
        ('{"t":{"$date":{"$numberLong":"1764148442101"}},"s":"I","msg":"up"}', '2025-11-26T09:14:02.101000+00:00'),
    ],
)
def test_extended_json_dates_are_timestamps(line: str, timestamp: str) -> None:
    record = detect([line])[0].parse(line)
    assert record is not None
    assert record[0] == timestamp


@pytest.mark.parametrize(
    ('line', 'timestamp', 'message'),
    [
        ('10.0.0.2, 10.0.0.1, 127.0.0.1 - - [26/Nov/2026:09:14:02 +0100] "GET /a HTTP/1.1" 200 5 "-" "curl"',
         '26/Nov/2026:09:14:02 +0100', 'GET /a 200'),
        ('"10.5.1.2, 199.96.1.1" 10.2.1.185 - - [26/Nov/2026:09:14:03 +0000] "GET /b HTTP/1.1" 404 5 "-" "x"',
         '26/Nov/2026:09:14:03 +0000', 'GET /b 404'),
        ('127.0.0.1 - - [26/Nov/2026:09:14:04 +0200] "" 400 0 "-" "-"', '26/Nov/2026:09:14:04 +0200', '- - 400'),
        ('type=SYSCALL msg=audit(1764148442.101:4242): arch=c000003e syscall=44 success=yes', '1764148442.101',
         'SYSCALL audit(1764148442.101:4242):'),
    ],
)
def test_timestamps_behind_proxy_chains_and_in_parentheses(line: str, timestamp: str, message: str) -> None:
    record = detect([line])[0].parse(line)
    assert record is not None
    assert (record[0], record[3]) == (timestamp, message)


def test_postgresql_without_a_pid_keeps_hint_and_detail_with_their_error() -> None:
    lines = ['2026-11-26 09:14:02 CET ERROR:  function nosuch() does not exist',
             '2026-11-26 09:14:02 CET HINT:  No function matches the given name and argument types.',
             '2026-11-26 09:14:03 CET LOG:  duration: 0.084312 sec']
    analysis = analyze_lines(lines)
    assert analysis.formats == {'postgresql': 2}
    assert [(group.level, group.lines) for group in analysis.groups] == [('ERROR', 2), ('INFO', 1)]


def test_a_logfmt_key_naming_the_kind_of_record_opens_its_message() -> None:
    syscall = logfmt.parse('type=SYSCALL msg=audit(1764148442.101:4242): arch=c000003e')
    boot = logfmt.parse('type=SYSTEM_BOOT msg=audit(1764148442.102:4243): pid=1')
    assert syscall is not None and boot is not None
    assert (syscall[3], boot[3]) == ('SYSCALL audit(1764148442.101:4242):', 'SYSTEM_BOOT audit(1764148442.102:4243):')
    kind = logfmt.parse('level=info kind="cache miss" msg="lookup done"')
    assert kind == (None, 'INFO', None, 'cache miss lookup done')


def test_one_pair_is_a_logfmt_record_only_under_a_known_key() -> None:
    assert logfmt.parse('retries=3') is None
    assert logfmt.parse('lvl="warn"') == (None, 'WARN', None, 'lvl')


def test_a_json_record_with_a_stray_brace_after_it_or_cut_short_is_still_a_record() -> None:
    fmt = next(fmt for fmt in FORMATS if fmt.name == 'json')
    assert fmt.parse('{"time":"2026-11-26T09:14:02Z","level":"warn","msg":"slow"}}') == (
        '2026-11-26T09:14:02Z', 'WARN', None, 'slow')
    assert fmt.parse('{"date":"2026-11-26T09:14:02Z","log":"GET /index.html 200 0 ') == (
        '2026-11-26T09:14:02Z', '', None, '{"date":"2026-11-26T09:14:02Z","log":"GET /index.html 200 0 ')
    assert fmt.parse('{not json at all') is None


def test_a_timestamp_inside_json_messages_is_not_learned_as_a_header() -> None:
    lines = [f'{{"message":"ACCESS [2026-11-26T09:14:{n:02d}.000Z] GET /status 200","time":"2026-11-26T10:00:00Z"}}'
             for n in range(10)]
    assert learn(lines) is None
    assert analyze_lines(lines).first_timestamp == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def test_an_address_in_a_learned_column_is_no_level_word() -> None:
    lines = [f'1157689{n:03d}.327   {n * 7} 10.0.0.{n} TCP_MISS/200 {n * 13} GET http://example.com/p{n} alice '
             f'DIRECT/10.0.1.{n} text/html' for n in range(20)]
    fmt = detect(lines)[0]
    record = fmt.parse(lines[1])
    assert record is not None
    assert record[1] == ''
    assert 'GET http://example.com/p1 alice' in record[3]


def test_an_access_route_keeps_each_segment_without_a_digit_and_stars_each_with_one() -> None:
    # Routes are remembered by the path with its digits as 0: paths that differ only in their digits share one,
    # while a path without the id, or with letters where another has digits, keeps its own.
    def route(path: str) -> str:
        record = access.parse(f'10.0.0.1 - - [26/Nov/2026:09:14:02 +0000] "GET {path} HTTP/1.1" 200 5')
        assert record is not None
        return record[3].split(' ')[1]

    assert route('/orders/1842/items') == '/orders/<*>/items'
    assert route('/orders/2291/items') == '/orders/<*>/items'
    assert route('/orders/') == '/orders/'
    assert route('/orders/5') == '/orders/<*>'
    assert route('/app.9f/x') == '/<*>/x'
    assert route('/app.ff/x') == '/app.ff/x'
    assert route('/v\u0663/x') == '/<*>/x'  # an Arabic-Indic digit is a digit too


@pytest.mark.parametrize(('line', 'component', 'message'), [
    ('2026-03-01T10:00:01.125Z  INFO relay::http: listening on 0.0.0.0:8080', 'relay::http',
     'listening on 0.0.0.0:8080'),
    ('2026-03-01T10:00:01.125Z  WARN store::wal::segment: segment 12 is short', 'store::wal::segment',
     'segment 12 is short'),
    ('2026-03-01 10:00:01,125 ERROR org.example.Billing: charge failed', 'org.example.Billing', 'charge failed'),
    ('2026-03-01T10:00:01.125Z  INFO relay: started', None, 'relay: started'),
])
def test_a_module_path_or_a_dotted_logger_after_the_level_is_the_component(
        line: str, component: str | None, message: str) -> None:
    record = detect([line, line])[0].parse(line)
    assert record is not None
    assert record[2:] == (component, message)


def test_messages_of_two_modules_that_differ_in_one_word_are_one_template() -> None:
    lines = [f'2026-03-01T10:00:0{n}.125Z  INFO relay::{side}: {proto} server listening on {port}'
             for n, (side, proto, port) in enumerate([('rest', 'HTTP', 6333), ('grpc', 'gRPC', 6334)])]
    assert [group.count for group in analyze_lines(lines).groups] == [2]


def test_two_values_of_a_message_key_among_a_records_fields_are_two_kinds_of_record() -> None:
    lines = []
    for n in range(6):
        for kind in ('frame_received', 'frame_sent'):
            lines.append(f'2024-05-01T10:00:0{n}.{n}00+00:00 [debug] tag: LINK, client: c{n * 37:x}, msg: {kind}, '
                         f'peer: 10.1.0.{n}:{5000 + n}, bytes: {n * 12}')
    analysis = analyze_lines(lines)
    assert sorted(group.count for group in analysis.groups) == [6, 6]


def test_json_records_behind_another_header_group_by_their_own_message() -> None:
    words = ('cache warmed', 'queue drained', 'cache warmed', 'listener bound')
    lines = [f'Mar  2 10:00:{n:02d} node-7 shipper[311]: {{"batch":{n},"level":"info","msg":"{words[n % 4]}",'
             f'"time":"2024-03-02T10:00:{n:02d}Z"}}' for n in range(12)]
    analysis = analyze_lines(lines)
    assert sorted((group.template, group.count) for group in analysis.groups) == [
        ('cache warmed', 6), ('listener bound', 3), ('queue drained', 3)]


def test_a_word_with_a_colon_right_after_a_syslog_time_is_the_program_and_says_the_group() -> None:
    lines = [f'Mar  1 10:00:{n:02d} {("Added", "Removed")[n % 2]}: lib{n}-{n}.{n}.0-1.x86_64' for n in range(12)]
    record = detect(lines)[0].parse(lines[1])
    assert record == ('Mar  1 10:00:01', '', 'Removed', 'lib1-1.1.0-1.x86_64')
    analysis = analyze_lines(lines)
    assert sorted(group.count for group in analysis.groups) == [6, 6]
    assert {group.template for group in analysis.groups} == {'Added: <*>', 'Removed: <*>'}
