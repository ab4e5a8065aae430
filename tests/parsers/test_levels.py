"""Levels a log writes, wherever its header puts them, and levels its messages say when it writes none."""

import pytest

from parsers import analyze_lines, wrappers
from parsers.formats import detect, plain
from parsers.levels import infer_level, leading_level, message_id_level


@pytest.mark.parametrize(
    ('message', 'level'),
    [
        ('connection from 10.0.0.1 refused', 'ERROR'),
        ('Failed password for root from 10.0.0.1', 'ERROR'),
        ('Unable to open /var/db: permission denied', 'ERROR'),
        ('read timeout after 30s, retrying', 'ERROR'),
        ('kernel panic - not syncing', 'FATAL'),
        ('java.io.IOException: stream closed', 'ERROR'),
        ('retrying in 5s', 'WARN'),
        ('build finished with no errors', ''),
        ('errors=0 warnings=0', ''),
        ('session opened for user root', ''),
        ('Segmentation fault (core dumped)', 'FATAL'),
        ('Illegal instruction', 'FATAL'),
        ('nf_table: table full, dropping packet', 'WARN'),
        ('stat /srv/app/config.yml: no such file or directory', 'ERROR'),
        ('error: no matching manifest for linux/arm64 in the manifest list', 'ERROR'),
        ('bash: deploy.sh: command not found', 'ERROR'),
        ('mkdir /data/shared: operation not permitted', 'ERROR'),
        ('no errors found, not retrying', ''),
    ],
)
def test_the_words_of_a_message_say_its_level(message: str, level: str) -> None:
    assert infer_level(message.split()) == level


def test_a_log_without_levels_gets_inferred_ones_kept_apart_from_written_ones() -> None:
    lines = [f'Jun 14 15:16:{n:02d} host sshd[{n}]: connection from 10.0.0.{n} refused' for n in range(4)]
    lines += [f'Jun 14 15:17:{n:02d} host cron[{n}]: job {n} started' for n in range(2)]
    analysis = analyze_lines(lines)
    assert analysis.level_counts['ERROR'] == 4
    assert analysis.inferred_level_counts['ERROR'] == 4
    assert [(group.level, group.level_source, group.count) for group in analysis.groups] == [
        ('ERROR', 'inferred', 4), ('', '', 2)]
    data = analysis.to_dict()
    assert data['inferred_level_counts']['ERROR'] == 4
    assert data['groups'][0]['level_source'] == 'inferred'


def test_a_written_level_is_never_replaced_by_the_words() -> None:
    lines = [f'2026-11-26 09:14:0{n},101 INFO [pool] connection {n} refused by peer' for n in range(3)]
    analysis = analyze_lines(lines)
    assert [(group.level, group.level_source) for group in analysis.groups] == [('INFO', 'written')]
    assert analysis.inferred_level_counts['ERROR'] == 0


@pytest.mark.parametrize(
    ('lines', 'levels'),
    [
        (['npm ERR! code ELIFECYCLE', 'npm ERR! errno 1', 'npm WARN deprecated left-pad@1.0.0'], {'ERROR', 'WARN'}),
        (['[E] disk full', '[W] disk nearly full', '[I] disk checked'], {'ERROR', 'WARN', 'INFO'}),
        (['<11>disk full', '<12>disk nearly full', '<14>disk checked'], {'ERROR', 'WARN', 'INFO'}),
        (['38 error publish failed', '39 verbose stack trace follows', '40 silly tarball has no local data',
          '41 warn package deprecated', '42 http fetch GET 200 /left-pad'],
         {'ERROR', 'DEBUG', 'TRACE', 'WARN', 'INFO'}),
        (['web_1     | 2026-11-26 09:14:02 [ERROR] upstream gone',
          'web_1     | 2026-11-26 09:14:03 [WARN] upstream slow',
          'worker_1  | [2026-11-26 09:14:04,101: INFO/MainProcess] Task t1 succeeded'], {'ERROR', 'WARN', 'INFO'}),
    ],
)
def test_written_levels_after_a_prefix_or_in_brackets(lines: list[str], levels: set[str]) -> None:
    analysis = analyze_lines(lines)
    assert {group.level for group in analysis.groups} == levels
    assert {group.level_source for group in analysis.groups} == {'written'}


@pytest.mark.parametrize(
    ('message', 'level'),
    [
        ('W0612 09:14:02.101234    1304 reflector.go:33] watch closed', 'WARN'),
        ('E1126 23:59:59.000001 7 main.go:1] boom', 'ERROR'),
        ('I120: Host is ready', 'INFO'),
        ('W110: disk almost full', 'WARN'),
        ('worker [ERROR] job lost', 'ERROR'),
        ('LOG:  checkpoint starting', 'INFO'),
        ('I think it works', ''),
        ('E2E tests passed', ''),
        ('W3C fields follow', ''),
        ('Information about the disk', ''),
        ('HTTP/1.1 GET /index.html', ''),
    ],
)
def test_a_level_written_at_the_start_of_a_message(message: str, level: str) -> None:
    assert leading_level(message) == level


def test_glog_letters_behind_a_journal_header_are_written_levels() -> None:
    letters = ('I', 'W', 'E', 'I')
    lines = [f'Nov {n % 28 + 1:2d} 09:14:{n % 60:02d} node-{n % 3} kubelet[1304]: {letters[n % 4]}1126 '
             f'09:14:{n % 60:02d}.{n:06d}    1304 pod_workers.go:{n}] syncing pod {n}' for n in range(40)]
    analysis = analyze_lines(lines)
    assert analysis.formats == {'syslog': 40}
    assert analysis.level_counts['ERROR'] == 10
    assert analysis.level_counts['WARN'] == 10
    assert {group.level_source for group in analysis.groups} == {'written'}


def test_a_letter_and_number_level_after_pipe_separated_columns() -> None:
    levels = ('I120', 'I120', 'W110', 'E105')
    lines = [f'2026-11-26T09:14:{n:02d}.{n:03d}+01:00| vmx| {levels[n % 4]}: device {n} attached' for n in range(40)]
    fmt = detect(lines)[0]
    assert fmt.name == 'learned'
    assert [record[1] for record in map(fmt.parse, lines[:4]) if record] == ['INFO', 'INFO', 'WARN', 'ERROR']


@pytest.mark.parametrize(
    ('lines', 'level'),
    [
        (['header', '', 'AMQ9999E: Channel program ended abnormally.'], 'ERROR'),
        (['CWWKF0011I: The server is ready to run a smarter planet.'], 'INFO'),
        (['  DSNT404W: SQLCODE = 100'], 'WARN'),
        (['ABC1234X: not a severity letter', 'SQL code 1234 returned'], ''),
    ],
)
def test_a_message_identifier_that_ends_in_its_severity(lines: list[str], level: str) -> None:
    assert message_id_level(lines) == level


@pytest.mark.parametrize(
    ('message', 'level'),
    [
        ('[TRC] 10.0.0.1:4222 - cid:1 - <<- [PONG]', 'TRACE'),
        ('[DBG] client connection created', 'DEBUG'),
        ('[VRB] cache lookup', 'DEBUG'),
        ('[INF] server is ready', 'INFO'),
        ('[WRN] slow consumer', 'WARN'),
        ('[ERR] write deadline exceeded', 'ERROR'),
        ('[FTL] cannot listen', 'FATAL'),
        ('[ABC] not a level', ''),
    ],
)
def test_three_letter_levels_in_brackets(message: str, level: str) -> None:
    assert leading_level(message) == level


def test_three_letter_levels_make_a_learned_header_column() -> None:
    marks = ('TRC', 'TRC', 'DBG', 'INF', 'WRN', 'ERR', 'FTL')
    lines = [f'[7] 2026/11/26 09:14:{n:02d}.{n:06d} [{marks[n % 7]}] 10.0.0.{n}:4222 - cid:{n} - message {n}'
             for n in range(21)]
    fmt = detect(lines)[0]
    assert [record[1] for record in map(fmt.parse, lines[:7]) if record] == [
        'TRACE', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']


@pytest.mark.parametrize(
    ('message', 'level'),
    [
        ('%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down', 'ERROR'),
        ('%SYS-5-CONFIG_I: Configured from console by admin on vty0', 'INFO'),
        ('Jun 20 02:41:39.326: %SEC-6-IPACCESSLOGP: list 177 denied udp 10.0.0.9(5525) -> 10.0.0.255(1560)', 'INFO'),
        ('*Mar  1 00:00:09.123 UTC: %PIM-SW1-6-INVALID_RP_JOIN: Received Join for invalid RP', 'INFO'),
        ('1663321: %OSPF-4-NOVALIDKEY: No valid authentication send key', 'WARN'),
        ('%PLATFORM-0-PANIC: system halted', 'FATAL'),
        ('%DEBUG-7-TRACE: state machine entered idle', 'DEBUG'),
        ('disk 93% full, 5-6 minutes left', ''),
        ('%SYS-9-FOO: no severity above 7', ''),
    ],
)
def test_the_severity_in_a_system_message_mnemonic(message: str, level: str) -> None:
    assert leading_level(message) == level


def test_a_mnemonic_severity_is_written_not_inferred_from_the_words() -> None:
    lines = [f'Jun 20 02:41:{n:02d} 10.0.0.2 16633{n:02d}: Jun 20 02:41:{n:02d}.326: %SEC-6-IPACCESSLOGP: list 177 '
             f'denied udp 10.0.0.{n}(5525) -> 10.0.0.255(1560), 1 packet' for n in range(10)]
    analysis = analyze_lines(lines)
    assert [(group.level, group.level_source, group.count) for group in analysis.groups] == [('INFO', 'written', 10)]


@pytest.mark.parametrize(
    ('line', 'level'),
    [
        ('I (469) heap_init: Initializing. RAM available for dynamic allocation:', 'INFO'),
        ('W (516) spi_flash: Detected size(4096k) larger than the size in the binary image header(2048k).', 'WARN'),
        ('E (789) wifi: connection failed', 'ERROR'),
        ('D (12.345) tag: detail', 'DEBUG'),
        ('I (think) this is prose', ''),
    ],
)
def test_a_level_letter_before_the_uptime_in_parentheses(line: str, level: str) -> None:
    assert leading_level(line) == level
    analysis = analyze_lines([line])
    assert [group.level for group in analysis.groups] == [level]


def test_a_level_before_the_time_is_read_where_it_is_written() -> None:
    levels = ('INFO ', 'WARN ', 'ERROR', 'INFO ')
    lines = [f'{levels[n % 4]} [worker-{n % 3}] 2026-11-26 09:14:{n:02d},101 Service.java:{n} - step {n} done'
             for n in range(20)]
    fmt = detect(lines)[0]
    assert fmt.name == 'learned'
    assert [record[1] for record in map(fmt.parse, lines[:4]) if record] == ['INFO', 'WARN', 'ERROR', 'INFO']
    assert fmt.parse(lines[0]) == ('2026-11-26 09:14:00,101', 'INFO', 'Service.java:0', 'step 0 done')


def test_a_bracketed_level_in_place_of_the_host_and_opening_lines_without_a_time() -> None:
    lines = [f'2026-11-26T09:14:0{n}.101Z [INFO] 10.0.0.{n}:53 - {n} "A IN example.com. udp" NOERROR' for n in range(2)]
    lines += [f'[WARN] 10.0.0.{n}:53 - {n} "A IN example.com. udp" SERVFAIL' for n in range(3)]
    analysis = analyze_lines(lines)
    assert analysis.events == 5
    assert analysis.level_counts['INFO'] == 2
    assert analysis.level_counts['WARN'] == 3
    assert {group.level_source for group in analysis.groups} == {'written'}


def test_a_level_column_before_a_bar_is_the_level_not_a_container_name() -> None:
    levels = ('INFO  ', 'FATAL ', 'ERROR ')
    lines = [f'{levels[n % 3]}| jvm 1    | 2013/11/26 21:34:{n:02d} | step {n} done' for n in range(9)]
    analysis = analyze_lines(lines)
    assert analysis.events == 9
    assert (analysis.level_counts['INFO'], analysis.level_counts['FATAL'], analysis.level_counts['ERROR']) == (3, 3, 3)
    assert wrappers.unwrap('web_1  | GET / 200') == ('GET / 200', None, False)


@pytest.mark.parametrize(
    'header',
    ['[09:14:{n:02d}] [Worker thread/{level}]:', '2026-11-26 09:14:{n:02d},101 - module.py[{level}]:'],
)
def test_a_level_word_inside_a_header_word_after_a_slash_or_in_brackets(header: str) -> None:
    levels = ('INFO', 'WARN', 'DEBUG')
    lines = [header.format(n=n, level=levels[n % 3]) + f' step {n} done' for n in range(9)]
    fmt = detect(lines)[0]
    assert fmt.name == 'learned'
    assert [record[1] for record in map(fmt.parse, lines[:3]) if record] == ['INFO', 'WARN', 'DEBUG']


@pytest.mark.parametrize(
    ('message', 'level'),
    [('local.ERROR: no commands defined', 'ERROR'), ('app.WARNING: slow query', 'WARN'),
     ('console.warn: cache miss for /img/a.png', 'WARN'), ('sandbox.error: ({})', 'ERROR'),
     ('build.log: written', ''), ('local.Error: prose', '')],
)
def test_a_level_in_capitals_or_lower_case_after_a_channel_name(message: str, level: str) -> None:
    assert leading_level(message) == level


@pytest.mark.parametrize(
    ('line', 'level'),
    [('[    27.170] (WW) The directory "/usr/share/fonts/Type1" does not exist.', 'WARN'),
     ('[    27.171] (II) Loading sub module "fb"', 'INFO'),
     ('(EE) no screens found', 'ERROR'),
     ('[    27.172] (==) Using config directory: "/etc/X11/xorg.conf.d"', ''),
     ('(WE) mixed letters are no marker', '')],
)
def test_a_doubled_level_letter_in_parentheses(line: str, level: str) -> None:
    assert leading_level(line) == level
    assert [group.level for group in analyze_lines([line]).groups] == [level]


@pytest.mark.parametrize(
    ('message', 'level'),
    [
        # A level word in any case before a colon, first or after a program's or module's name.
        ('error: cannot open /srv/queue: Permission denied', 'ERROR'),
        ('warning: clock skew detected, 3s', 'WARN'),
        ('scheduler: Warning: job 42 exceeded its slot', 'WARN'),
        ('Shader compiler warning: unused variable tint', 'WARN'),
        ('fatal: not a repository', 'FATAL'),
        # The first level word wins over a later one in capitals.
        ('error: NOTE: retrying with the backup file', 'ERROR'),
        # A level word in brackets in any case, or wrapped in equals signs.
        ('[notice] listener opened on 9050', 'INFO'),
        ('[warn] low disk on /var', 'WARN'),
        ('=ERROR REPORT==== worker exited', 'ERROR'),
        # After the seconds since start in brackets.
        ('[12.504][WARNING]: slow frame 80 ms', 'WARN'),
        ('[0.002][INFO]: plugin host ready', 'INFO'),
        # Ordinary words, file extensions and a URL scheme are no level.
        ('Note: settings were migrated', ''),
        ('log: rotated', ''),
        ('fetch http://info.example/x', ''),
        ('the error count is 0', ''),
    ],
)
def test_a_level_word_opening_a_message_in_any_case_before_a_colon_or_in_brackets(message: str, level: str) -> None:
    assert leading_level(message) == level


@pytest.mark.parametrize(
    ('lines', 'levels'),
    [
        # Columns separated by tabs, without a time a format reads.
        ([f'{1700000000000 + n}\tNetAgent\t{word}\tsession {n} certificate errors ignored'
          for n, word in enumerate(('WARN', 'INFO', 'DEBUG'))], ['WARN', 'INFO', 'DEBUG']),
        # A program's own words on its error stream.
        (['Renderer warning: texture atlas full', 'console.error: request aborted', 'starting up'],
         ['WARN', 'ERROR', '']),
    ],
)
def test_a_level_in_plain_text_after_a_word_or_column(lines: list[str], levels: list[str]) -> None:
    assert [record[1] for record in map(plain.FORMAT.parse, lines) if record] == levels


def test_a_level_in_brackets_where_syslog_has_its_host() -> None:
    lines = [f'Mar 0{n % 9 + 1} 10:11:{n:02d}.000 [{word}] Progress {n}% (phase_{n}): Loading part {n}'
             for n, word in enumerate(('notice', 'warn', 'err') * 4)]
    fmt = detect(lines)[0]
    assert fmt.name == 'syslog'
    records = [record for line in lines[:3] if (record := fmt.parse(line))]
    assert [record[1] for record in records] == ['INFO', 'WARN', 'ERROR']
    assert [record[2] for record in records] == [None, None, None]
    assert records[0][3] == 'Progress 0% (phase_0): Loading part 0'


@pytest.mark.parametrize(
    ('line', 'level'),
    [('E: Unable to locate package libfoo-dev', 'ERROR'),
     ('W: Some index files failed to download. They have been ignored.', 'WARN'),
     ('N: Skipping acquire of configured file main/binary-i386/Packages', 'INFO'),
     ('I: Connected to client on 10.0.0.5:9003.', 'INFO'),
     ('D: handshake took 12 ms', 'DEBUG'),
     ('A: the answer comes after the question', ''),
     ('C: is nearly full', ''),
     ('I:no space after the colon', '')],
)
def test_a_capital_level_letter_and_a_colon_opening_a_line(line: str, level: str) -> None:
    assert leading_level(line) == level
    if level:
        lines = ['-> <reply status="ok"/>', line, '<- ping -i 12']
        assert [group.level for group in analyze_lines(lines).groups if group.example == line] == [level]


@pytest.mark.parametrize(
    ('level', 'expected'), [('NTC', 'INFO'), ('CRT', 'FATAL'), ('ALR', 'FATAL'), ('EMG', 'FATAL'), ('WRN', 'WARN')])
def test_syslog_severities_cut_to_three_consonants_make_a_column_before_the_time(level: str, expected: str) -> None:
    levels = ('NTC', 'NTC', 'NTC', level)
    lines = [f'[2:pump] [{levels[n % 4]}] [NET] [Mar  2 10:00:{n:02d}] poll_loop: tick {n} of queue {n % 3}'
             for n in range(16)]
    fmt = detect(lines)[0]
    assert [record[1] for record in map(fmt.parse, lines[:4]) if record] == ['INFO', 'INFO', 'INFO', expected]


def test_a_note_of_something_left_to_do_is_a_warning() -> None:
    assert leading_level('[fixme] stub called for SetPriority') == 'WARN'
    assert leading_level('FIXME: unsupported flag 0x40 ignored') == 'WARN'


def test_a_level_in_a_field_of_the_first_word_joined_by_colons() -> None:
    kinds = ('fixme', 'fixme', 'warn', 'err')
    lines = [f'00{n % 3}a:{kinds[n % 4]}:sched:set_priority ({n}, 0x{n:04x}) not handled' for n in range(12)]
    analysis = analyze_lines(lines)
    assert analysis.events == 12
    assert {level: count for level, count in analysis.level_counts.items() if count} == {'WARN': 9, 'ERROR': 3}


def test_a_level_in_a_bracketed_header_of_fields_joined_by_colons_around_the_time() -> None:
    kinds = ('INFO', 'INFO', 'WARNING', 'ERROR')
    lines = [f'[4120:{7000 + n}:1126/0914{n:02d}.{n:03d}:{kinds[n % 4]}:net/socket_pool.cc(88)] socket {n} released'
             for n in range(12)]
    fmt = detect(lines)[0]
    assert fmt.name == 'learned'
    records = [fmt.parse(line) for line in lines[:4]]
    assert [record[1] for record in records if record] == ['INFO', 'INFO', 'WARN', 'ERROR']
    assert records[2] is not None and records[2][0] == '1126/091402.002'


@pytest.mark.parametrize(
    ('message', 'level'),
    [
        ('{"pid":7,"level":"warning","msg":"disk almost full"}', 'WARN'),
        ('{"severity":"ERROR","message":"upload failed","time":"2026-03-02T10:00:00Z"}', 'ERROR'),
        ('{"batch":3,"lvl":"info","msg":"flushed 40 rows","path":"/var/spool/q/01', 'INFO'),
        ('{"level":"chatty","msg":"not a level"}', ''),
        ('{"level":50,"time":1709373600000,"msg":"request failed"}', 'ERROR'),
        ('{"status":200,"path":"/health"}', ''),
        ('{"user":"warning","msg":"a value, not a level"}', ''),
    ],
)
def test_a_json_object_opening_a_message_names_its_level(message: str, level: str) -> None:
    assert leading_level(message) == level


def test_json_records_behind_a_syslog_header_keep_their_levels() -> None:
    levels = ('info', 'info', 'warning', 'error')
    lines = [f'Mar  2 10:00:{n:02d} node-7 shipper[311]: {{"queue":{n},"level":"{levels[n % 4]}","msg":"step {n}"}}'
             for n in range(8)]
    analysis = analyze_lines(lines)
    assert {level: count for level, count in analysis.level_counts.items() if count} == {'INFO': 4, 'WARN': 2,
                                                                                          'ERROR': 2}


@pytest.mark.parametrize(
    ('message', 'level'),
    [
        ('time="2024-03-02T10:00:00Z" level=warning msg="disk almost full"', 'WARN'),
        ('pid=7 severity=ERROR upload failed', 'ERROR'),
        ('ts=1709373600 lvl="info" msg=flushed', 'INFO'),
        ('loglevel=chatty msg=ignored', ''),
        ('sublevel=error is a key of another name', ''),
    ],
)
def test_a_level_pair_near_the_start_of_a_message_names_its_level(message: str, level: str) -> None:
    assert leading_level(message) == level


def test_key_value_records_behind_a_syslog_header_keep_their_levels() -> None:
    levels = ('info', 'info', 'warning', 'error')
    lines = [f'Mar  2 10:00:{n:02d} node-7 shipper[311]: time="2024-03-02T10:00:{n:02d}Z" level={levels[n % 4]} '
             f'msg="step {n}"' for n in range(8)]
    analysis = analyze_lines(lines)
    assert {level: count for level, count in analysis.level_counts.items() if count} == {'INFO': 4, 'WARN': 2,
                                                                                          'ERROR': 2}
