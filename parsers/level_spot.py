"""Where a file writes its levels, learned from the file: the word of its lines that nearly always holds a level, in
the same dress (`[WARN]`, `I!`, `<info>`), at the same place or, where a variable number of header words comes first
(`... TID-9 INFO: ...`, `... TID-9 Worker JID-4 INFO: ...`), as the first word so dressed. Read from there, a level
costs a split and a lookup, and a level word elsewhere (a message's own `error`) is not taken for it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.levels import LEVEL_LETTERS, LEVEL_OF, token_dress

# Words of a line searched for the level.
SPOT_WORDS = 10
# Share of lines that must write a word in the same dress at the place, or a level so dressed where the place varies.
AGREEMENT = 0.9
# A column of levels holds few words; at most a couple are no level word (the ordinary level, named its own way).
FEW_VALUES = 8
FEW_ORDINARY = 2
# Where such words are common, the level words must still name two levels on this share of the lines.
NAMED_SHARE = 0.2
# Lines needed to learn from.
MIN_LINES = 3


def _level(word: str) -> str:
    return LEVEL_OF.get(word, '') if len(word) > 1 or word in LEVEL_LETTERS else ''


@dataclass(frozen=True, slots=True)
class LevelSpot:
    """The word at `position` in the dress `form`; with no position, the first level word so dressed among the first
    `reach`. The `ordinary` words of a column (Apple's `Default`, an `X` among `W`s) are its ordinary level, INFO."""

    position: int | None
    reach: int
    form: str
    ordinary: frozenset[str] = frozenset()

    def __call__(self, text: str) -> str:
        """The level the text writes at the spot, or ''."""
        position = self.position
        if position is not None:
            words = text.split(None, position + 1)
            return self._read(words[position]) if len(words) > position else ''
        for word in text.split(None, self.reach)[:self.reach]:
            level = self._read(word)
            if level:
                return level
        return ''

    def _read(self, word: str) -> str:
        dressed = token_dress(word)
        if dressed is None or dressed[1] != self.form:
            return ''
        return 'INFO' if dressed[0] in self.ordinary else _level(dressed[0])


def learn_spot(texts: Sequence[str]) -> LevelSpot | None:
    """The spot where nearly every text writes a level, or None.

    A fixed place holds few words, nearly all level words, or two levels or more beside at most a couple of other
    words. Where the place varies, only capitals or a word with punctuation before it count (not an ordinary word
    that some messages start with), and no single letter."""
    if len(texts) < MIN_LINES:
        return None
    columns: defaultdict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    firsts: defaultdict[str, Counter[int]] = defaultdict(Counter)
    for text in texts:
        seen = set()
        for position, word in enumerate(text.split(None, SPOT_WORDS)[:SPOT_WORDS]):
            dressed = token_dress(word)
            if dressed is None:
                continue
            core, dress = dressed
            columns[position, dress][core] += 1
            if dress not in seen and _level(core):
                seen.add(dress)
                firsts[dress][position] += 1
    needed = AGREEMENT * len(texts)
    best: tuple[int, int, str, frozenset[str]] | None = None
    for (position, dress), words in columns.items():
        found = _column(words, needed, len(texts))
        # The column naming the most levels, the first of equals.
        if found is not None and (best is None or (found[0], -position) > (best[0], -best[1])):
            best = found[0], position, dress, found[1]
    if best is not None:
        _, position, dress, ordinary = best
        return LevelSpot(position, position + 1, dress, ordinary)
    if not firsts:
        return None
    dress, counts = max(firsts.items(), key=lambda item: item[1].total())
    if counts.total() < needed or dress.endswith('L') or dress in ('l', 'T'):
        return None
    return LevelSpot(None, max(counts) + 1, dress)


def _column(words: Counter[str], needed: float, lines: int) -> tuple[int, frozenset[str]] | None:
    """How many lines a column of levels names a level on, and its ordinary words; None for another column."""
    if words.total() < needed or len(words) > FEW_VALUES:
        return None
    named = [word for word in words if _level(word)]
    ordinary = frozenset(words) - set(named)
    said = sum(words[word] for word in named)
    if len(ordinary) > FEW_ORDINARY:
        return None
    if said >= needed or (len({LEVEL_OF[word] for word in named}) > 1 and said >= NAMED_SHARE * lines):
        return said, ordinary
    return None
