"""Syslog RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`."""

from __future__ import annotations

import re

from parsers.formats.base import Format, Record
from parsers.levels import SYSLOG_SEVERITY

_LINE = re.compile(
    r'<(?P<pri>\d{1,3})>1 (?P<ts>\S+) \S+ (?P<comp>\S+) \S+ \S+ (?:-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(?P<msg>.*)'
)
_match = _LINE.match


def parse(line: str) -> Record | None:
    found = _match(line)
    if found is None:
        return None
    pri, ts, comp, msg = found.group('pri', 'ts', 'comp', 'msg')
    return (None if ts == '-' else ts), SYSLOG_SEVERITY[int(pri) & 7], comp, msg.removeprefix('\ufeff')


FORMAT = Format(
    name='syslog-rfc5424',
    parse=parse,
    samples=(
        '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" '
        'eventSource="Application" eventID="1011"] An application event log entry...',
        '<11>1 2026-11-26T09:14:02.101+01:00 web-1 app 1234 - - disk full',
    ),
    minute_len=16,
)
