"""Lines that never start a record of their own, and headerless crash dumps that always do."""

from __future__ import annotations

import re

CONTINUATION = re.compile(
    r'[ \t]|$'
    r'|Caused by: |Suppressed: |\.\.\. \d+ (?:more|common frames omitted)'
    r'|During handling of the above exception|The above exception was the direct cause'
    r'|goroutine \d+ \[|created by |\[signal |exit status \d'
    r'|[\w.$/*()-]+\((?:0x[0-9a-f]+|\.\.\.|, )*\)$'
    r'|[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)*(?:Error|Exception|Exit|Interrupt|Warning|Throwable|Fault)(?::|$)'
)
CRASH_START = re.compile(r'panic: |fatal error: |Exception in thread "|Traceback \(most recent call last\):')
CHAINED = ('During handling of the above exception', 'The above exception was the direct cause')
TRACEBACK = 'Traceback (most recent call last):'
