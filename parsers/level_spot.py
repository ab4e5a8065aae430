"""Where a file writes its levels, learned from the file: the word of its lines that nearly always holds a level, in
the same dress (`[WARN]`, `I!`, `<info>`), at the same place or, where a variable number of header words comes first
(`... TID-9 INFO: ...`, `... TID-9 Worker JID-4 INFO: ...`), as the first word so dressed; or a small number at one
place that rises with the trouble its lines' words say (or falls with it, as syslog's severities do). Read from there,
a level costs one pattern match and a lookup, and a level word elsewhere (a message's own `error`) is not taken for
it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from parsers.levels import (
    LEVEL_LETTERS,
    LEVEL_OF,
    RISING_SEVERITY,
    SYSLOG_SEVERITY,
    infer_level,
    severity_contrast,
    token_dress,
)

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
# A small number alone in its word, with punctuation around it (`3`, `[2]`, `1]`, `<4>`); a column of them is read as
# levels only where at least this many of its lines say trouble, on the larger numbers.
_SMALL_NUMBER = re.compile(r'([^\w\s]{0,2})(\d)([^\w\s]{0,2})').fullmatch
MIN_TROUBLE = 2
# Fields of a word joined by colons (`1f4:err:net:...`, `[12:34:WARNING:file.cc(9)]`) searched for the level.
MAX_FIELDS = 4


def _level(word: str) -> str:
    return LEVEL_OF.get(word, '') if len(word) > 1 or word in LEVEL_LETTERS else ''


# What may follow a level word in its token (as `token_dress` reads it).
_WORD_END = r'(?![A-Za-z\d_]|[.-]\w|:/)'
_CASES = {'U': str.isupper, 'l': str.islower, 'T': str.istitle}


@dataclass(frozen=True, slots=True)
class LevelSpot:
    """The word at `position` in the dress `form`; with no position, the first level word so dressed among the first
    `reach`. The `ordinary` words of a column (Apple's `Default`, an `X` among `W`s) are its ordinary level, INFO.

    It is read with one pattern that skips the words before it and names the level words of its dress: cheaper than
    looking at each word."""

    position: int | None
    reach: int
    form: str
    ordinary: frozenset[str] = frozenset()
    # The levels of the numbers 0, 1, ... for a column of numbers.
    scale: tuple[str, ...] = ()
    # Fields of the word, joined by colons, before the level (`1f4:warn:net:connect ...` writes it after one).
    after_colons: int = 0
    _match: Callable[[str], re.Match[str] | None] = field(init=False, repr=False, compare=False)
    _levels: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The words before the spot: so many, or as few as will do.
        fixed = self.position is not None
        skip = (r'\s*(?:\S+\s+){' + (f'{self.position}}}' if fixed else f'0,{self.reach - 1}}}?')
                + r'(?:[^\s:]*:)' * self.after_colons)
        if self.scale:
            before, after = self.form.split('N', 1)
            levels = {str(number): level for number, level in enumerate(self.scale)}
            pattern = skip + re.escape(before) + r'(\d)' + re.escape(after) + r'(?!\S)'
        else:
            case = self.form[-1]
            if case == 'L':
                levels = {letter: LEVEL_OF[letter] for letter in LEVEL_LETTERS}
            else:
                levels = {word: level for word, level in LEVEL_OF.items()
                          if len(word) > 1 and word.isalpha() and _CASES[case](word)}
            levels |= dict.fromkeys(self.ordinary, 'INFO')
            words = '|'.join(sorted(levels, key=len, reverse=True))
            pattern = skip + re.escape(self.form[:-1]) + '(' + words + ')' + _WORD_END
        object.__setattr__(self, '_match', re.compile(pattern).match)
        object.__setattr__(self, '_levels', levels)

    def __call__(self, text: str) -> str:
        """The level the text writes at the spot, or ''."""
        found = self._match(text)
        return self._levels.get(found.group(1), '') if found is not None else ''


def learn_spot(texts: Sequence[str]) -> LevelSpot | None:
    """The spot where nearly every text writes a level, or None.

    A fixed place holds few words, nearly all level words, or two levels or more beside at most a couple of other
    words; failing that, a few small numbers that rise with trouble. Where the place varies, only capitals or a word
    with punctuation before it count (not an ordinary word that some messages start with), and no single letter."""
    if len(texts) < MIN_LINES:
        return None
    columns: defaultdict[tuple[int, int, str], Counter[str]] = defaultdict(Counter)
    numbers: defaultdict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    firsts: defaultdict[str, Counter[int]] = defaultdict(Counter)
    for index, text in enumerate(texts):
        seen = set()
        for position, word in enumerate(text.split(None, SPOT_WORDS)[:SPOT_WORDS]):
            dressed = token_dress(word)
            if dressed is None:
                number = _SMALL_NUMBER(word)
                if number is not None:
                    numbers[position, _number_dress(number)].append((int(number.group(2)), index))
                for colons, part in enumerate(word.split(':', MAX_FIELDS + 1)[1:MAX_FIELDS + 1], start=1):
                    if (dressed := token_dress(part)) is not None:
                        columns[position, colons, dressed[1]][dressed[0]] += 1
                continue
            core, dress = dressed
            columns[position, 0, dress][core] += 1
            if dress not in seen and _level(core):
                seen.add(dress)
                firsts[dress][position] += 1
    needed = AGREEMENT * len(texts)
    best: tuple[int, int, int, str, frozenset[str]] | None = None
    for (position, colons, dress), words in columns.items():
        found = _column(words, needed, len(texts))
        # The column naming the most levels, the first of equals.
        if found is not None and (best is None or (found[0], -position, -colons) > (best[0], -best[1], -best[2])):
            best = found[0], position, colons, dress, found[1]
    if best is not None:
        _, position, colons, dress, ordinary = best
        return LevelSpot(position, position + 1, dress, ordinary, after_colons=colons)
    for (position, dress), values in sorted(numbers.items()):
        scale = _scale(values, texts) if len(values) >= needed else None
        if scale is not None:
            return LevelSpot(position, position + 1, dress, scale=scale)
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


def _number_dress(number: re.Match[str]) -> str:
    return number.group(1) + 'N' + number.group(3)


def _scale(found: list[tuple[int, int]], texts: Sequence[str]) -> tuple[str, ...] | None:
    """The scale of levels a column of small numbers writes, or None for another column: a few values, all on the
    scale, the more severe levels on the lines whose words say trouble. The scale rises (0 debug .. 4 fatal) unless a
    number is above it: then it falls as syslog's (0 emergency .. 7 debug). Trouble on the smaller numbers of a column
    that writes none above 4 is no evidence: a worker's number may fall so."""
    values = {value for value, _ in found}
    scale = SYSLOG_SEVERITY if max(values) >= len(RISING_SEVERITY) else RISING_SEVERITY
    if not 1 < len(values) <= len(scale) or max(values) >= len(scale):
        return None
    seen = [(value, infer_level(texts[index].split())) for value, index in found]
    if sum(1 for _, words in seen if words) < MIN_TROUBLE or severity_contrast(scale, seen) <= 0:
        return None
    return scale
