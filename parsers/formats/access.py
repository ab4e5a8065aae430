"""nginx and Apache access logs (common and combined); the level follows the status, the group the route."""

from __future__ import annotations

import re

from parsers.formats.base import Format, Record
from parsers.levels import level_of_status

_LINE = re.compile(
    # client, ident, user; a virtual host before them is tried only when that fails (it rarely is there). A request
    # nobody could read (`""`) has no method. Of the size, a digit or `-`, the first character is enough.
    r'(?:\S+ )??\S++ \S++ \S++ \[([^\]]++)\] '
    r'"(?:([A-Z]{3,10}+) ([^" ?]*+)[^"]*+|[^"]*+)" (\d{3}) [\d-]'
)
# Possessive (`++`): none of these runs can give characters back to what follows, so the engine keeps no
# backtracking state for them.
_match = _LINE.match
# A proxy chain before all that (`10.0.0.2, 10.0.0.1, 127.0.0.1 - - [...`, or quoted): looked for only on lines the
# pattern does not read, so that the lines of other formats, which it never reads, cost little more.
_chain = re.compile(r'"[^"]*" |(?:[^\s,]+, )+').match
# A path segment with a digit in it is an id (/orders/1842, /u/5f3a9c): the route keeps its place, not its value.
_ID_SEGMENT = re.compile(r'/[^/\d]*+\d[^/]*+')
_ids = _ID_SEGMENT.sub
# Paths seen with their route, by the path's shape: its text with every ASCII digit as 0 (bytes, which translate
# fast). A route depends only on which segments hold a digit, so /orders/1842 and /orders/2291 share one entry and
# the ids in most paths cost one lookup, not a substitution. Bounded, and the same for every log.
MAX_ROUTES = 50_000
_routes: dict[bytes, str] = {}
# Paths without an id, their own route (/healthz, /login): looked up as they are, without a shape. A path with an id
# never enters, so these do not fill up with ids.
_plain_routes: dict[str, str] = {}
_DIGITS_AS_ZERO = bytes.maketrans(b'123456789', b'000000000')
_LEVEL_OF_STATUS = {digit: level_of_status(digit) for digit in '0123456789'}


def parse(line: str) -> Record | None:
    found = _match(line)
    if found is None:
        chain = _chain(line)
        found = _match(line, chain.end()) if chain is not None else None
        if found is None:
            return None
    ts, method, path, status = found.groups()
    if method is None:
        return ts, _LEVEL_OF_STATUS[status[0]], None, f'- - {status}'
    route = _plain_routes.get(path)
    if route is None:
        shape = path.encode('utf-8', 'surrogatepass').translate(_DIGITS_AS_ZERO)
        route = _routes.get(shape)
        if route is None:
            route = _ids('/<*>', path)
            if len(_routes) < MAX_ROUTES:
                _routes[shape] = route
        if route == path and len(_plain_routes) < MAX_ROUTES:
            _plain_routes[path] = route
    return ts, _LEVEL_OF_STATUS[status[0]], None, f'{method} {route} {status}'


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
