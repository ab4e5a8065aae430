"""Kubernetes klog / Google glog: `I1126 09:14:02.101234    1234 file.go:42] message`."""

from parsers.formats.base import regex_format

FORMAT = regex_format(
    'klog',
    r'(?P<level>[IWEF])(?P<ts>\d{4} \d\d:\d\d:\d\d\.\d+)\s+\d+ (?P<comp>[^:\]\s]+):\d+\] (?P<msg>.*)',
    (
        'I1126 09:14:02.101234    1234 controller.go:42] Starting controller',
        'E1126 09:14:03.000001       7 reflector.go:138] Failed to watch *v1.Pod: connection refused',
    ),
    minute_len=11,
)
