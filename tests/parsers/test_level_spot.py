"""The place where a file writes its levels, learned from its lines and read on every line."""

import pytest

from parsers import analyze_lines
from parsers.formats import detect
from parsers.level_spot import LevelSpot, learn_spot
from parsers.levels import leading_level, token_level


@pytest.mark.parametrize(
    ('word', 'found'),
    [('[WARN]', ('WARN', '[U')), ('<info>', ('INFO', '<l')), ('ERROR:', ('ERROR', 'U')), ('E!', ('ERROR', 'L')),
     ('WARN[0042]', ('WARN', 'U')), ('[Notice', ('INFO', '[T')), ('ERRO', ('ERROR', 'U')), ('dbug:', ('DEBUG', 'l')),
     ('Errors', None), ('W110', None), ('info.log', None), ('http://example.org', None), ('WARNing', None),
     ('error-prone', None), ('x', None)],
)
def test_a_word_writes_a_level_in_its_dress(word: str, found: tuple[str, str] | None) -> None:
    assert token_level(word) == found


def test_a_level_letter_before_the_time_in_brackets() -> None:
    letters = ('I', 'I', 'W', 'E')
    lines = [f'{letters[n % 4]} [03/Feb/2024:08:15:{n:02d} +0000] queue {n}: job {n} state changed' for n in range(20)]
    fmt = detect(lines)[0]
    assert fmt.name == 'learned'
    assert [record[1] for record in map(fmt.parse, lines[:4]) if record] == ['INFO', 'INFO', 'WARN', 'ERROR']
    assert fmt.parse(lines[3])[0] == '03/Feb/2024:08:15:03 +0000'  # type: ignore[index]


def test_a_level_after_a_varying_number_of_header_words() -> None:
    lines = []
    for n in range(16):
        level = ('INFO', 'WARN', 'ERROR')[n % 3]
        task = f'MailJob job-{n:04x}f3e ' if n % 4 == 3 else ''
        lines.append(f'2024-02-03T08:15:{n:02d}Z {4200 + n % 2} worker-{n * 7919:x} {task}{level}: step {n} done')
    fmt = detect(lines)[0]
    assert fmt.name == 'learned'
    assert [record[1] for record in map(fmt.parse, lines[:6]) if record] == [
        'INFO', 'WARN', 'ERROR', 'INFO', 'WARN', 'ERROR']
    analysis = analyze_lines(lines)
    assert analysis.events == 16
    assert sum(analysis.level_counts.values()) == 16


def test_a_line_without_the_header_opens_a_record_where_it_writes_the_level_in_the_same_place() -> None:
    lines = []
    for n in range(12):
        lines.append(f'[Info   : Loader] 04/02/2024 10:00:{n:02d}: plugin {n} loaded')
        lines.append(f'  from /opt/plugins/p{n}.dll')
    lines[6:6] = ['[Warning: Loader] audio device missing, sound disabled',
                  '[Warning: Loader] 04/02/2024 10:00:03: plugin cache is stale']
    analysis = analyze_lines(lines)
    assert analysis.events == 14
    assert analysis.level_counts['WARN'] == 2
    warned = [group for group in analysis.groups if group.level == 'WARN']
    assert {group.first_seen is not None for group in warned} == {True, False}


@pytest.mark.parametrize(
    'lines',
    [
        # A message word in lower case at varying places.
        [f'2024-02-03 08:15:{n:02d} ' + ' '.join(['step'] * (n % 4)) + ' error in the last run' for n in range(10)],
        # A letter that varies its place is a word of the message.
        [f'2024-02-03 08:15:{n:02d} ' + ' '.join(['so'] * (n % 3)) + ' I think it works' for n in range(10)],
        # Too few lines write one.
        [f'2024-02-03 08:15:{n:02d} {"WARN" if n % 3 == 0 else "note"}: step {n}' for n in range(10)],
    ],
)
def test_no_spot_where_the_lines_do_not_agree(lines: list[str]) -> None:
    assert learn_spot(lines) is None


def test_a_spot_reads_only_its_own_dress() -> None:
    spot = learn_spot([f'{n} [{word}] step {n}' for n, word in enumerate(('INFO', 'WARN', 'INFO', 'ERROR'))])
    assert spot == LevelSpot(1, 2, '[U')
    assert [spot('7 [ERROR] failed'), spot('7 ERROR failed'), spot('[WARN]')] == ['ERROR', '', '']


def _json_levels(records: list[tuple[int, str]]) -> list[str]:
    lines = [f'{{"time":"2024-03-01T10:00:{n:02d}+00:00","level":{number},"message":"{message}"}}'
             for n, (number, message) in enumerate(records)]
    fmt = detect(lines)[0]
    assert fmt.name == 'json'
    return [record[1] for record in map(fmt.parse, lines) if record]


def test_small_numeric_json_levels_on_the_scale_their_messages_show() -> None:
    # Numbers that rise with trouble: the failures carry the larger one.
    rising = [(1, 'user alice signed in'), (1, 'thumbnail cache warmed'), (3, 'Failed to write /data/a.txt'),
              (1, 'user bob signed in'), (3, 'cannot reach the database')]
    assert _json_levels(rising) == ['INFO', 'INFO', 'ERROR', 'INFO', 'ERROR']
    # syslog's numbers: 6 is informational, 3 an error, 7 debug.
    falling = [(6, 'listener ready'), (3, 'connection refused by upstream'), (7, 'poll tick'), (6, 'job 4 queued')]
    assert _json_levels(falling) == ['INFO', 'ERROR', 'DEBUG', 'INFO']
    # Below 5 and falling: the error words sit on the smaller number.
    assert _json_levels([(4, 'disk almost full'), (3, 'write failed on sda'), (4, 'queue slow')]) == [
        'WARN', 'ERROR', 'WARN']
    # No words to tell: the usual number of a file is its mild one, not a fatal one.
    assert _json_levels([(2, 'cron ran'), (2, 'cron ran'), (2, 'mail sent')]) == ['WARN', 'WARN', 'WARN']
    assert _json_levels([(1, 'cron ran'), (1, 'mail sent')]) == ['INFO', 'INFO']


def test_timed_lines_whose_first_words_vary_are_no_syslog_host() -> None:
    messages = ('Opening block index at /var/lib/chain', '[net] peer 10.0.0.{n} connected', 'Loaded {n} wallets',
                '[db] compaction finished in {n} ms', 'WARNING: clock is {n} minutes ahead', 'Scanning mempool',
                '[net] peer 10.0.0.{n} disconnected', 'Pruned {n} files')
    lines = [f'2024-03-01T10:00:{n:02d}.123456Z ' + messages[n % 8].format(n=n) for n in range(24)]
    fmt = detect(lines)[0]
    assert fmt.name == 'learned'
    assert fmt.parse(lines[4]) == ('2024-03-01T10:00:04.123456Z', 'WARN', '', 'WARNING: clock is 4 minutes ahead')
    assert fmt.parse(lines[1])[3] == '[net] peer 10.0.0.1 connected'  # type: ignore[index]
    # A device that names no program still writes syslog: one host.
    device = [f'Mar  1 10:00:{n:02d} router-{n % 2} link {n % 4} {"up" if n % 3 else "down"}' for n in range(20)]
    assert detect(device)[0].name == 'syslog'


def test_a_column_of_levels_with_an_ordinary_word_of_its_own() -> None:
    kinds = ('Default', 'Default', 'Error', 'Default', 'Fault', 'Debug', 'Info', 'Default')
    lines = [f'2024-03-01 10:00:{n:02d}.123456-0800 0x{4000 + n:x} {kinds[n % 8]:<9} 0x0 {300 + n % 3} 0 '
             f'indexer: batch {n} done' for n in range(24)]
    fmt = detect(lines)[0]
    assert [record[1] for record in map(fmt.parse, lines[:8]) if record] == [
        'INFO', 'INFO', 'ERROR', 'INFO', 'ERROR', 'DEBUG', 'INFO', 'INFO']
    # A column of a couple of words and one level word is no column of levels.
    assert learn_spot([f'10:00:{n:02d} {"error" if n == 3 else "kernel"} event {n}' for n in range(20)]) is None


def test_a_level_where_the_messages_behind_a_known_header_write_it() -> None:
    letters = ('I', 'I', 'W', 'E')
    lines = [f'Mar  1 10:00:{n:02d} host-1 indexer[77]: 10:00:{n:02d}.5 {letters[n % 4]} shard{n % 3}: pass {n} done'
             for n in range(20)]
    fmt = detect(lines)[0]
    assert fmt.name == 'syslog'
    assert [record[1] for record in map(fmt.parse, lines[:4]) if record] == ['INFO', 'INFO', 'WARN', 'ERROR']


def test_the_console_words_of_a_logger_that_writes_its_message_below() -> None:
    words = ('info', 'dbug', 'warn', 'fail', 'crit', 'trce')
    lines = []
    for n in range(12):
        lines += [f'{words[n % 6]}: Shop.Orders.Worker[{n % 3}]', f'      order {n} processed']
    analysis = analyze_lines(lines)
    assert analysis.events == 12
    assert {level: count for level, count in analysis.level_counts.items() if count} == {
        'INFO': 2, 'DEBUG': 2, 'WARN': 2, 'ERROR': 2, 'FATAL': 2, 'TRACE': 2}


@pytest.mark.parametrize(
    'shape', ['{letter}/Sync({pid}): pass {n} done', '[{pid}] {letter}: pass {n} done', '{pid} {letter} pass {n} done'])
def test_lines_without_a_time_that_write_a_level_letter_at_one_place(shape: str) -> None:
    letters = ('I', 'D', 'W', 'E')
    lines = [shape.format(letter=letters[n % 4], pid=4000 + n % 3, n=n) for n in range(16)]
    analysis = analyze_lines(lines)
    assert analysis.events == 16
    assert {level: count for level, count in analysis.level_counts.items() if count} == {
        'INFO': 4, 'DEBUG': 4, 'WARN': 4, 'ERROR': 4}


def test_a_column_of_small_numbers_that_rise_with_trouble() -> None:
    said = {1: 'cache warmed in {n} ms', 2: 'retrying upload {n}', 3: 'write failed on disk {n}'}
    numbers = (1, 1, 2, 1, 3, 1)
    lines = [f'2024-03-01 10:00:{n:02d} [77{n % 3}] {numbers[n % 6]} ' + said[numbers[n % 6]].format(n=n)
             for n in range(18)]
    fmt = detect(lines)[0]
    assert [record[1] for record in map(fmt.parse, lines[:6]) if record] == [
        'INFO', 'INFO', 'WARN', 'INFO', 'ERROR', 'INFO']


def test_a_column_of_small_numbers_on_the_syslog_scale_where_a_number_is_above_the_rising_one() -> None:
    said = {6: 'cache warmed in {n} ms', 4: 'retrying upload {n}', 3: 'write failed on disk {n}', 7: 'tick {n}'}
    numbers = (6, 7, 4, 6, 3, 6)
    lines = [f'2024-03-01 10:00:{n:02d} [77{n % 3}] [{numbers[n % 6]}] ' + said[numbers[n % 6]].format(n=n)
             for n in range(18)]
    fmt = detect(lines)[0]
    assert [record[1] for record in map(fmt.parse, lines[:6]) if record] == [
        'INFO', 'DEBUG', 'WARN', 'INFO', 'ERROR', 'INFO']


@pytest.mark.parametrize('numbers', [(0, 1, 2, 3, 0, 1), (3, 3, 2, 3, 1, 3), (5, 6, 7, 5, 6, 5)])
def test_small_numbers_that_do_not_rise_with_trouble_are_no_levels(numbers: tuple[int, ...]) -> None:
    # A worker's number beside messages, and a scale whose trouble sits on the smaller numbers.
    messages = ('cache warmed', 'job queued', 'retrying upload', 'job queued', 'write failed', 'cache warmed')
    lines = [f'2024-03-01 10:00:{n:02d} {numbers[n % 6]} {messages[n % 6]} {n}' for n in range(18)]
    assert learn_spot(lines) is None


@pytest.mark.parametrize(
    ('message', 'level'),
    [('ERRO[0003] upload failed', 'ERROR'), ('DEBU[0000] config read', 'DEBUG'), ('FATA[0009] cannot bind', 'FATAL'),
     ('PANI[0001] nil map', 'FATAL'), ('TRAC[0000] tick', 'TRACE'), ('10:00:01 PNC shard lost', 'FATAL'),
     ('SUCCESS: 3 files deployed', 'INFO'), ('[EXC 10:00:01.120]: NullReferenceException', 'ERROR'),
     ('FAULT: bus error at 0x4', 'ERROR'), ('trce: entering loop', 'TRACE')],
)
def test_the_cut_and_less_common_level_words_of_several_loggers(message: str, level: str) -> None:
    assert leading_level(message) == level
