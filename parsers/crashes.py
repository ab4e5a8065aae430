"""What crashes look like, one pattern set for every part that asks: which line opens a crash dump, which lines
continue one, which line names the exception.

Event assembly uses it to keep a trace in one event, the fingerprint to find the exception types, the grouping to
title a crash that has no log line of its own.
"""

from __future__ import annotations

import re

TRACEBACK = 'Traceback (most recent call last):'
# Python's words between a chained exception and the one it caused.
CHAINED = ('During handling of the above exception', 'The above exception was the direct cause')
# Exception class names of Python, Java, .NET, Node, Go and PHP, with their package (`java.io.IOException`) or
# namespace (`Illuminate\Database\QueryException`).
_EXCEPTION_NAME = (r'[A-Za-z_][\w$]*(?:[.\\][A-Za-z_][\w$]*)*'
                   r'(?:Error|Exception|Exit|Interrupt|Warning|Fault|Panic|Throwable)')
# A crash dump with no log header of its own begins with these words; masking may turn what follows them into
# wildcards (`Exception in thread <*>`), so a template is checked against the words alone.
_OPENINGS = {'Traceback': r' \(most recent call last\):', 'Exception in thread': ' "', 'panic': ': ',
             'fatal error': ': '}
_OPENING_WORDS = tuple(_OPENINGS)
_CRASH_START = re.compile('|'.join(words + rest for words, rest in _OPENINGS.items()))
# Go's runtime stops the program on these; the others are exceptions a program may still catch.
_FATAL_OPENINGS = ('panic', 'fatal error')

# A line that never starts a record of its own: indented frames, chained causes, Go goroutines, exception lines.
CONTINUATION = re.compile(
    r'[ \t]|$'
    r'|Caused by: |Suppressed: |\.\.\. \d+ (?:more|common frames omitted)'
    r'|' + '|'.join(CHAINED) +
    r'|goroutine \d+ \[|created by |\[signal |exit status \d'
    r'|[\w.$/*()-]+\((?:0x[0-9a-f]+|\.\.\.|, )*\)$'
    # A stack frame as Firefox's and Safari's JavaScript engines write it, unindented: `render@https://x/app.js:12:5`,
    # `global code@...`.
    r'|[^\s@]*(?: [^\s@]+)?@\S+:\d+:\d+$'
    # A numbered frame as gdb and Dart write it: `#0  0x00007f3a in raise () ...`, `#3      Foo.bar (file.dart:86)`.
    r'|#\d+ +(?:0x[0-9a-f]+ in |[^\s(]+ \()'
    r'|' + _EXCEPTION_NAME + r'(?::|$)'
)
# A Java, .NET or JavaScript stack frame (or Java's `... 2 more`): what follows the last one and continues nothing
# is a record of its own.
FRAME = re.compile(r'[ \t]+(?:at [\w$.<>]|\.\.\. \d+ (?:more|common frames omitted))')
# A note framed by dashes between the parts of a .NET or JavaScript trace (`--- End of stack trace from previous
# location ---`, `--- End of inner exception stack trace ---`): part of the trace after a frame.
TRACE_NOTE = re.compile(r'--- [A-Za-z][^-]* ---$')
# The line that names an exception, the type in group 1 (a name alone on its line may be padded with spaces).
EXCEPTION = re.compile(
    r'(?:Exception in thread "[^"]*" |Caused by: |Suppressed: |\s*)?(' + _EXCEPTION_NAME + r')(?::|\s*$)'
)
# A line that opens with an error: an exception's name (JavaScript's bare `Error:` too) or an `error:` prefix.
_ERROR_OPENING = re.compile(r'[\w$.]*(?:Error|Exception)(?::|$)|(?:error|fatal)(?:\[\w+\])?:', re.IGNORECASE)
# A Go panic or fatal error; group 1 when the runtime itself raised it.
PANIC = re.compile(r'(?:panic|fatal error): (?:(runtime error): )?')


def crash_start_level(line: str) -> str:
    """The level of a crash dump that `line` opens without a log header (FATAL for a Go panic), or ''."""
    if _CRASH_START.match(line) is None:
        return ''
    return 'FATAL' if line.startswith(_FATAL_OPENINGS) else 'ERROR'


def opens_error(text: str) -> bool:
    """Whether `text` (a line without its indentation) opens with an error or a crash."""
    return _ERROR_OPENING.match(text) is not None or _CRASH_START.match(text) is not None


def is_crash_opening(template: str) -> bool:
    """Whether a template is the first line of a headerless crash dump, which says less than its exception line."""
    return template.startswith(_OPENING_WORDS)
