"""Levels a log writes, wherever its header puts them, and levels its messages say when it writes none."""

import pytest

from parsers import analyze_lines
from parsers.levels import infer_level


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
        (['web_1     | 2026-11-26 09:14:02 [ERROR] upstream gone',
          'web_1     | 2026-11-26 09:14:03 [WARN] upstream slow',
          'worker_1  | [2026-11-26 09:14:04,101: INFO/MainProcess] Task t1 succeeded'], {'ERROR', 'WARN', 'INFO'}),
    ],
)
def test_written_levels_after_a_prefix_or_in_brackets(lines: list[str], levels: set[str]) -> None:
    analysis = analyze_lines(lines)
    assert {group.level for group in analysis.groups} == levels
    assert {group.level_source for group in analysis.groups} == {'written'}
