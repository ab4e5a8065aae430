"""PostgreSQL server log (`log_line_prefix = '%m [%p] '`, `'%t '` and similar, any zone written).

DETAIL, HINT, CONTEXT and STATEMENT lines continue the record before them.
"""

from parsers.formats.base import regex_format
from parsers.levels import LEVEL_OF

FORMAT = regex_format(
    'postgresql',
    r'(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: ?[A-Z]{1,5})?(?: ?[+-]\d\d?(?::?\d\d)?)?)'
    r' (?:\[(?P<comp>\d+)\](?:[^:]*?)? ?)?'
    r'(?P<level>LOG|DEBUG[1-5]|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT|QUERY|LOCATION):'
    r'\s+(?P<msg>.*)',
    (
        '2026-11-26 09:14:02.101 UTC [1234] LOG:  database system is ready to accept connections',
        '2026-11-26 09:14:03.200 UTC [2345] ERROR:  duplicate key value violates unique constraint "users_pkey"',
        '2026-11-26 09:14:03.200 UTC [2345] DETAIL:  Key (id)=(1) already exists.',
        '2004-05-07 11:58:22 LOG:  duration: 0.084312 sec',
    ),
    minute_len=16,
    levels=LEVEL_OF,
    continues=frozenset({'DETAIL', 'HINT', 'CONTEXT', 'STATEMENT', 'QUERY', 'LOCATION'}),
)
