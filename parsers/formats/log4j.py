"""log4j / logback / Spring Boot layouts: timestamp, level, optional [thread], logger, message."""

from __future__ import annotations

import re

from parsers.formats.base import Format, Record
from parsers.levels import LEVEL_OF

_THREAD = r'\[(?:[^\[\]]|\[[^\[\]]*\])*\]'
_LINE = re.compile(
    r'(?P<ts>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?|\d\d/\d\d/\d\d \d\d:\d\d:\d\d'
    r'|\d\d:\d\d:\d\d[.,]\d+)\s+(?:-\s+)?(?:' + _THREAD + r'\s+)?'
    r'(?P<level>TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE)\s+(?:\d+\s+---\s+)?(?:' + _THREAD + r'\s+)?'
    # The logger: a dotted name, or a module path as Rust's tracing writes it (`server::http:`)
    r'(?:-\s+)?(?:(?P<comp>[\w$]+(?:(?:\.|::)[\w$]+)+(?:@\d+)?)(?=\s?:\s)\s?:\s+|(?P<comp2>\S+) - )?(?P<msg>.*)'
)
_match = _LINE.match


def parse(line: str) -> Record | None:
    found = _match(line)
    if found is None:
        return None
    ts, level, comp, comp2, msg = found.group('ts', 'level', 'comp', 'comp2', 'msg')
    return ts, LEVEL_OF[level], comp or comp2, msg


FORMAT = Format(
    name='log4j',
    parse=parse,
    samples=(
        '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster',
        '17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM]',
        '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - '
        'Notification time out: 3200',
        '09:14:02.101 [http-nio-8080-exec-1] ERROR com.example.OrderService - order 1842 failed',
        '2026-11-26 09:14:02.101  WARN 1234 --- [           main] o.s.b.StartupInfoLogger : slow start',
        '2026-11-26T09:14:02.101234Z  INFO relay::http::server: listening on 0.0.0.0:8080',
    ),
    minute_len=16,
)
