"""Where a file writes its levels, learned from the file: the word of its lines that nearly always holds a level, in
the same dress (`[WARN]`, `I!`, `<info>`), at the same place or, where a variable number of header words comes first
(`... TID-9 INFO: ...`, `... TID-9 Worker JID-4 INFO: ...`), as the first word so dressed. Read from there, a level
costs a split and a lookup, and a level word elsewhere (a message's own `error`) is not taken for it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.levels import token_level

# Words of a line searched for the level.
SPOT_WORDS = 10
# Share of lines that must write a level in the same dress, and at the same place for a fixed position.
AGREEMENT = 0.9
# Lines needed to learn from.
MIN_LINES = 3


@dataclass(frozen=True, slots=True)
class LevelSpot:
    """The word at `position` in the dress `form`; with no position, the first word so dressed among the first
    `reach`."""

    position: int | None
    reach: int
    form: str

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
        found = token_level(word)
        return found[0] if found is not None and found[1] == self.form else ''


def learn_spot(texts: Sequence[str]) -> LevelSpot | None:
    """The spot where nearly every text writes a level, or None.

    A single letter (`I`, `W`) counts only at one place; a level at varying places only in capitals or with
    punctuation before it (not an ordinary word that some messages start with)."""
    if len(texts) < MIN_LINES:
        return None
    places: defaultdict[str, Counter[int]] = defaultdict(Counter)
    for text in texts:
        seen = set()
        for position, word in enumerate(text.split(None, SPOT_WORDS)[:SPOT_WORDS]):
            found = token_level(word)
            if found is not None and found[1] not in seen:
                seen.add(found[1])
                places[found[1]][position] += 1
    if not places:
        return None
    form, counts = max(places.items(), key=lambda item: item[1].total())
    needed = AGREEMENT * len(texts)
    if counts.total() < needed:
        return None
    position, count = counts.most_common(1)[0]
    if count >= needed:
        return LevelSpot(position, position + 1, form)
    if form.endswith('L') or form in ('l', 'T'):
        return None
    return LevelSpot(None, max(counts) + 1, form)
