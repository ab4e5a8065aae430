"""MySQL / MariaDB error log: `2026-11-26T09:14:02.101234Z 0 [Warning] [MY-010068] [Server] message`."""

from parsers.formats.base import regex_format
from parsers.levels import LEVEL_OF

FORMAT = regex_format(
    'mysql',
    r'(?P<ts>\d{4}-\d\d-\d\d[T ]\s?\d?\d:\d\d:\d\d(?:\.\d+)?Z?|\d{6} [ \d]\d:\d\d:\d\d) (?:\d+ )?'
    r'\[(?P<level>Note|Warning|Error|System|ERROR|Warn|Info)\] (?:\[MY-\d+\] )?(?:\[(?P<comp>\w+)\] )?(?P<msg>.*)',
    (
        '2026-11-26T09:14:02.101234Z 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.',
        "2026-11-26T09:14:02.200000Z 8 [Note] Aborted connection 8 to db: 'shop' user: 'app'",
        "161126  9:14:02 [ERROR] Can't open the mysql.plugin table.",
    ),
    minute_len=16,
    # MySQL 8 writes its startup and shutdown notes as `[System]`.
    levels={**LEVEL_OF, 'System': 'INFO'},
)
