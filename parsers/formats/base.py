"""What a log format is: a name, a header parser, a score over a sample and sample lines that double as tests."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from parsers.levels import LEVEL_OF

# (raw timestamp, normalized level, source/component, message) of a line that starts a record.
Record = tuple[str | None, str, str | None, str]
# A line of this format that carries the format's header yet continues the previous record
# (PostgreSQL's DETAIL/HINT/CONTEXT/STATEMENT).
CONTINUES: Record = (None, '', None, '')
Parser = Callable[[str], Record | None]


# Compared by identity: the engine asks `is` this the current format on every line.
@dataclass(frozen=True, slots=True, eq=False)
class Format:
    name: str
    parse: Parser
    samples: tuple[str, ...]
    # Formats that only a loose pattern recognizes lose ties against precise ones.
    weight: float = 1.0
    # How many leading characters of the raw timestamp name its minute (0: the whole text).
    minute_len: int = 0
    # Group records by their masked message exactly instead of by template similarity (HTTP access lines).
    exact: bool = False
    # The parser keeps what the line before said (a record's number against the last one): each line is parsed
    # once, in order, never ahead.
    stateful: bool = False
    # Formats whose header line does not hold the message read the whole event once it is complete.
    assemble: Callable[[Sequence[str]], Record] | None = None
    # The format as a sample of the file's lines shows it: its own scale of levels, or a lower weight where the
    # lines only look like it.
    fit: Callable[[Sequence[str]], Format] | None = None

    def score(self, sample: Sequence[str]) -> float:
        """Share of the sample's non-blank lines this format parses, weighted; 0..1."""
        lines = [line for line in sample if line.strip()]
        if not lines:
            return 0.0
        parse = self.parse
        hits = sum(1 for line in lines if parse(line) is not None)
        return self.weight * hits / len(lines)


def regex_format(name: str, pattern: str, samples: Sequence[str], *, weight: float = 1.0, minute_len: int = 0,
                 levels: dict[str, str] | None = None, continues: frozenset[str] = frozenset()) -> Format:
    """A format whose header one regular expression reads, with the groups ts, level, comp and msg.

    `continues` lists raw level words that mark a continuation of the previous record.
    """
    compiled = re.compile(pattern)
    for group in ('ts', 'level', 'comp', 'msg'):
        if group not in compiled.groupindex:
            raise ValueError(f'format {name}: the pattern lacks the group {group!r}')
    match = compiled.match
    level_of = levels or LEVEL_OF

    def parse(line: str) -> Record | None:
        found = match(line)
        if found is None:
            return None
        ts, level, comp, msg = found.group('ts', 'level', 'comp', 'msg')
        if level in continues:
            return CONTINUES
        return ts, level_of.get(level, '') if level else '', comp, msg

    return Format(name=name, parse=parse, samples=tuple(samples), weight=weight, minute_len=minute_len)
