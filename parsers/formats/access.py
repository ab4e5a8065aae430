"""nginx and Apache access logs (common and combined); the level follows the status, the group the route."""

from __future__ import annotations

import re

from parsers.formats.base import Format, Record
from parsers.levels import level_of_status

_LINE = re.compile(
    r'(?:\S+ )?(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]+|\S+) \S+ \S+ \[(?P<ts>[^\]]+)\] '
    r'"(?P<method>[A-Z]{3,10}) (?P<path>[^" ]*)[^"]*" (?P<status>\d{3}) (?:\d+|-)'
)
_match = _LINE.match
# A path segment with a digit in it is an id (/orders/1842, /u/5f3a9c): the route keeps its place, not its value.
_ID_SEGMENT = re.compile(r'(?<=/)[^/]*\d[^/]*')
_ids = _ID_SEGMENT.sub


def parse(line: str) -> Record | None:
    found = _match(line)
    if found is None:
        return None
    ts, method, path, status = found.group('ts', 'method', 'path', 'status')
    query = path.find('?')
    if query >= 0:
        path = path[:query]
    return ts, level_of_status(status), None, f'{method} {_ids("<*>", path)} {status}'


FORMAT = Format(
    name='http-access',
    parse=parse,
    samples=(
        '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
        '10.1.2.3 - - [26/Nov/2026:09:14:02 +0000] "POST /api/orders/1842?debug=1 HTTP/1.1" 502 157 "-" '
        '"curl/8.5.0"',
        'example.com 2001:db8::1 - - [26/Nov/2026:09:14:02 +0000] "GET / HTTP/2.0" 404 0 "-" "Mozilla/5.0"',
    ),
    minute_len=17,
    exact=True,
)
