"""Timestamps as logs write them, turned into datetimes (a written offset kept, naive ones kept naive).

Parsing happens once per distinct minute and per group boundary, never per line: formats hand over the raw
text and the engine only converts what the summary shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone

MONTHS = {name: number for number, name in enumerate(
    ('jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'), start=1)}
# The timestamp shapes logs write, most specific first, for header patterns and the learned format:
# name -> (regular expression, how many leading characters name the minute; 0: the whole text).
TS_SHAPES: dict[str, tuple[str, int]] = {
    # The date and the time apart by a T, a space or a bar (`2026-11-26|09:14:02`, as Go's log15 writes it), or by two
    # spaces where the fields are aligned
    'iso': (r'\d{4}-\d\d-\d\d(?:[T|]| {1,2})\d\d:\d\d:\d\d(?:[.,]\d+)?(?: ?(?:Z|UTC|[+-]\d\d:?\d\d)(?![\w:]))?', 16),
    # DB2 and RAS logs: 2005-08-12-23.25.12.135766
    'iso_dotted_clock': (r'\d{4}-\d\d-\d\d-\d\d\.\d\d\.\d\d(?:\.\d+)?', 16),
    # 2026/11/26 09:14:02, 2026/1/5:09:14:02, 2026.11.26 09:14:02, 2026/11/26-09:14:02
    'ymd_other': (r'\d{4}[/.]\d\d?[/.]\d\d?[T :-]\d\d?:\d\d:\d\d(?:[.,]\d+)?(?: ?(?:Z|[+-]\d\d:?\d\d)(?![\w:]))?', 0),
    'yy_slash': (r'\d\d/\d\d/\d\d \d\d:\d\d:\d\d(?:[.,]\d+)?', 14),
    'us_date': (r'\d\d?/\d\d?/\d{4},? \d\d?:\d\d:\d\d(?:[.,]\d+)?(?: ?[AP]M)?', 0),
    # Day first: 26.11.2026 09:14:02 and 26-11-2026 09:14:02, and 26/11/2026 in a file that also writes the dotted
    # form (us_date wins where only slashes are written)
    'dmy': (r'\d\d?[./-]\d\d?[./-]\d{4},? \d\d?:\d\d:\d\d(?:[.,]\d+)?', 0),
    'compact': (r'\d{6} \d{6}', 11),
    # MySQL 5: 091112 18:13:56 and 091112  8:13:56
    'yymmdd': (r'\d{6} {1,2}\d\d?:\d\d:\d\d(?:\.\d+)?', 0),
    # 20261126-09:14:02 and 20261126 09:14:02
    'compact_dash': (r'\d{8}[- ]\d\d?:\d\d?:\d\d?(?:[:.,]\d+)?', 14),
    # ISO 8601's basic form, 20261126T091402Z, and with a colon between date and time: 20261126:091402.101
    'iso_basic': (r'\d{8}[T:]\d{6}(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?(?![\w:])', 13),
    # glog and klog: the level letter, then 1126 09:14:02.101234
    'glog': (r'[IWEF]\d{4} \d\d:\d\d:\d\d(?:\.\d+)?', 11),
    # logcat 11-26 09:14:02.101, 11.26 09:14:02 and 11/26 09:14:02; log15's 11-26|09:14:02
    'month_day': (r'\d\d[-./]\d\d[ |]\d\d:\d\d:\d\d(?:[.,]\d+)?', 11),
    # intrusion detection alerts: 09/04-21:42:42.860730, and with the year, 09/04/2026-21:42:42.860730
    'us_date_dash': (r'\d\d/\d\d/\d{4}-\d\d:\d\d:\d\d(?:\.\d+)?', 16),
    'month_day_dash': (r'\d\d/\d\d-\d\d:\d\d:\d\d(?:\.\d+)?', 11),
    # Month and day, then the time, each without separators: 1126/091402.101
    'month_day_clock': (r'\d{4}/\d{6}(?:\.\d+)?(?![\d/])', 9),
    # java.util.logging's default: Nov 28, 2017 2:11:20 PM
    'month_day_year': (r'[A-Z][a-z]{2} \d\d?, \d{4},? \d\d?:\d\d:\d\d(?:[.,]\d+)?(?: ?[AP]M)?', 0),
    'ctime': (r'[A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d\d? \d\d:\d\d:\d\d(?:\.\d+)?(?: [A-Z]{3,4})? \d{4}', 0),
    # syslog, no year: Nov  6 09:14:02, Nov 26 09:14:02
    'syslog': (r'[A-Z][a-z]{2} {1,2}\d\d? \d\d:\d\d:\d\d(?:\.\d+)?', 12),
    # the same to the minute: Nov 26 09:14
    'month_day_minute': (r'[A-Z][a-z]{2} {1,2}\d\d? \d\d:\d\d(?![:\d])', 12),
    # RFC 822 and 2822 (mail, HTTP, Go's time.RFC822): Thu, 26 Nov 2026 09:14:02 +0000, 26 Nov 26 09:14 -03
    'rfc822': (r'(?:[A-Z][a-z]{2}, )?\d\d? [A-Z][a-z]{2} (?:\d{4}|\d\d) \d\d:\d\d(?::\d\d(?:[.,]\d+)?)?'
               r'(?: (?:[+-]\d\d(?::?\d\d)?|UTC|GMT)(?![\w:]))?', 0),
    # 26 Nov 2026 09:14:02 and, without the year, 26 Nov 09:14:02; or with the zone and the year after the time, as
    # date(1) writes it where the day goes first: 26 Nov 09:14:02 GMT 2026
    'day_month': (r'\d\d? [A-Z][a-z]{2}(?: \d{4})? \d\d:\d\d:\d\d(?:[.,]\d+)?(?: [A-Z]{3,4} \d{4}(?![\d:]))?', 0),
    # 26/Nov/2026:09:14:02 +0000 and, as WEBrick and Sinatra write it, 26/Nov/2026 09:14:02
    'clf': (r'\d\d/[A-Z][a-z]{2}/\d{4}[: ]\d\d:\d\d:\d\d(?: [+-]\d{4})?', 17),
    # Java's java.util.logging and Tomcat: 26-Nov-2026 09:14:02.101
    'day_mon_year': (r'\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d(?:[.,]\d+)?', 17),
    'time': (r'\d\d:\d\d:\d\d(?:[.,]\d+)?', 5),
    # seconds (with a fraction) or milliseconds since 1970, between 2001 and 2033
    'epoch': (r'1\d{9}(?:\.\d+|\d{3})?(?!\d)', 0),
}
TS_PATTERNS: dict[str, str] = {name: pattern for name, (pattern, _) in TS_SHAPES.items()}
_EPOCH = re.compile(r'\d{9,19}(?:\.\d+)?').fullmatch
_FRACTION = r'(?:[.,:](?P<frac>\d+))?'
_ZONE = r'\s*(?P<zone>Z|UTC|[+-]\d\d:?\d\d)?'
_CLOCK = r'(?P<h>\d\d?):(?P<mi>\d\d?):(?P<s>\d\d?)'
_MONTH_FIRST = re.compile(
    r'(?P<mo>\d\d?)/(?P<d>\d\d?)/(?P<y>\d{4}),? ' + _CLOCK + _FRACTION + r'(?: ?(?P<ampm>[AP]M))?'
)
# Dashes between day, month and year put the day first (26-11-2026), unless the second number is above 12.
_DASHED = re.compile(r'(?P<d>\d\d?)-(?P<mo>\d\d?)-(?P<y>\d{4}),? ' + _CLOCK + _FRACTION)
_YY_SLASH = re.compile(r'(?P<y>\d\d)/(?P<mo>\d\d)/(?P<d>\d\d) ' + _CLOCK + _FRACTION)
_PARSERS = [
    re.compile(r'(?P<y>\d{4})[-/.](?P<mo>\d\d?)[-/.](?P<d>\d\d?)(?:[T:|-]| {1,2})' + _CLOCK + _FRACTION + _ZONE),
    re.compile(r'(?P<y>\d{4})-(?P<mo>\d\d)-(?P<d>\d\d)-(?P<h>\d\d)\.(?P<mi>\d\d)\.(?P<s>\d\d)(?:\.(?P<frac>\d+))?'),
    re.compile(r'(?P<y>\d{4})(?P<mo>\d\d)(?P<d>\d\d)[- ]' + _CLOCK + _FRACTION + _ZONE),
    re.compile(r'(?P<y>\d{4})(?P<mo>\d\d)(?P<d>\d\d)[T:](?P<h>\d\d)(?P<mi>\d\d)(?P<s>\d\d)' + _FRACTION + _ZONE),
    _YY_SLASH,
    _MONTH_FIRST,
    re.compile(r'(?P<d>\d\d?)\.(?P<mo>\d\d?)\.(?P<y>\d{4}),? ' + _CLOCK + _FRACTION),
    _DASHED,
    re.compile(r'(?P<y>\d\d)(?P<mo>\d\d)(?P<d>\d\d) (?P<h>\d\d)(?P<mi>\d\d)(?P<s>\d\d)'),
    re.compile(r'(?<!\d)(?P<y>\d\d)(?P<mo>\d\d)(?P<d>\d\d) {1,2}' + _CLOCK + _FRACTION),
    re.compile(r'(?P<mo>\d\d)[-./](?P<d>\d\d)[ |]' + _CLOCK + _FRACTION),
    re.compile(r'(?P<mo>\d\d)/(?P<d>\d\d)(?:/(?P<y>\d{4}))?-' + _CLOCK + _FRACTION),
    re.compile(r'(?P<mo>\d\d)(?P<d>\d\d)/(?P<h>\d\d)(?P<mi>\d\d)(?P<s>\d\d)' + _FRACTION),
    re.compile(r'(?P<d>\d\d)([/-])(?P<mon>[A-Z][a-z]{2})\2(?P<y>\d{4})[: ]' + _CLOCK + _FRACTION + _ZONE),
    re.compile(r'(?P<d>\d\d?) (?P<mon>[A-Z][a-z]{2}) ' + _CLOCK + _FRACTION + r' [A-Z]{3,4} (?P<y>\d{4})'),
    re.compile(r'(?P<d>\d\d?) (?P<mon>[A-Z][a-z]{2}) (?P<y>\d{4}|\d\d) (?P<h>\d\d):(?P<mi>\d\d)'
               r'(?::(?P<s>\d\d)(?:[.,](?P<frac>\d+))?)? (?P<zone>[+-]\d\d(?::?\d\d)?|UTC|GMT)(?![\w:])'),
    re.compile(r'(?P<d>\d\d?) (?P<mon>[A-Z][a-z]{2}) (?:(?P<y>\d{4}) )?' + _CLOCK + _FRACTION),
    re.compile(r'(?P<d>\d\d?) (?P<mon>[A-Z][a-z]{2}) (?P<y>\d\d) (?P<h>\d\d):(?P<mi>\d\d)(?![:\d])'),
    re.compile(
        r'(?P<mon>[A-Z][a-z]{2}) (?P<d>\d\d?), (?P<y>\d{4}),? ' + _CLOCK + _FRACTION + r'(?: ?(?P<ampm>[AP]M))?'),
    re.compile(
        r'\[?(?:[A-Z][a-z]{2} )?(?P<mon>[A-Z][a-z]{2}) +(?P<d>\d\d?) ' + _CLOCK + _FRACTION
        + r'(?: [A-Z]{3,4})?(?: (?P<y>\d{4}))?'
    ),
    re.compile(r'(?P<mon>[A-Z][a-z]{2}) +(?P<d>\d\d?) (?P<h>\d\d):(?P<mi>\d\d)(?![:\d])'),
    # glog's month and day, with its level letter or without it as a format hands over its time: 1126 09:14:02.101
    re.compile(r'(?:[IWEF]|(?<![\w.:/-]))(?P<mo>\d\d)(?P<d>\d\d) ' + _CLOCK + _FRACTION),
]


def parse_timestamp(raw: str | float | int, year: int) -> datetime | None:
    """Read one timestamp; `year` fills in formats that leave it out (syslog, logcat)."""
    if isinstance(raw, (int, float)):
        return _from_epoch(float(raw))
    return _read(raw.strip(), year)[0]


def parse_timestamps(raws: Iterable[str], year: int) -> list[datetime | None]:
    """parse_timestamp of each text. A text that differs from one read before only in the two digits its reader took
    for the seconds is that time with other seconds (no pattern tells digits apart): the times of one minute are
    parsed once."""
    moments: list[datetime | None] = []
    # By where the seconds were, the text before and after them: the time read.
    minutes: dict[tuple[int, str, str], datetime] = {}
    places: list[int] = []
    for raw in raws:
        raw = raw.strip()
        for start in places:
            seconds = raw[start:start + 2]
            known = minutes.get((start, raw[:start], raw[start + 2:]))
            if known is not None and len(seconds) == 2 and seconds.isascii() and seconds.isdigit():
                try:
                    moments.append(known.replace(second=int(seconds)))
                except ValueError:
                    moments.append(None)  # as _build finds no such time
                break
        else:
            moment, place = _read(raw, year)
            moments.append(moment)
            if moment is not None and place is not None:
                minutes[place, raw[:place], raw[place + 2:]] = moment
                if place not in places:
                    places.append(place)
    return moments


def _read(raw: str, year: int) -> tuple[datetime | None, int | None]:
    """The time a stripped text writes, and where its seconds start when they are two digits."""
    shape = raw.encode('utf-8', 'surrogatepass').translate(_DIGITS_AS_ZERO)
    reader = _reader_of_shape.get(shape)
    if reader is None:
        reader = _reader_of(raw)
        if len(_reader_of_shape) >= MAX_SHAPES:
            _reader_of_shape.clear()
        _reader_of_shape[shape] = reader
    if reader == _NO_READER:
        return None, None
    if reader == _EPOCH_READER:
        return _from_epoch(float(raw)), None
    pattern = _PARSERS[reader]
    found = pattern.search(raw)
    assert found is not None  # another text of the same shape matched, and no pattern tells ASCII digits apart
    parts = found.groupdict()
    if pattern is _MONTH_FIRST and int(parts['mo'] or 0) > 12:
        # No month is above 12: this slash date puts the day first.
        parts['mo'], parts['d'] = parts['d'], parts['mo']
    elif pattern is _DASHED and int(parts['mo'] or 0) > 12:
        parts['mo'], parts['d'] = parts['d'], parts['mo']
    elif pattern is _YY_SLASH and int(parts['mo'] or 0) > 12:
        # No month is above 12: this two-digit year comes last, after the month and the day (09/15/23).
        parts['y'], parts['mo'], parts['d'] = parts['d'], parts['y'], parts['mo']
    # Times to the minute have no seconds to reuse the rest of the time by.
    start, end = found.span('s') if 's' in pattern.groupindex else (0, 0)
    return _build(parts, year), start if end - start == 2 else None


# Which reader reads a timestamp depends only on its shape, its text with every ASCII digit as 0: no pattern tells
# one ASCII digit from another. A log writes its times in a few shapes, so the patterns are tried once per shape,
# not once per time (a clock like CLF's is read by the 11th pattern).
_DIGITS_AS_ZERO = bytes.maketrans(b'123456789', b'000000000')
MAX_SHAPES = 10_000
# A reader is the index of the first pattern in _PARSERS that reads the text, or one of these.
_EPOCH_READER, _NO_READER = -1, -2
_reader_of_shape: dict[bytes, int] = {}


def _reader_of(raw: str) -> int:
    if _EPOCH(raw):
        return _EPOCH_READER
    return next((index for index, pattern in enumerate(_PARSERS) if pattern.search(raw) is not None), _NO_READER)


_SLASH_DATE = re.compile(r'(\d\d?)/(\d\d?)/\d{4}').match


def slash_day_first(raws: Iterable[str]) -> bool:
    """Whether a file's slash dates (`03/04/2026`) put the day first: a first number above 12 shows it does, a
    second one above 12 that it does not; with neither (or both) they are read month first, as in the US."""
    day_first = month_first = False
    for raw in raws:
        found = _SLASH_DATE(raw)
        if found is not None:
            day_first = day_first or int(found.group(1)) > 12
            month_first = month_first or int(found.group(2)) > 12
    return day_first and not month_first


def as_day_first(raw: str) -> str:
    """A day-first slash date in the dotted form (`03.04.2026`) that always reads day first."""
    return raw.replace('/', '.', 2)


def epoch_text(value: float) -> str | None:
    """Seconds, milliseconds, microseconds or nanoseconds since 1970 as ISO 8601 text in UTC."""
    moment = _from_epoch(value)
    return moment.isoformat() if moment else None


def _from_epoch(value: float) -> datetime | None:
    if value > 1e17:
        value /= 1e9
    elif value > 1e14:
        value /= 1e6
    elif value > 1e11:
        value /= 1e3
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _build(parts: dict[str, str | None], year: int) -> datetime | None:
    try:
        y = int(parts.get('y') or year)
        if y < 100:
            y += 2000
        month = MONTHS.get((parts.get('mon') or '').lower()) or int(parts.get('mo') or 0)
        frac = parts.get('frac') or ''
        hour = int(parts['h'] or 0)
        if parts.get('ampm'):
            hour = hour % 12 + (12 if parts['ampm'] == 'PM' else 0)
        moment = datetime(y, month, int(parts['d'] or 0), hour, int(parts['mi'] or 0),
                          int(parts.get('s') or 0), int((frac + '000000')[:6]))
    except (TypeError, ValueError):
        return None
    zone = parts.get('zone')
    if not zone:
        return moment
    tz = _zones.get(zone)
    if tz is None:
        tz = _zones[zone] = _zone(zone)
    return moment.replace(tzinfo=tz)


# The zones met so far, by their text: a log writes one or a few.
_zones: dict[str, timezone] = {}


def _zone(text: str) -> timezone:
    if text in ('Z', 'UTC', 'GMT'):
        return UTC
    sign = -1 if text[0] == '-' else 1
    digits = text[1:].replace(':', '')
    # The offset as written (`-03` in hours alone): the moment compares with any other, and reads as the log's own
    # clock.
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


def sort_key(moment: datetime) -> datetime:
    """Naive and aware moments in one ordering: a naive time is taken as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)



class Chronology:
    """Orders the raw timestamps of one log without parsing each: a minute is parsed once, and two times of the same
    minute compare by the text after it (the seconds), which one format writes at one width."""

    def __init__(self, year: int, max_minutes: int = 100_000) -> None:
        self.year = year
        self.max_minutes = max_minutes
        self.minutes: dict[str, datetime | None] = {}

    def later(self, raw: str, than: str, minute_len: int) -> bool:
        """Whether `raw` is a later time than `than`; a time that cannot be read is never later nor earlier."""
        if minute_len and raw[:minute_len] == than[:minute_len]:
            return raw[minute_len:] > than[minute_len:]
        mine, theirs = self._minute(raw, minute_len), self._minute(than, minute_len)
        if mine is None or theirs is None:
            return False
        if mine != theirs or not minute_len:
            return mine > theirs
        return raw[minute_len:] > than[minute_len:]

    def _minute(self, raw: str, minute_len: int) -> datetime | None:
        minute = raw[:minute_len] if minute_len else raw
        if minute in self.minutes:
            return self.minutes[minute]
        moment = parse_timestamp(raw, self.year)
        found = None if moment is None else sort_key(moment)
        if found is not None and minute_len:
            found = found.replace(second=0, microsecond=0)
        if len(self.minutes) >= self.max_minutes:
            self.minutes.clear()
        self.minutes[minute] = found
        return found
