"""An unknown format's header, learned from the file itself: a timestamp, then fields of a stable kind.

No library infers log headers from a sample, so this is hand-written: find the timestamp shape most lines start
with, then walk the following tokens (or `|`-separated fields) while nearly every line has the same kind there
(number, level word, [bracketed] thread, `component:`, separator). The header becomes one regular expression.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from parsers.formats.base import Format, regex_format
from parsers.levels import LEVEL_WORDS
from parsers.timestamps import TS_PATTERNS

NAME = 'learned'
# Share of sample lines that must agree before a shape is believed.
AGREEMENT = 0.9
MAX_FIELDS = 6
_BRACKETED = r'\[(?:[^\[\]]|\[[^\[\]]*\])*\]'
_TOKEN = re.compile(r'\s*(' + _BRACKETED + r'|\S+)')
_KIND_PATTERNS = {
    'num': r'\s*\d+',
    'level': r'\s*\[?(?P<level>[A-Za-z]+)\]?',
    'bracket': r'\s*' + _BRACKETED,
    'sep': r'\s*[-:|]',
    'comp': r'(?:\s*(?P<comp>[^\s\[\]]+?):(?=\s|$))?',
    'pipe': r'\|',
    'pipe_level': r'\s*(?P<level>[A-Za-z]*)\s*',
    'pipe_comp': r'(?P<comp>[^|]*)',
    'pipe_field': r'[^|]*',
}
_MINUTE_LEN = {'iso': 16, 'iso_slash': 16, 'yy_slash': 14, 'compact': 11, 'compact_dash': 14, 'month_day': 11,
               'syslog': 12, 'clf': 17}


def learn(sample: Sequence[str]) -> Format | None:
    """The learned format of the sample, or None when its lines share no timestamped header."""
    lines = [line for line in sample if line.strip()]
    if len(lines) < 2:
        return None
    ts_name, ts_regex = _timestamp_shape(lines)
    if ts_regex is None:
        return None
    rests = [found.group('rest') for line in lines if (found := ts_regex.match(line))]
    if _agree(sum(1 for rest in rests if rest.startswith('|')), len(rests)):
        fields = _pipe_fields(rests)
    else:
        fields = _token_fields(rests)
    body = ''.join(_KIND_PATTERNS[kind] for kind in fields)
    if 'level' not in fields and 'pipe_level' not in fields:
        body += '(?P<level>)'
    if 'comp' not in fields and 'pipe_comp' not in fields:
        body += '(?P<comp>)'
    pattern = r'\[?(?P<ts>' + TS_PATTERNS[ts_name] + r')\]?' + body + r'\s*(?P<msg>.*)'
    learned = regex_format(NAME, pattern, lines[:3], weight=0.9, minute_len=_MINUTE_LEN.get(ts_name, 0))
    return learned if learned.score(lines) >= AGREEMENT * learned.weight else None


def _timestamp_shape(lines: list[str]) -> tuple[str, re.Pattern[str] | None]:
    best_name, best_hits = '', 0
    for name, pattern in TS_PATTERNS.items():
        regex = re.compile(r'\[?(?:' + pattern + r')\]?')
        hits = sum(1 for line in lines if regex.match(line))
        if hits > best_hits:
            best_name, best_hits = name, hits
    if not _agree(best_hits, len(lines)):
        return '', None
    return best_name, re.compile(r'\[?(?:' + TS_PATTERNS[best_name] + r')\]?(?P<rest>.*)')


def _pipe_fields(rests: list[str]) -> list[str]:
    # `ts|component|pid|message`: the header is the fields nearly every line has; the last one is the message.
    header = min(Counter(rest.count('|', 0, 2000) for rest in rests).most_common(1)[0][0], MAX_FIELDS)
    fields = ['pipe']
    for index in range(1, header):
        values = [rest.split('|', header)[index].strip() for rest in rests if rest.count('|') >= header]
        if 'pipe_level' not in fields and _agree(sum(value in LEVEL_WORDS for value in values), len(values)):
            fields.append('pipe_level')
        elif 'pipe_comp' not in fields and not _agree(sum(value.isdigit() for value in values), len(values)):
            fields.append('pipe_comp')
        else:
            fields.append('pipe_field')
        fields.append('pipe')
    return fields


def _token_fields(rests: list[str]) -> list[str]:
    tokenized = [[found.group(1) for found in _TOKEN.finditer(rest, 0, 400)][:MAX_FIELDS] for rest in rests]
    fields: list[str] = []
    for position in range(MAX_FIELDS):
        kinds = Counter(_kind(tokens[position]) if position < len(tokens) else 'none' for tokens in tokenized)
        kind, count = kinds.most_common(1)[0]
        if kind in ('word', 'none') or not _agree(count, len(tokenized)) or (kind == 'level' and kind in fields):
            break
        fields.append(kind)
        if kind == 'comp':
            break
    return fields


def _kind(token: str) -> str:
    bare = token.strip('[]')
    if bare in LEVEL_WORDS:
        return 'level'
    if token.isdigit():
        return 'num'
    if token[0] == '[' and token[-1] == ']':
        return 'bracket'
    if token in ('-', ':', '|'):
        return 'sep'
    if len(token) > 1 and token[-1] == ':' and '=' not in token:
        return 'comp'
    return 'word'


def _agree(count: int, total: int) -> bool:
    return total > 0 and count >= AGREEMENT * total
