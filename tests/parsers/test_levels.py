"""Levels a log writes, wherever its header puts them, and levels its messages say when it writes none."""

import pytest

from parsers import analyze_lines
from parsers.formats import detect
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
