"""Syslog RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`."""

from __future__ import annotations

import re

from parsers.formats.base import Format
from parsers.formats.syslog import pri_parser

_LINE = re.compile(
    r'<(?P<pri>\d{1,3})>1 (?P<ts>\S+) \S+ (?P<comp>\S+) \S+ \S+ (?:-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(?P<msg>.*)'
)


FORMAT = Format(
    name='syslog-rfc5424',
    parse=pri_parser(_LINE),
    samples=(
        '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" '
        'eventSource="Application" eventID="1011"] An application event log entry...',
        '<11>1 2026-11-26T09:14:02.101+01:00 web-1 app 1234 - - disk full',
    ),
    minute_len=16,
)
