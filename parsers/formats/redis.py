"""Redis server log: `1234:M 26 Nov 2026 09:14:02.101 * message` (. debug, - verbose, * notice, # warning)."""

from parsers.formats.base import regex_format

FORMAT = regex_format(
    'redis',
    r'(?P<comp>\d+:[XCSM]) (?P<ts>\d\d? [A-Z][a-z]{2}(?: \d{4})? \d\d:\d\d:\d\d(?:\.\d+)?) (?P<level>[.*#-]) '
    r'(?P<msg>.*)',
    (
        '1:M 26 Nov 2026 09:14:02.101 * Ready to accept connections tcp',
        '1:M 26 Nov 2026 09:14:05.000 # WARNING overcommit_memory is set to 0! Background save may fail.',
    ),
    minute_len=0,
    levels={'.': 'DEBUG', '-': 'DEBUG', '*': 'INFO', '#': 'WARN'},
)
