"""Android logcat (`threadtime`): `MM-DD HH:MM:SS.mmm  PID  TID L Tag: message`."""

from parsers.formats.base import regex_format

FORMAT = regex_format(
    'logcat',
    r'(?P<ts>\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\s+\d+\s+\d+ (?P<level>[VDIWEFA]) (?P<comp>[^:]*?)\s*: (?P<msg>.*)',
    (
        '03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening app wtoken = null',
        '03-17 16:13:38.819  1702  8671 E PowerManagerService: acquire lock=233570404, flags=0x1',
    ),
    minute_len=11,
)
