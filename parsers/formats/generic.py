"""An unknown format's header, learned from the file itself and kept for the whole file.

No library infers log headers from a sample, so this is hand-written. The timestamp is the shape most lines carry
at the same word, after any prefix (a file name, a container name, a label and an epoch). After it, the header is
the run of word positions whose kind nearly every line shares (number, level word, [bracket], `component:`,
separator, host-like word) up to its last anchor: a level, a `component:`, a separator. A plain word counts as
header only where it looks like one: few distinct values (a host, a facility) or a digit in nearly every value
(a node id); the first words of messages are neither. `ts|component|pid|message` headers are read by field.
The header becomes one regular expression.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import pairwise

from parsers.formats import plain
from parsers.formats.base import CONTINUES, Format, Record, regex_format
from parsers.level_spot import learn_spot
from parsers.levels import LEVEL_LETTERS, LEVEL_MARKS, LEVEL_OF, LEVEL_WORDS, leading_level, message_id_level
from parsers.timestamps import TS_SHAPES, as_day_first, slash_day_first

NAME = 'learned'
# Share of sample lines that must agree before a shape is believed.
AGREEMENT = 0.9
# Share of sample lines that must carry the timestamp: the others may continue a record (stack frames).
TS_AGREEMENT = 0.6
# Words before the timestamp, header words after it.
MAX_PREFIX = 6
MAX_FIELDS = 10
MAX_PIPE_FIELDS = 6
# Records of many lines: at least this many openings, and this share of the lines; words before the timestamp.
MIN_OPENINGS = 3
SPARSE_SHARE = 0.02
MAX_SPARSE_PREFIX = 2
# Lines a record may have before the one with its time (an alert's title and classification).
MAX_LEAD_LINES = 3
# Shapes without a date, too common inside messages to open records.
_UNDATED = frozenset(('time', 'epoch'))
# A date of any of the shapes, for lines that write several (read whole: no shape's minute length holds for all).
_DATED = 'dated'
_SHAPES = TS_SHAPES | {_DATED: ('(?:' + '|'.join(pattern for name, (pattern, _) in TS_SHAPES.items()
                                                if name not in _UNDATED) + ')', 0)}
# Any words allowed between the last anchor and a separator (`name - message`).
MAX_WORDS_BEFORE_SEPARATOR = 2
# A header word has at most this many distinct values (or this share of the sample), or digits.
FEW_VALUES = 8
FEW_VALUES_SHARE = 0.05
_BRACKETED = r'[\[(](?:[^\[\]()]|[\[(][^\[\]()]*[\])])*[\])]'
_TOKEN = re.compile(r'(\s*)(' + _BRACKETED + r'|\S+)')
_SEPARATORS = frozenset(('-', '--', '---', ':', '|', ',', '>', '>>', '::', '=>', '->'))
_NUMBER = re.compile(r'[\d.:,+-]*\d[\d.:,+-]*').fullmatch
_DOTTED = re.compile(r'[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)+').fullmatch
_LEVEL_CORE = re.compile(r'[\[(<]?([A-Za-z]+)').match


def _level_field(words: str) -> str:
    """A level column: `INFO`, `[WARN]`, `<E>`, `ERROR/Main]`; a bracketed level may follow the last bracket
    directly and be padded (`][INFO ][`)."""
    return (r'(?:\s+|\s*(?=[\[(<]))[\[(<]? *(?P<level>' + words + r')(?![A-Za-z\d])'
            + r'(?:[^\s\[\]()<>]*(?: *[\])>])?(?=[\s\[(]|$)|\S*)')


_LEVEL_WORD_CHOICE = '|'.join(sorted(LEVEL_WORDS, key=len, reverse=True))
# A level word right after the time of a line without the file's header: its level, not part of its message.
# Single letters (`I`, `W`) are not trusted outside a column that holds them.
_LEVEL_WORD_FIELD = _level_field(_LEVEL_WORD_CHOICE)
_FIELD_PATTERNS = {
    'num': r'\s+\S+',
    'text': r'\s+\S+',
    # A single letter (`I`, `W`) only where the whole column holds them.
    'level': _level_field(_LEVEL_WORD_CHOICE + r'|[' + ''.join(sorted(LEVEL_LETTERS)) + r'](?=[\s\])>])'),
    # A column of one-character marks (`*`, `#`, `-`) that says how bad each line is.
    'mark': r'\s+(?P<level>[' + re.escape(''.join(LEVEL_MARKS)) + r'])(?=\s)',
    'bracket': r'\s*' + _BRACKETED,
    'sep': r'\s*(?:[-:|,>=]{1,3})',
    # `component:`, `program[pid]:`, `Two Words[pid]:`, `program:module:`; a line without it still parses.
    'comp': r'(?:\s+(?P<comp>[^\s\[\]:]+(?::[^\s\[\]:]+)*(?: [^\s\[\]:]+){0,2}?)(?:\[[^\]\s]*\])?:(?=\s|$))?',
    'comp_word': r'\s+(?P<comp>\S+)',
    'pipe': r'\|',
    'pipe_level': r'\s*(?P<level>[A-Za-z]*)\s*',
    'pipe_comp': r'(?P<comp>[^|]*)',
    'pipe_field': r'[^|]*',
    'csv': r',(?:"(?:[^"]|"")*"|[^,"]*)',
    'csv_level': r',(?P<level>' + '|'.join(sorted(LEVEL_WORDS, key=len, reverse=True)) + r')(?:,|$)',
    'colon': ':',
    'colon_level': r'(?P<level>[A-Za-z]+)',
    'colon_comp': r'(?P<comp>[^:\s]+)',
    'colon_field': r'[^:\s]*',
}
_LEVEL_KINDS = ('level', 'mark', 'pipe_level', 'csv_level', 'colon_level')
# A CSV row's cells after the timestamp: quoted (with "" inside) or bare.
_csv_cells = re.compile(r',("(?:[^"]|"")*"|[^,"]*)').findall
MAX_CSV_FIELDS = 30
MAX_COLON_FIELDS = 4


def learn(sample: Sequence[str]) -> Format | None:
    """The learned format of the sample, or None when its lines share no timestamped or numbered header.

    Indented lines continue records, `#` lines are comments or directives (W3C's `#Fields:`) and a JSON object's
    header is its keys: none has the header, so none counts against it. Where the unindented lines have no header,
    the lines at the indentation most lines share may: a margin before every record.
    """
    return _learn(sample) or _learn_in_margin(sample)


def _learn_in_margin(sample: Sequence[str]) -> Format | None:
    """Records that all start after the same indentation (a leading space on every line, a program's records
    indented under its banner): the header learned from the lines at that indentation, which is no continuation
    there; lines indented deeper still continue the record above, and a line left of the margin (a banner's line)
    is a record without the header: continuations indent deeper than their record, not less."""
    margins = Counter(line[:len(line) - len(line.lstrip(' \t'))] for line in sample if line.strip())
    margin, count = margins.most_common(1)[0] if margins else ('', 0)
    if not margin or count * 2 < sum(margins.values()):
        return None
    width = len(margin)
    learned = _learn([line[width:] for line in sample if line.startswith(margin) and line[width] not in ' \t'])
    if learned is None:
        return None
    inner = learned.parse

    def parse(line: str) -> Record | None:
        if line.startswith(margin):
            return inner(line[width:]) if line[width:width + 1] not in (' ', '\t') else None
        text = line.lstrip(' \t')
        return (None, leading_level(text), None, text) if text and len(line) - len(text) < width else None

    return replace(learned, parse=parse)


def _learn(sample: Sequence[str]) -> Format | None:
    lines = [line for line in sample if line.strip() and line[0] not in ' \t{']
    uncommented = [line for line in lines if line[0] != '#']
    # `#` opens comments and directives (W3C's, several before each line of data); where nearly every line opens
    # with it, it opens the header (`####<...>`).
    if len(uncommented) >= max(2, (1 - AGREEMENT) * len(lines)):
        lines = uncommented
    if len(lines) < 2:
        return _aligned(sample)
    # A level in angle brackets glued to the time opening nearly every line: `<W>2025-08-06 11:35:18.914 ...`.
    glued = [found.group(1) for line in lines if (found := _glued_level(line)) is not None]
    is_glued = _agree(len(glued), len(lines)) and sum(1 for word in glued if word in LEVEL_OF) * 2 >= len(glued)
    shape = _timestamp_shape([line[found.end():] if (found := _glued_level(line)) else line for line in lines]
                             if is_glued else lines)
    if shape is None:
        return (_sparse([line for line in sample if line.strip() and line[0] not in ' \t']) or _numbered(lines)
                or _aligned(sample) or _untimed(lines))
    name, prefix, joined = shape
    # Words joined to the time by colons: a process id, the file name or line number grep writes, or a bracketed
    # header's ids (`[pid:tid:time:...]`).
    before_ts = r'[\[(<]?(?:[^\s\[\]():<>]+:)+' if joined else r'(?:' + _GLUED_OPENER_PATTERN + ')?'
    after_glue = r'(?:\S+\s+){' + str(prefix) + r'}' + before_ts + r'(?P<ts>' + _SHAPES[name][0] + r')[\])>]?'
    ts_part = (_GLUED if is_glued else '') + after_glue
    head = re.compile(ts_part + r'(?P<rest>.*)')
    # A level among the words before the time (`INFO  [main] 2019-03-06 10:20:01,005 Foo.java:12 - msg`) is read there.
    level_at = None if is_glued else _level_before_time([line for line in lines if head.match(line)], prefix)
    full_ts_part = ts_part if level_at is None else (
        r'(?:\S+\s+){' + str(level_at) + r'}[\[(<]?(?P<level>' + _LEVEL_WORD_CHOICE + r')[\])>:]?\s+(?:\S+\s+){'
        + str(prefix - level_at - 1) + r'}' + before_ts + r'(?P<ts>' + _SHAPES[name][0] + r')[\])>]?')
    if is_glued:
        full_ts_part = _GLUED.replace('(', '(?P<level>', 1) + after_glue
    level_first = is_glued or level_at is not None
    rests = [found.group('rest') for line in lines if (found := head.match(line))]
    # Too few: the shape was seen inside words (`msg=audit(1485…`), not as a header. The other lines may continue
    # records (a quoted field over several lines, `Caused by: ...`).
    if len(rests) < TS_AGREEMENT * len(lines):
        return None
    fields = None
    if _agree(sum(1 for rest in rests if rest.startswith('|')), len(rests)):
        fields = _pipe_fields(rests)
    elif _agree(sum(1 for rest in rests if rest[:1] == ',' and rest[1:2] not in (' ', '')), len(rests)):
        fields = _csv_fields(rests)
    elif _agree(sum(1 for rest in rests if _joined_cell(rest)), len(rests)):
        fields = _colon_fields(rests)
    if fields is None:
        fields = _token_fields(rests)
    if level_first:
        fields = [kind for kind in fields if kind not in _LEVEL_KINDS]
    body = _body(fields)
    if not level_first and not any(kind in _LEVEL_KINDS for kind in fields):
        body += '(?P<level>)'
    if not any(kind in ('comp', 'comp_word', 'pipe_comp', 'colon_comp') for kind in fields):
        body += '(?P<comp>)'
    minute_len = _SHAPES[name][1]
    full = regex_format(NAME, full_ts_part + body + r'\s*(?P<msg>.*)', lines[:3], minute_len=minute_len,
                        levels=LEVEL_OF | LEVEL_MARKS if 'mark' in fields else None)
    if not _agree(sum(1 for line in lines if full.parse(line) is not None), len(rests)):
        return None
    # A line with the timestamp but not the rest of the header still starts a record: a level word after the time
    # is its level (as where the header has one), the rest its message.
    bare = regex_format(NAME, ts_part + r'(?:' + _LEVEL_WORD_FIELD + r')?(?P<comp>)\s*(?P<msg>.*)', lines[:3]).parse
    whole = full.parse
    has_level = level_first or any(kind in _LEVEL_KINDS for kind in fields)
    stamps = (found.group('ts') for line in lines if (found := head.match(line)))
    day_first = name == 'us_date' and slash_day_first(stamps)
    find_time = _SHAPE_SEARCHES[name]
    letter_in_time = name == 'glog'  # `I1126 09:14:02.101`: the time opens with the level
    # No level column, but a level word inside the header's words on nearly every line: `[main/INFO]:`, `app.ERROR:`.
    inner_level = not has_level and _agree(sum(1 for line in lines if _header_level(line, whole(line))), len(rests))
    spot = learn_spot([line for line in lines if head.match(line)])
    # A word at a fixed place opens a record even without the header; a number there may be any line's.
    fixed_spot = spot if spot is not None and spot.position is not None and not spot.scale else None

    def parse(line: str) -> Record | None:
        record = whole(line) or bare(line)
        if record is None:
            # A comment or directive is a record of its own, never part of the one before; so is a line without the
            # time that writes a level where the file's lines write theirs.
            if line[:1] == '#':
                return None, '', None, line
            level = fixed_spot(line) if fixed_spot is not None and line[:1] not in (' ', '\t') else ''
            return _spotted(line, level, find_time, day_first) if level else None
        if day_first and record[0]:
            record = (as_day_first(record[0]), *record[1:])
        if record[1]:
            return record
        if inner_level and (level := _header_level(line, record)):
            return record[0], level, record[2], record[3]
        # No level column, or a line the whole header does not read: the level where the file's lines write it,
        # else one written at the start of the message.
        level = (LEVEL_OF[record[0][0]] if letter_in_time and record[0]
                 else (spot(line) if spot is not None else '') or leading_level(record[3]))
        return (record[0], level, record[2], record[3]) if level else record

    return Format(name=NAME, parse=parse, samples=tuple(lines[:3]), weight=0.9, minute_len=minute_len)


def _spotted(line: str, level: str, find_time: Callable[[str, int, int], re.Match[str] | None],
             day_first: bool) -> Record:
    """The record of a line without the file's header that writes its level where the file's lines do: the time
    of the file's shape, where the line has it, and what follows it."""
    found = find_time(line, 0, 200)
    if found is None:
        return None, level, None, line
    ts = found.group(0)
    return as_day_first(ts) if day_first else ts, level, None, line[found.end():].lstrip(' :])')


_GLUED = r'<([A-Za-z]{1,9})>'
_glued_level = re.compile(_GLUED + r'(?=\d)').match


def _header_level(line: str, record: Record | None) -> str:
    """The level word inside the words of a line's header, before its message, or ''."""
    found = _inner_level(line, 0, len(line) - len(record[3])) if record is not None else None
    return LEVEL_OF[found.group(1)] if found is not None else ''


def _level_before_time(lines: list[str], prefix: int) -> int | None:
    """The place among the `prefix` words before the time where nearly every line writes a level word, if any."""
    rows = [line.split(None, prefix)[:prefix] for line in lines]
    for position in range(prefix):
        words = [row[position] for row in rows if position < len(row)]
        if _agree(sum(1 for word in words if _kind(word) == 'level' and len(word.strip('[(<])>:')) > 2), len(lines)):
            return position
    return None


def _sparse(lines: list[str]) -> Format | None:
    """Records of many lines (an error log's entries, a slow-query log's queries): a few lines open with the same
    words and a dated timestamp, and every line up to the next such one belongs to the record. Failing that, a few
    lines open with the same capitalised word and carry a dated timestamp further on (a web framework's request:
    `Started GET "/" for ::1 at 2012-03-10 14:28:14 +0100`, then the lines it logs while serving it). Where the
    lines a little before each dated one open with the same word (an alert's `[**] ... [**]` title), those open the
    records, and the time is read from the later line."""
    dated = [found for line in lines if (found := _dated_opening(line)) is not None]
    openings = Counter((found.lastgroup or '', found.group('prefix')) for found in dated)
    (name, prefix), count = openings.most_common(1)[0] if openings else (('', ''), 0)
    worded = not _enough(count, lines)
    if worded:
        dated = [found for line in lines if (found := _worded_opening(line)) is not None]
        openings = Counter((found.lastgroup or '', found.group('word')) for found in dated)
        if not openings:
            return None
        (name, prefix), count = openings.most_common(1)[0]
        if not _enough(count, lines):
            return None
    # Day-first dates read in the dotted form: a file of dotted ones writes its slashed ones day first too, and one
    # slashed date with a day above 12 shows the order of the others.
    day_first = name == 'dmy' or (name == 'us_date' and slash_day_first(
        found.group(name) for found in dated if found.lastgroup == name))
    shape = r'(?P<ts>' + _SHAPES[name][0] + r')'
    cells = None
    if worded:
        opening = re.compile(re.escape(prefix) + r'\s.{0,200}?(?<=[\s(])' + shape + r'(?=[\s\])|,:]|$)').match
    else:
        # `ts:LEVEL:logger:message`: the cells joined to the time are read as in a header of one line.
        rests = [found.string[found.end():] for found in dated
                 if (found.lastgroup, found.group('prefix')) == (name, prefix)]
        cells = _colon_fields(rests) if _agree(sum(1 for rest in rests if _joined_cell(rest)), len(rests)) else None
        opening = re.compile(re.escape(prefix) + shape + r'[\])]?' + (_body(cells) if cells else '')
                             + r'\s*(?P<msg>.*)').match
    lead = None if worded else _lead(lines, [index for index, line in enumerate(lines)
                                             if (found := _dated_opening(line)) is not None
                                             and (found.lastgroup, found.group('prefix')) == (name, prefix)])
    if lead is not None:
        return _led(lead, opening, name, day_first, lines)

    def parse(line: str) -> Record | None:
        found = opening(line)
        if found is None:
            return None
        ts = found.group('ts')
        message = line if worded else found.group('msg')
        written, comp = ('', None) if cells is None else (
            LEVEL_OF.get(found['level'], ''), found.groupdict().get('comp'))
        return as_day_first(ts) if day_first else ts, written or leading_level(message), comp, message

    def assemble(event_lines: Sequence[str]) -> Record:
        record = parse(event_lines[0]) or (None, '', None, event_lines[0])
        if worded:
            # A request's outcome is in the line that closes it (`Completed 500 Internal Server Error in 3ms`): the
            # message names both, so that failed requests group apart and their words give the level.
            closing = next((line for line in reversed(event_lines[1:]) if line.strip() and line[0] not in ' \t'), '')
            return (record[0], record[1], None, f'{record[3]} … {closing}') if closing else record
        if record[1]:
            return record
        # java.util.logging writes the level to open the second line: `SEVERE: message`.
        second = _LEVEL_OPENING(event_lines[1]) if len(event_lines) > 1 else None
        level = LEVEL_OF.get(second.group(1), '') if second else ''
        if second is not None and level and (source := _SOURCE(record[3])) is not None:
            # Its first line names the source, `class method`: the class is the component, the message follows the
            # level.
            return record[0], level, source.group(1), event_lines[1][second.end():].strip()
        return record[0], level or message_id_level(event_lines), record[2], record[3]

    return Format(name=NAME, parse=parse, samples=tuple(lines[:3]), weight=0.9, minute_len=_SHAPES[name][1],
                  assemble=assemble)


def _lead(lines: list[str], dated: list[int]) -> str | None:
    """The first word of the lines that open records whose time is on a later line (`[**] [1:1000006:0] TCP
    connection [**]`, then a classification, then the time): the word a few lines before nearly every dated line,
    the first one included, that opens hardly any other line."""
    for distance in range(1, MAX_LEAD_LINES + 1):
        if not dated or dated[0] < distance:
            return None
        words = [lines[index - distance].split(None, 1)[0] for index in dated]
        word = words[0]
        opened = sum(1 for line in lines if line.split(None, 1)[0] == word)
        if _agree(words.count(word), len(dated)) and _agree(len(dated), opened) and _dated_opening(word) is None:
            return word
    return None


def _led(lead: str, dated: Callable[[str], re.Match[str] | None], name: str, day_first: bool,
         lines: list[str]) -> Format:
    """Records opened by a line starting with `lead` whose time is on one of the next lines."""

    def parse(line: str) -> Record | None:
        if line.startswith(lead) and line[len(lead):len(lead) + 1] in (' ', '\t', ''):
            return None, leading_level(line[len(lead):].lstrip()), None, line
        # The line with the time belongs to the record above it.
        return CONTINUES if dated(line) is not None else None

    def assemble(event_lines: Sequence[str]) -> Record:
        record = parse(event_lines[0]) or (None, '', None, event_lines[0])
        timed = next((found for line in event_lines[1:MAX_LEAD_LINES + 1] if (found := dated(line)) is not None), None)
        ts = timed.group('ts') if timed else None
        return (as_day_first(ts) if ts and day_first else ts), record[1], record[2], record[3]

    return Format(name=NAME, parse=parse, samples=tuple(lines[:3]), weight=0.9, minute_len=_SHAPES[name][1],
                  assemble=assemble)


def _enough(openings: int, lines: list[str]) -> bool:
    return openings >= MIN_OPENINGS and openings >= SPARSE_SHARE * len(lines)


# A dated timestamp after the fewest words (at most MAX_SPARSE_PREFIX), the shape named by its group.
_dated_opening = re.compile(
    r'(?P<prefix>(?:\S+\s+){0,' + str(MAX_SPARSE_PREFIX) + r'}?[\[(]?)(?:'
    + '|'.join(f'(?P<{name}>{pattern})' for name, (pattern, _) in TS_SHAPES.items() if name not in _UNDATED)
    + r')(?=[\s\])|,:]|$)'
).match
_LEVEL_OPENING = re.compile(r'([A-Z]{3,11}):(?=\s)').match
# A capitalised first word, or one in capitals after a mark (`!ENTRY`, `@EVENT`), then a dated timestamp further on
# (after a space or an opening parenthesis).
_worded_opening = re.compile(
    r'(?P<word>[A-Z][a-z]+|[!#$%&*+@^~][A-Z]{2,})\s.{0,200}?(?<=[\s(])(?:'
    + '|'.join(f'(?P<{name}>{pattern})' for name, (pattern, _) in TS_SHAPES.items() if name not in _UNDATED)
    + r')(?=[\s\])|,:]|$)'
).match
# java.util.logging's source: a class, a space, a method (`org.apache.catalina.startup.Catalina load`).
_SOURCE = re.compile(r'([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+) [A-Za-z_$<][\w$<>]*').fullmatch
_NUMBERED = re.compile(r'(\d+) ([A-Za-z]+)\b:? ?(.*)').match


def _numbered(lines: list[str]) -> Format | None:
    """`25 silly message` (npm's debug log and the like): a sequence number, mostly a level word, the message.

    A line that repeats the number of the line before continues its record (an object printed over several lines).
    """
    found = [match for line in lines if (match := _NUMBERED(line))]
    numbers = [int(match.group(1)) for match in found]
    if not (_agree(len(found), len(lines)) and len(set(numbers)) < len(numbers)
            and all(one <= two for one, two in pairwise(numbers))
            and sum(1 for match in found if match.group(2) in LEVEL_WORDS) * 2 >= len(found)):
        return None
    previous = ['']

    def parse(line: str) -> Record | None:
        match = _NUMBERED(line)
        if match is None:
            return None
        number, word, message = match.groups()
        if number == previous[0]:
            return CONTINUES
        previous[0] = number
        return None, LEVEL_OF.get(word, ''), None, message

    return Format(name=NAME, parse=parse, samples=tuple(lines[:3]), weight=0.9, stateful=True)


# Seconds since start, right-aligned, bare or in brackets.
_ALIGNED_NUMBER = re.compile(r'(\[)?( *)(\d+\.\d+)(?(1)\])(?:\s|$)').match


def _aligned(sample: Sequence[str]) -> Format | None:
    """Records opened by the seconds since start, right-aligned (`   2.982 Loading mod ...`, `[    27.170] ...`):
    the padding aligns the numbers and does not make the line continue the one above; lines without the number (a
    table printed over several lines, a banner) do."""
    numbered = [found for line in sample if (found := _ALIGNED_NUMBER(line)) is not None]
    columns = Counter(found.end(3) for found in numbered)
    column, count = columns.most_common(1)[0] if columns else (0, 0)
    if not (_enough(count, [line for line in sample if line.strip()]) and _agree(count, len(numbered))
            and any(found.group(2) for found in numbered)):
        return None

    def parse(line: str) -> Record | None:
        found = _ALIGNED_NUMBER(line)
        if found is None or found.end(3) != column:
            return None
        message = line[found.end():]
        return None, leading_level(message), None, message

    return Format(name=NAME, parse=parse, samples=tuple(sample[:3]), weight=0.9)


def _untimed(lines: list[str]) -> Format | None:
    """Lines without a time that write their level at one place where plain text's reading finds none (a letter
    and a tag, `E/Net(404): ...`; `[812] W: ...`): every unindented line is a record, as in plain text, with the level
    read at that place."""
    spot = learn_spot(lines)
    if spot is None or spot.position is None:
        return None
    if _agree(sum(1 for line in lines if (record := plain.parse(line)) is not None and record[1]), len(lines)):
        return None

    def parse(line: str) -> Record | None:
        if not line or line[0] in ' \t':
            return None
        return None, spot(line) or leading_level(line), None, line

    return Format(name=NAME, parse=parse, samples=tuple(lines[:3]), weight=0.9)


def _body(fields: list[str]) -> str:
    """The header's pattern; a group name a column repeats (a second `comp`) names only its first column."""
    named: set[str] = set()
    parts = []
    for kind in fields:
        pattern = _FIELD_PATTERNS[kind]
        for name in _GROUP_NAMES(pattern):
            if name in named:
                pattern = pattern.replace(f'(?P<{name}>', '(?:')
            named.add(name)
        parts.append(pattern)
    return ''.join(parts)


_GROUP_NAMES = re.compile(r'\(\?P<(\w+)>').findall


def _timestamp_shape(lines: list[str]) -> tuple[str, int, bool] | None:
    """The timestamp shape, the number of words before it and whether the last of them is joined to it by a colon
    (`4012:20261126:091402.101`), that most lines share."""
    votes: Counter[tuple[str, int, bool]] = Counter()
    for line in lines:
        dated_at: set[tuple[int, bool]] = set()
        for name in TS_SHAPES:  # each shape on its own: the shape of any date is voted for below
            hit = _SHAPE_SEARCHES[name](line, 0, 200)
            if hit is None:
                continue
            before = line[:hit.start()]
            joined = before[-1:] == ':' and before[-2:-1] not in ('', ' ', '\t')
            opener = _glued_opener(before)
            words = len((before if opener is None else before[:opener.start()]).split()) - joined
            if words <= MAX_PREFIX:
                votes[name, words, joined] += 1
                if name not in _UNDATED:
                    dated_at.add((words, joined))
        for words, joined in dated_at:
            votes[_DATED, words, joined] += 1
    if not votes:
        return None
    order = list(_SHAPES)
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0][1], item[0][2], order.index(item[0][0])))
    (name, prefix, joined), count = next(item for item in ranked if item[0][0] != _DATED)
    dated = next((item for item in ranked if item[0][0] == _DATED), None)
    if dated is not None and name in _UNDATED and dated[1] >= count and dated[0][1] <= prefix:
        # Lines that open with dates of several shapes (the programs of one container each writing their own): a
        # date of any shape, rather than the time of day they share after it.
        (name, prefix, joined), count = dated
    return (name, prefix, joined) if count >= TS_AGREEMENT * len(lines) else None


def opening_record(line: str, *, after_level: bool = False) -> Record | None:
    """A line no format of the file reads that opens with a dated timestamp (after at most one word, or seconds
    since 1970 in brackets) starts a record of its own: continuation lines do not begin with the time. A level word
    or a lone mark after the time (`*`, `#`; not the dash that also separates) is its level. A line that opens with
    a level word in brackets (`[INFO] ...`, a record written without its time) starts one too.

    After a record whose header wrote a level (`after_level`), so does a line that opens with a level word and a
    colon (`Fatal: ...`, `warning: ...`: a program's own words on its error stream); after a record without one, that
    word is the record's level on its second line (java.util.logging's `SEVERE: ...`)."""
    found = _opening(line, 0, 300)
    if found is None:
        leading = _level_opening(line) or (_level_colon(line) if after_level else None)
        return None if leading is None else (None, LEVEL_OF[leading.group(1)], None, line)
    message = found.group('msg')
    mark, word = found.group('mark', 'level')
    level = LEVEL_MARKS[mark] if mark else LEVEL_OF[word] if word else leading_level(message)
    return found.group('ts'), level, None, message


# The word before the time is tried last: a time that opens the line is read whole (`Wed Dec 17 16:11:57 CST 2014`,
# not `Dec 17 16:11:57` after `Wed`).
_opening = re.compile(
    r'(?:\S+\s+)??[\[(]?(?P<ts>' + '|'.join(pattern for name, (pattern, _) in TS_SHAPES.items() if name not in _UNDATED)
    + r'|(?<=[\[(])' + TS_SHAPES['epoch'][0] + r')[\])]?(?=[\s,:]|$)'
    + r'(?:\s+(?P<mark>[.*#!+])(?=\s)|' + _LEVEL_WORD_FIELD + r')?\s*(?P<msg>.*)'
).match


# Shapes that write the year and the time of day.
_YEAR_AND_TIME = ('iso', 'iso_dotted_clock', 'ymd_other', 'yy_slash', 'us_date', 'us_date_dash', 'dmy',
                  'month_day_year', 'ctime', 'rfc822', 'clf', 'day_mon_year')
_dated_within = re.compile(r'(?:^|(?<=[\s\[(:=]))(?:' + '|'.join(TS_SHAPES[name][0] for name in _YEAR_AND_TIME)
                           + r')(?=[\s\])|,:.=]|$)').search


def dated_within(line: str) -> str | None:
    """The first date written with its year and a time among a line's first characters, or None."""
    found = _dated_within(line, 0, 300)
    return found.group(0) if found is not None else None


# A level word that ends a word of the header after a slash, a dot or a bracket (`[Server thread/WARN]:`,
# `local.ERROR:`, `util.py[DEBUG]:`).
_inner_level = re.compile(r'(?<=[/.\[(])(' + _LEVEL_WORD_CHOICE + r')(?=[\])]|:)').search


_level_opening = re.compile(r'[\[(<](' + _LEVEL_WORD_CHOICE + r')[\])>]:?\s').match
# The level words a line may open with, before a colon, in any case. Not `Error:`: JavaScript opens the stack of an
# error logged with a record so, and it belongs to that record.
_COLON_LEVELS = ('TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'SEVERE', 'CRITICAL', 'FATAL', 'EMERGENCY')
_level_colon = re.compile(
    '(' + '|'.join(sorted((word for word in LEVEL_OF if word.upper() in _COLON_LEVELS), key=len, reverse=True))
    + r'):\s').match


def colon_level(line: str) -> str:
    """The level a line opens with before a colon (`SEVERE: ...`, `warning: ...`), or ''."""
    found = _level_colon(line)
    return LEVEL_OF[found.group(1)] if found is not None else ''


# Each shape found at the start of a word (or just inside a bracket, or after a word and a colon).
_SHAPE_SEARCHES = {
    name: re.compile(r'(?:^|(?<=[\s\[(<:]))(?:' + pattern + r')(?=[\s\])>|,:]|$)').search
    for name, (pattern, _) in _SHAPES.items()
}
# Punctuation glued to the time that opens it, no word of the header: `[`, `(`, `<`, `####<`.
_GLUED_OPENER_PATTERN = r'[^\w\s]*[\[(<]'
_glued_opener = re.compile(r'(?:^|(?<=\s))' + _GLUED_OPENER_PATTERN + '$').search


def _token_fields(rests: list[str]) -> list[str]:
    rows = [_tokens(rest) for rest in rests]
    total = len(rows)
    fields: list[str] = []
    anchor = 0
    words_since = 0
    plain_since = False
    for position in range(MAX_FIELDS):
        kind = _column_kind([row[position][0] if position < len(row) else '' for row in rows], total)
        if kind is None and _comp_column(rows, position, total):
            kind = 'comp'
        if kind is None or (anchor and fields[anchor - 1] in ('level', 'mark') and words_since):
            # After a level only brackets, separators and a `component:` belong to the header.
            break
        values = [row[position][0] for row in rows if position < len(row)]
        fields.append(kind)
        if kind == 'text':
            words_since += 1
            plain_since = plain_since or not _header_like(values, total)
            continue
        if kind in ('level', 'mark') and fields.count(kind) == 1 and not plain_since:
            anchor = len(fields)
        elif kind == 'comp' and not plain_since:
            anchor = len(fields)
            break
        elif kind == 'sep' and words_since <= MAX_WORDS_BEFORE_SEPARATOR:
            if words_since and fields[-2] == 'text' and 'comp' not in fields:
                fields[-2] = 'comp_word'
            anchor = len(fields)
        elif kind in ('num', 'bracket') and not words_since:
            anchor = len(fields)
        else:
            continue
        words_since, plain_since = 0, False
    fields = fields[:anchor]
    if fields and fields[-1] in ('level', 'mark'):
        _component_after_level(rows, fields, total)
    elif len(fields) >= 2 and fields[-1] == 'bracket' and fields[-2] in ('level', 'mark'):
        # `LEVEL [thread] org.apache.catalina.startup.Catalina.load msg` (Tomcat's one-line records): the class.
        _component_after_level(rows, fields, total, dotted_only=True)
    return fields


def _component_after_level(rows: list[list[tuple[str, bool]]], fields: list[str], total: int, *,
                           dotted_only: bool = False) -> None:
    """`LEVEL logger.name msg` or a padded column `LEVEL  Name    msg`: the word after the level names the source;
    after a bracket (the thread) only a dotted name does."""
    position = len(fields)
    cells = [row[position] for row in rows if position < len(row) - 1]
    if not _agree(sum(1 for token, padded in cells if (padded and not dotted_only) or _DOTTED(token)), total):
        return
    fields.append('comp_word')
    position += 1
    while _column_kind([row[position][0] if position < len(row) - 1 else '' for row in rows], total) == 'bracket':
        fields.append('bracket')
        position += 1


def _comp_column(rows: list[list[tuple[str, bool]]], position: int, total: int) -> bool:
    """Most lines have `component:` here, the others a few words later (`Two Words[pid]:`)."""
    here = near = 0
    for row in rows:
        kinds = [_kind(token) for token, _ in row[position:position + 3]]
        here += bool(kinds) and kinds[0] == 'comp'
        near += 'comp' in kinds
    return here * 2 >= total and _agree(near, total)


def _tokens(rest: str) -> list[tuple[str, bool]]:
    """The first words of a line after its timestamp, each with whether two or more spaces follow it."""
    found = [(match.group(1), match.group(2))
             for _, match in zip(range(MAX_FIELDS + 2), _TOKEN.finditer(rest), strict=False)]
    return [(token, index + 1 < len(found) and len(found[index + 1][0]) > 1)
            for index, (_, token) in enumerate(found)]


def _column_kind(tokens: list[str], total: int) -> str | None:
    marks = [token for token in tokens if token in LEVEL_MARKS]
    if _agree(len(marks), total) and len(set(marks)) > 1:
        # Two marks or more: a level column, not a separator.
        return 'mark'
    kinds = Counter(_kind(token) for token in tokens)
    kind, count = kinds.most_common(1)[0]
    if kind != 'none' and _agree(count, total):
        return kind
    if _agree(kinds['text'] + kinds['num'], total):
        return 'text'
    return None


def _kind(token: str) -> str:
    if not token:
        return 'none'
    if token in LEVEL_LETTERS or (len(token) == 3 and token[0] in '[(<' and token[1] in LEVEL_LETTERS):
        return 'level'
    core = _LEVEL_CORE(token)
    if core is not None and core.group(1) in LEVEL_WORDS and (len(core.group(0)) == len(token)
                                                              or not token[len(core.group(0))].isalnum()) \
            and '://' not in token:  # `http://...` is an address, not npm's http level
        return 'level'
    if token in _SEPARATORS:
        return 'sep'
    if token[0] in '[(' and token[-1] in '])':
        return 'bracket'
    if _NUMBER(token):
        return 'num'
    if len(token) > 1 and token[-1] == ':' and '=' not in token and '//' not in token:
        return 'comp'
    return 'text'


def _header_like(values: list[str], total: int) -> bool:
    """A host, facility or node column rather than the first words of messages."""
    if len(set(values)) <= max(FEW_VALUES, FEW_VALUES_SHARE * total):
        return True
    return _agree(sum(1 for value in values if any(char.isdigit() for char in value)), total)


def _pipe_fields(rests: list[str]) -> list[str]:
    # `ts|component|pid|message`: the header is the fields nearly every line has; the last one is the message.
    header = min(Counter(rest.count('|', 0, 2000) for rest in rests).most_common(1)[0][0], MAX_PIPE_FIELDS)
    fields = ['pipe']
    for index in range(1, header):
        values = [rest.split('|', header)[index].strip() for rest in rests if rest.count('|') >= header]
        fields += [_cell_kind('pipe', fields, values, len(values)), 'pipe']
    return fields


def _csv_fields(rests: list[str]) -> list[str] | None:
    """`ts,user,db,pid,...,LEVEL,code,"message"` (PostgreSQL's csvlog and the like): the cells up to the first one
    that holds a level on nearly every line; None when no cell does."""
    rows = [_csv_cells(rest, 0, 4000)[:MAX_CSV_FIELDS] for rest in rests]
    for position in range(MAX_CSV_FIELDS):
        values = [row[position] for row in rows if position < len(row)]
        if _agree(sum(1 for value in values if value in LEVEL_WORDS), len(rows)):
            return ['csv'] * position + ['csv_level']
    return None


def _joined_cell(rest: str) -> bool:
    """Whether what follows the time opens with a colon and a word joined to it (`:DEBUG:...`)."""
    return rest[:1] == ':' and rest[1:2] not in (' ', '\t', '')


def _colon_fields(rests: list[str]) -> list[str] | None:
    """`ts:LEVEL:logger:message` (Python's logging with colons between its fields): the cells after the time that
    nearly every line fills with one word, up to the message; None when none of them holds a level."""
    rows = [rest[1:].split(':', MAX_COLON_FIELDS) for rest in rests]
    fields = ['colon']
    for position in range(MAX_COLON_FIELDS):
        # The last cell of a line is its message, never a header word.
        values = [row[position] for row in rows if position < len(row) - 1]
        if not _agree(sum(1 for value in values if value and not any(char.isspace() for char in value)), len(rows)):
            break
        fields += [_cell_kind('colon', fields, values, len(rows)), 'colon']
    return fields if 'colon_level' in fields else None


def _cell_kind(separator: str, fields: list[str], values: list[str], total: int) -> str:
    """What a header cell between separators holds: the level (the first cell of level words), the component (the
    first cell that is not mostly numbers), or another field."""
    if f'{separator}_level' not in fields and _agree(sum(value in LEVEL_WORDS for value in values), total):
        return f'{separator}_level'
    if f'{separator}_comp' not in fields and not _agree(sum(value.isdigit() for value in values), total):
        return f'{separator}_comp'
    return f'{separator}_field'


def _agree(count: int, total: int) -> bool:
    return total > 0 and count >= AGREEMENT * total
