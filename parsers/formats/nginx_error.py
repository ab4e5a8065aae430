"""nginx error log: `2026/11/26 09:14:02 [error] 1234#1234: *5 message`."""

from parsers.formats.base import regex_format

FORMAT = regex_format(
    'nginx-error',
    r'(?P<ts>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[(?P<level>[a-z]+)\] (?P<comp>\d+#\d+): (?:\*\d+ )?(?P<msg>.*)',
    (
        '2026/11/26 09:14:02 [error] 31#31: *5 connect() failed (111: Connection refused) while connecting to '
        'upstream, client: 10.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://10.0.0.2:80/"',
        '2026/11/26 09:14:03 [notice] 1#1: start worker processes',
    ),
    minute_len=16,
)
