"""systemd journal export format (`journalctl -o export`): one `KEY=value` line per field, entries apart by a blank.

An entry starts at its `__CURSOR=` line; the fields after it continue the entry, and `assemble` reads the time,
priority, identifier and message from them once the entry is complete.
"""

from __future__ import annotations

from collections.abc import Sequence

from parsers.formats.base import Format, Record
from parsers.levels import SYSLOG_SEVERITY
from parsers.timestamps import epoch_text


def parse(line: str) -> Record | None:
    if not line.startswith('__CURSOR='):
        return None
    return None, '', None, ''


def assemble(lines: Sequence[str]) -> Record:
    fields = dict(line.split('=', 1) for line in lines if '=' in line)
    micros = fields.get('__REALTIME_TIMESTAMP', '')
    priority = fields.get('PRIORITY', '')
    level = SYSLOG_SEVERITY[int(priority) & 7] if priority.isdigit() else ''
    source = fields.get('SYSLOG_IDENTIFIER') or fields.get('_COMM')
    return epoch_text(float(micros)) if micros.isdigit() else None, level, source, fields.get('MESSAGE', '')


FORMAT = Format(
    name='journal-export',
    parse=parse,
    samples=('__CURSOR=s=739ad463348b4ceca5a9e69c95a3c93f;i=4ece7;b=6c7c6013a8694c8f;m=3c7d8a1f;t=5a2b4c;x=ab1',),
    minute_len=16,
    assemble=assemble,
)
