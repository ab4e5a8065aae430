"""BSD syslog (RFC 3164), also what `journalctl` prints by default; the level comes from <PRI> when present."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from parsers.formats.base import Format, Parser, Record
from parsers.levels import LEVEL_OF, SYSLOG_SEVERITY, leading_level

_LINE = re.compile(
    r'(?:<(?P<pri>\d{1,3})>)?(?P<ts>[A-Z][a-z]{2} {1,2}\d\d? \d\d:\d\d:\d\d(?:\.\d+)?'
    r'|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) '
    # The program may be two or three words (`Google Chrome Helper[12]:`) or missing (`--- last message ...`).
    # A word ending in a colon right after the time names the program, no host (`<time> Updated: pkg-1.2`).
    r'(?:(?P<host>\S+)(?<!:) |(?=[^\s:\[]+(?:\[[\w.-]*\])?: ))'
    r'(?:(?P<comp>[^\s:\[]+(?: [^\s:\[]+){0,2}?)(?:\[[\w.-]*\])?:(?: |$))?(?P<msg>.*)'
)


def pri_parser(line_pattern: re.Pattern[str]) -> Parser:
    """A parser for a syslog pattern with the groups pri, ts, comp and msg (and host, if it has one): the level comes
    from <PRI>."""
    match = line_pattern.match
    has_host = 'host' in line_pattern.groupindex

    def parse(line: str) -> Record | None:
        found = match(line)
        if found is None:
            return None
        pri, ts, comp, msg = found.group('pri', 'ts', 'comp', 'msg')
        # Without a priority, a level the program wrote at the start of its message (klog's `I0612 ...`) is used.
        level = SYSLOG_SEVERITY[int(pri) & 7] if pri else leading_level(msg)
        if not level and has_host and (found.group('host') or '')[:1] == '[':
            # A level in brackets where the host goes (`2019-03-06T08:55:28Z [INFO] ...`) is no host, and what
            # follows it is the message, a colon in it (`[notice] Loaded 5% (conn): ...`) naming no program.
            level = LEVEL_OF.get(found.group('host')[1:-1], '')
            if level and comp is not None:
                comp, msg = None, line[found.end('host') + 1:]
        return (None if ts == '-' else ts), level, comp, msg.removeprefix('\ufeff')

    return parse


# The word in the host's place names a host where few of them differ (or a share of the lines) or the lines name
# their program; else it is the first word of messages (`<time> Using 16 MiB ...`), and the format fits loosely.
FEW_HOSTS = 2
FEW_HOSTS_SHARE = 0.05
LOOSE_WEIGHT = 0.5


def _fit(sample: Sequence[str]) -> Format:
    found = [match for line in sample if (match := _LINE.match(line)) is not None]
    hosts = len({match.group('host') for match in found if match.group('host')})
    programs = sum(1 for match in found if match.group('comp'))
    if hosts <= max(FEW_HOSTS, FEW_HOSTS_SHARE * len(found)) or programs * 2 >= len(found):
        return FORMAT
    return replace(FORMAT, weight=LOOSE_WEIGHT)


FORMAT = Format(
    name='syslog',
    parse=pri_parser(_LINE),
    fit=_fit,
    samples=(
        'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186',
        "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
        'Nov 26 09:14:02 web-1 kernel: Out of memory: Killed process 1234 (java)',
        '2026-11-26T09:14:02+0000 web-1 systemd[1]: Started Session 4 of user root.',
    ),
    minute_len=12,
)
