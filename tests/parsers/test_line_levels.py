from parsers.line_levels import line_levels


def test_each_line_gets_its_level_and_a_trace_takes_the_level_of_the_line_it_continues() -> None:
    lines = [
        '2026-11-26 10:00:00,000 INFO [main] started',
        '2026-11-26 10:00:01,000 ERROR [db] query failed',
        'Traceback (most recent call last):',
        '  File "app.py", line 88, in run',
        'ValueError: bad input',
        '2026-11-26 10:00:02,000 WARN [db] retrying',
        'a line no format reads',
        'panic: runtime error: index out of range',
        'goroutine 1 [running]:',
    ]
    assert line_levels(lines, ['python_logging', 'log4j']) == [
        'INFO', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'WARN', '', 'FATAL', 'FATAL',
    ]


def test_without_a_known_format_the_level_written_at_the_start_of_a_line_is_read() -> None:
    assert line_levels(['[ERROR] disk full', 'WARNING: low memory', 'plain words here'], []) == ['ERROR', 'WARN', '']
