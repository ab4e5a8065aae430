"""From lines to events: the format of each run of lines, and the lines that make up each event (a header line and
its stack trace, a wrapped line and its continuations).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from operator import is_
from typing import cast

from parsers import wrappers
from parsers.crashes import CHAINED, CONTINUATION, FRAME, TRACE_NOTE, TRACEBACK, crash_start_level, opens_error
from parsers.formats import CONTINUES, Format, Record, detect, plain
from parsers.formats.generic import colon_level, dated_within, opening_record
from parsers.incidents import CAUSE_WORDS, ERROR_WORDS
from parsers.levels import infer_level
from parsers.timestamps import MONTHS

SAMPLE_LINES = 400
# After this many lines that no format reads, the format is detected again from what follows.
RELEARN_AFTER = 200
# A line with neither a header nor the shape of a continuation (no indentation, frame or `Caused by`) continues the
# event before it only while the log shows such lines lately: within this many lines of the last one, or of the
# start. Past that it is another program's output printed into the log, and an event of its own.
STRAY_AFTER = 100
# Lines in a row that no container wrapper wrote, after which the lines of a wrapped log are read as they are.
BARE_RUN = 2
# Line openings remembered with the format that read them, so interleaved formats cost one lookup.
MAX_PREFIXES = 10_000
# A rule of dashes and a label (logcat's `--------- beginning of main`): it says where the lines after it come from.
# After a record it is no record of its own nor part of that record's lines (its group and example stay the record's
# own); it is not sampled to learn the format. Only as the log's first line, with no record to follow, is it one.
# An item of a list written without indentation.
_ITEMS = ('- ', '• ')
_BANNER = re.compile(r'-{5,} [A-Za-z][\w .:/()-]*').fullmatch
# A line of a drawn table: a row between bars, a rule of dashes or equals signs between corners, box-drawing characters.
_RULED = re.compile(r'\|.*\|\s*$|\+[-=]+\+[-=+]*\s*$|[\u2500-\u257f]').match
# SQL: the verb that opens a statement, and the clauses that go on with it on lines of their own.
_SQL_STATEMENT = re.compile(r'(?:select|insert|update|delete|with)\b', re.IGNORECASE).match
_SQL_CLAUSE = re.compile(
    r'(?:from|where|and|or|join|(?:inner|left|right|full|cross)(?: outer)? join|on|order by|group by|having|limit'
    r'|offset|set|values|returning|union(?: all)?)\b', re.IGNORECASE).match
_ANNOUNCING = re.compile(r'[^\W\d_][)\]]?:$').search
_HEADING = re.compile(r'([#=*])\1{4,} +[A-Za-z]').match
_CLOSING = re.compile(r'\s*[#|]{0,2}[\])}>]{1,3}[;,]?\s*').fullmatch
_LETTER = re.compile(r'[^\W\d_]').search
_INDENTED_ITEM = re.compile(r'[ \t]+[*•-] (?=\S)').match


@dataclass(slots=True, eq=False)
class Event:
    """One event: its line numbers, what its header says, and its lines once it has more than one."""

    first: int
    last: int
    timestamp: str | None
    level: str
    component: str | None
    message: str
    format: Format
    # None for an event of one line (most of them): its line is still in the reader's recent lines.
    lines: list[str] | None = None
    # The lines before a multi-line event.
    context: list[str] | None = None

    def restart(self, line_no: int, record: Record, fmt: Format) -> None:
        """Become the event that `record` opens on line `line_no`.

        An event is handed over when it ends and not kept: the reader reuses its object for the next event, which
        costs less than a new one for each line.
        """
        self.first = self.last = line_no
        self.timestamp, self.level, self.component, self.message = record
        self.format = fmt
        self.lines = self.context = None


# Called with each event once its last line is read.
EventDone = Callable[[Event], None]
# Called with a run of one-line events of one format once the last is read: the format, the line number of the first
# and their records (the common case, handed over together so that the engine counts them in one loop).
RunDone = Callable[[Format, int, list[Record]], None]


class EventReader:
    """Reads batches of lines in order and hands over each event when the line after it (or the end) comes."""

    def __init__(self, done: EventDone, done_run: RunDone, *, context_lines: int, max_lines: int) -> None:
        self.done = done
        self.done_run = done_run
        self.context_lines = context_lines
        self.max_lines = max_lines
        self.line_no = 0
        self.ranked: list[Format] = []
        self.fmt: Format = plain.FORMAT
        self.unwrapping = False
        self.force_continue = False
        # Lines in a row that no wrapper wrote, while reading wrapped ones; the container the last wrapped line names.
        self.bare_run = 0
        self.service = ''
        self.event: Event | None = None
        self.by_prefix: dict[str, Format] = {}
        # The context lines, the event's own line and the line that closed it.
        self.recent: deque[str] = deque(maxlen=context_lines + 2)
        self.at_end = False
        # The last line that continued an event without the shape of a continuation.
        self.unshaped_at = 0
        # Whether a format's header has opened a record yet: before that, a line is plain text's.
        self.header_read = False
        # The last line that opened an event by its timestamp alone.
        self.time_opened_at = 0
        # The last line that turned a one-line event into a longer one, and the first line of the last event that
        # got indented lines while the log showed none lately: another program's output glued to a record, maybe.
        self.continued_at = 0
        self.glued_first = 0
        # The batch being read, the number of its first line and the lines read before it that `recent` held.
        self.batch: list[str] = []
        self.batch_first = 1
        self.before: list[str] = []
        # Lines that were not a record the current format opens: while there are none, how the lines after the
        # first are read depends on nothing but that format (what parsers.parallel relies on to split a file).
        self.detours = 0
        # Whether the last batch was all records of the current format: then the next is first parsed whole (not the
        # first, which the format is learned from and may begin with anything).
        self.all_records = False

    def feed(self, batch: list[str]) -> None:
        if not self.ranked:
            self.learn_formats(batch)
        self.batch, self.batch_first, self.before = batch, self.line_no + 1, list(self.recent)
        if self.unwrapping:
            self.detours += len(batch)
            for line in batch:
                self.line_no += 1
                self.recent.append(line)
                self._other(line, None)
            return
        fmt = self.fmt
        if self.all_records and batch and fmt is not plain.FORMAT and not fmt.stateful:
            # Most batches of a log in one format are all its records: parsed in one call, handed over as one run.
            # Any other batch is read again line by line below (once per change of shape: after a batch with other
            # lines the next is not tried whole).
            records = list(map(fmt.parse, batch))
            # A record is a non-empty tuple, None is false: all() finds a line that is none in C, as `is` does.
            if all(records) and not any(map(is_, records, repeat(CONTINUES))):
                self._records(cast('list[Record]', records), fmt)
                return
            self.all_records = False
        detours_before = self.detours
        # The hot loop: locals only, one parse per line, the slow path only for lines the format does not open.
        # Consecutive one-line events of the current format gather in `run` (the last one still open to
        # continuation lines) and are handed over together.
        parse = _never if fmt is plain.FORMAT else fmt.parse
        remember = self.recent.append
        done = self.done
        by_prefix = self.by_prefix
        line_no = self.line_no
        event = self.event
        max_lines = self.max_lines
        glued = self.glued_first
        detours = self.detours
        run: list[Record] = []
        run_first, run_fmt = 0, fmt
        for line in batch:
            line_no += 1
            remember(line)
            record = parse(line)
            if record is None:
                detours += 1
                head = line[:1]
                if ((head == '\t' or head == ' ') and event is not None and event.lines is not None
                        and event.first != glued and (self.header_read or not _sibling_item(line, event.message))):
                    # An indented line (a stack frame) continues the event being read, unless that event is a record
                    # with lines glued to it that may be another program's output (see _record_elsewhere).
                    event.last = line_no
                    if len(event.lines) < max_lines:
                        event.lines.append(line)
                    continue
                other = by_prefix.get(line[:4])
                if other is not None and other is not fmt:
                    record = other.parse(line)
                    if record is not None and record is not CONTINUES:
                        self.fmt = fmt = other
                        parse = other.parse
            if record is not None and record is not CONTINUES:
                if run:
                    if run_fmt is fmt:
                        run.append(record)
                        continue
                    event = self._end_run(run, run_first, run_fmt)
                if event is not None:
                    if event.lines is not None:
                        _assemble(event)
                    done(event)
                    event = None
                run, run_first, run_fmt = [record], line_no, fmt
                continue
            if run:
                event = self._end_run(run, run_first, run_fmt)
                run = []
            detours += 1
            self.line_no, self.event = line_no, event
            self._other(line, record)
            event = self.event
            glued = self.glued_first
            if self.fmt is not fmt:
                fmt = self.fmt
                parse = _never if fmt is plain.FORMAT else fmt.parse
        if run:
            event = self._end_run(run, run_first, run_fmt)
        self.line_no, self.event, self.detours = line_no, event, detours
        self.all_records = detours == detours_before

    def _records(self, records: list[Record], fmt: Format) -> None:
        """A batch whose every line is a record of `fmt`: the events as the line-by-line loop reads them."""
        event = self.event
        if event is not None:
            if event.lines is not None:
                _assemble(event)
            self.done(event)
        first = self.line_no + 1
        self.line_no += len(records)
        self.recent.extend(self.batch[-self.context_lines - 2:])
        self.event = self._end_run(records, first, fmt)

    def _end_run(self, run: list[Record], first: int, fmt: Format) -> Event:
        """Hand over a run's complete events; its last one, which the next lines may continue, as an Event."""
        self.header_read = True
        last = run.pop()
        if run:
            self.done_run(fmt, first, run)
        line_no = first + len(run)
        return Event(line_no, line_no, *last, fmt)

    def close(self, *, at_end: bool = True) -> None:
        """Hand over the last event: the log has ended, or (not `at_end`) the lines after it are read elsewhere, their
        first opening a record that ends it."""
        self.at_end = at_end
        if self.event is not None:
            self._done(self.event)
            self.event = None

    def example(self, event: Event) -> tuple[str, list[str]]:
        """The text of an event just handed over and the lines before it."""
        if event.lines is not None:
            return '\n'.join(event.lines), event.context or []
        if self.at_end:
            recent = list(self.recent)
            return (recent[-1] if recent else event.message), recent[:-1]
        # A one-line event handed over while a batch is read: its line is in the batch or just before it.
        index = event.first - self.batch_first
        before, batch = self.before, self.batch
        if index >= self.context_lines:
            held = batch[index - self.context_lines:index + 1]
        else:
            held = before + batch[:index + 1] if index >= 0 else before[:len(before) + index + 1]
        return (held[-1] if held else event.message), held[-1 - self.context_lines:-1]

    def learn_formats(self, batch: list[str]) -> None:
        """Rank the formats by the log's first batch of lines (given before the first feed by a reader that starts
        inside the log, so that it reads as one started at the top would)."""
        sample = [line for line in batch[:SAMPLE_LINES * 4] if line.strip() and not _BANNER(line)][:SAMPLE_LINES]
        unwrapped = [wrappers.unwrap(line) for line in sample]
        if sample and sum(1 for item in unwrapped if item is not None) >= 0.8 * len(sample):
            self.unwrapping = True
            sample = [item[0] for item in unwrapped if item is not None]
        self.ranked = detect(sample)
        self.fmt = self.ranked[0] if self.ranked[0].score(sample) > 0 else plain.FORMAT

    def _other(self, line: str, record: Record | None) -> None:
        """Every line the current format does not open a record with: wrappers, continuations, other formats."""
        wrap_ts = None
        apart = False
        if self.unwrapping or (record is None and (line[:1] == '{' or line[:4].isdigit())):
            inner = wrappers.unwrap(line)
            if inner is not None:
                self.unwrapping = True
                self.bare_run = 0
                service = wrappers.service(line)
                # A line of another container than the line before continues none of its records.
                apart, self.service = service != self.service, service
                line, wrap_ts, partial = inner
                forced = self.force_continue
                self.force_continue = partial
                if forced and self.event is not None:
                    self._continue(line)
                    return
                record = self.fmt.parse(line)
            elif self.unwrapping:
                # A line no wrapper wrote among wrapped ones (the `Attaching to ...` above a compose file's lines) is
                # read as it is; a run of them ends the wrapped lines.
                self.force_continue = False
                self.bare_run += 1
                self.unwrapping = self.bare_run < BARE_RUN
                record = self.fmt.parse(line)
        if record is CONTINUES and not apart:
            self._continue(line)
            return
        reader = self.fmt
        if record is None or record is CONTINUES:
            found = None if record is CONTINUES or (_BANNER(line) and self.event is not None) else (
                self._record_elsewhere(line))
            if found is None:
                if not apart:
                    self._continue(line)
                    return
                found = plain.FORMAT.parse(line) or (None, '', None, line), plain.FORMAT
            record, reader = found
        if not record[0]:
            record = (wrap_ts, *record[1:])
        event = self.event
        if event is None:
            self.event = Event(self.line_no, self.line_no, *record, reader)
        else:
            self._done(event)
            event.restart(self.line_no, record, reader)

    def _record_elsewhere(self, line: str) -> tuple[Record, Format] | None:
        """The record a line opens that the current format does not read, and the format that reads it."""
        event = self.event
        if line.startswith(TRACEBACK):
            if event is not None and _traceback_continues(event):
                return None
            return (None, 'ERROR', None, line), self.fmt
        level = crash_start_level(line)
        if level:
            return (None, level, None, line), self.fmt
        if event is not None and _indented_error(line) and event.lines is None:
            # An error indented under a one-line event: its own crash unless the log indents such lines lately.
            return self._unshaped(line, event)
        if event is not None and event.first == self.glued_first and _indented_failure(line):
            # Indented lines glued to a record while the log showed none lately: from the first that names an error,
            # a failure or a cause on, they are another program's output (a build's), an event of their own.
            return plain.FORMAT.parse(line) or (None, '', None, line), plain.FORMAT
        if event is not None and TRACE_NOTE.match(line) and FRAME.match(self.recent[-2]):
            return None
        if event is not None and _CLOSING(line):
            # Brackets alone close what the record opened (`]]`, `|#]`, `}`): its end, never a record of its own.
            return None
        if event is not None and CONTINUATION.match(line):
            if not self.header_read and _sibling_item(line, event.message):
                # Items of an indented list before the first record, that no line introduces (a program's banner of
                # settings), are siblings, each an event of its own; a line indented deeper still continues its item.
                return (None, '', None, line), self.fmt
            return None
        if event is not None and _RULED(line) and _RULED(self.recent[-2]):
            # A table drawn over several lines (`+----+`, `| a | b |`) is one block, whoever drew it.
            return None
        for index, fmt in enumerate(self.ranked):
            if fmt is self.fmt or fmt is plain.FORMAT:
                continue
            record = fmt.parse(line)
            if record is not None and record is not CONTINUES:
                # A line with no time and no level (a comment) is read, but does not turn the log to that format.
                if record[0] or record[1]:
                    self._switch(fmt, index, line)
                return record, fmt
        if self.fmt is plain.FORMAT or (event is not None and FRAME.match(self.recent[-2])):
            if (self.fmt is plain.FORMAT and event is not None and line.startswith(_ITEMS)
                    and not event.message.startswith(_ITEMS)):
                # Plain text: a list's items (`- Loaded all assemblies`) belong to the line that introduces them.
                return None
            if self.fmt is plain.FORMAT and event is not None and _SQL_CLAUSE(line) and _SQL_STATEMENT(event.message):
                # Plain text: a statement of SQL printed over several lines, a clause on each (`from ...`, `where ...`).
                return None
            # A line among plain text that opens with a date and time is read for them (a program's own dated lines
            # among the output of what it runs); only a line opening with a digit or a month's name is tried.
            dated = opening_record(line) if line[:1].isdigit() or line[:3].lower() in MONTHS else None
            if dated is not None and dated[0]:
                return dated, self.fmt
            record = plain.FORMAT.parse(line) or (None, '', None, line)
            if self.fmt is plain.FORMAT and event is not None and not record[1] and _leads_on(self.recent[-2]):
                # Plain text: a line without a level of its own continues the one before when that one announces it
                # or breaks off mid-sentence.
                return None
            if (event is not None and event.timestamp and not event.level and event.first == self.line_no - 1
                    and (level := colon_level(line))):
                # A dated line without a level, then a line opening with one and a colon: one record of two lines,
                # as java.util.logging writes them (`SEVERE: message` under the time and the method).
                event.level = level
                return None
            # A date with its year and a time further on (`=== started: 2018-09-12 15:54:14 ===`, `Log rolled over at
            # Tue Feb  4 02:14:34 2020`) is the time the line announces.
            stamp = dated_within(line) if ':' in line else None
            return (record if stamp is None else (stamp, *record[1:])), self.fmt
        opened = opening_record(line, after_level=event is not None and bool(event.level))
        if opened is not None:
            if event is None or self.time_opened_at != event.first:
                # A new kind of line: its events may go on over lines of any shape, as at the start of the log.
                self.unshaped_at = self.line_no
            self.time_opened_at = self.line_no
            return opened, self.fmt
        if event is None:
            return plain.FORMAT.parse(line) or (None, '', None, line), self.fmt
        if self.line_no - event.first >= RELEARN_AFTER:
            # A long run of lines nothing reads: a new segment in an unknown format. Learn it from the next chunk.
            self.fmt = plain.FORMAT
            self.ranked = []
            record = plain.FORMAT.parse(line)
            return None if record is None else (record, self.fmt)
        return self._unshaped(line, event)

    def _unshaped(self, line: str, event: Event) -> tuple[Record, Format] | None:
        """The record of a line without the shape of a continuation, or None when it continues `event`: it does while
        the log shows such lines lately or the event's message ends with a colon that announces them. Before the
        first record with the format's header (a program's words on starting), a line that opens with a word after a
        line without a time opens a record of its own, as in plain text; a banner's drawing does not. A heading a
        script writes between runs (`##### backup started ...`) opens one too, unless the event announced it."""
        if _HEADING(line) and not _announces(event.message):
            return plain.FORMAT.parse(line) or (None, '', None, line), plain.FORMAT
        if (self.header_read or event.timestamp or not line[:1].isalpha()) and (
                self.line_no - self.unshaped_at <= STRAY_AFTER or _announces(event.message)):
            self.unshaped_at = self.line_no
            return None
        return plain.FORMAT.parse(line) or (None, '', None, line), plain.FORMAT

    def _switch(self, fmt: Format, index: int, line: str) -> None:
        """Another format read this line: it is current now, tried early, and remembered for lines like it. Its
        first lines may continue its events with lines of any shape, as at the start of the log."""
        self.fmt = fmt
        self.header_read = True
        self.unshaped_at = self.continued_at = self.line_no
        if index:
            self.ranked.insert(0, self.ranked.pop(index))
        if len(self.by_prefix) < MAX_PREFIXES:
            self.by_prefix[line[:4]] = fmt

    def _continue(self, line: str) -> None:
        event = self.event
        if event is None:
            self.event = Event(self.line_no, self.line_no, None, '', None, line, plain.FORMAT)
            return
        banner = _BANNER(line) is not None
        event.last = self.line_no
        lines = event.lines
        if lines is None:
            if (line[:1] in (' ', '\t') and self.line_no - self.continued_at > STRAY_AFTER
                    and not _announces(event.message)):
                self.glued_first = event.first
            self.continued_at = self.line_no
            recent = list(self.recent)
            # The header and this line are already in `recent`: the context is what came before them.
            event.context = recent[:-2]
            event.lines = [recent[-2] if len(recent) >= 2 else ''] + ([] if banner else [line])
        elif len(lines) < self.max_lines and not banner:
            lines.append(line)

    def _done(self, event: Event) -> None:
        if event.lines is not None:
            _assemble(event)
        self.done(event)


def _never(line: str) -> None:
    """The parser of plain text in the hot loop: every line takes the slow path, which knows continuations."""


def _assemble(event: Event) -> None:
    """Formats whose header line does not hold the whole message read it from all the event's lines; a header with no
    message (a timestamp alone on its line, as some log viewers copy them) takes the first line of text after it."""
    lines = event.lines
    if lines is None:
        return
    assemble = event.format.assemble
    if assemble is not None:
        event.timestamp, event.level, event.component, event.message = assemble(lines)
    if not event.message.strip() and not _LETTER(lines[0].replace(event.timestamp or '', '', 1)):
        # Only where the first line is the time alone: one that names the record (`Start-Date: <time>`) is its words.
        event.message = next((line.strip() for line in lines[1:] if line.strip()), event.message)


def _announces(message: str) -> bool:
    """Whether a message ends with a colon after a word (`Caused by:`, `the following files:`), which announces the
    lines after it; one after an address or a number (`to /10.0.0.5:`, a port cut off) announces nothing."""
    return _ANNOUNCING(message.rstrip()) is not None


# Words a sentence does not end with: a line of text that ends with one was wrapped.
_BREAKING_WORDS = frozenset(('the', 'a', 'an', 'and', 'or', 'nor', 'of', 'to', 'with', 'for', 'from', 'into', 'that',
                             'than'))


def _leads_on(previous: str) -> bool:
    """Whether a line of text leads on to the next: it announces it (`the following output:`; not a last key left
    empty, `domain: `) or breaks off mid-sentence (`..., use the`)."""
    if previous.endswith(':'):
        return _announces(previous)
    text = previous.rstrip()
    space = text.rfind(' ')
    return space > 0 and text[space + 1:] in _BREAKING_WORDS


def _indented_error(line: str) -> bool:
    """An indented line that opens with an error (`Error: ...`, `java.io.IOException: ...`, a crash opening)."""
    text = line.lstrip()
    return text != line and opens_error(text)


def _indented_failure(line: str) -> bool:
    """An indented line that opens with an error or holds words of a failure or a cause."""
    text = line.lstrip()
    return text != line and (opens_error(text) or ERROR_WORDS.search(text) is not None
                             or CAUSE_WORDS.search(text) is not None)


def _traceback_continues(event: Event) -> bool:
    lines = event.lines
    if lines is not None:
        previous = next((text for text in reversed(lines) if text.strip()), '')
        if previous.startswith(CHAINED):
            return True
        if any(text.startswith(TRACEBACK) for text in lines):
            return False
    if event.message.startswith(TRACEBACK):
        return False
    # A record at any level whose words say it failed (a debug line's `... failed` logged with its exception).
    return event.level in _FAILING or infer_level(event.message.split()) in _FAILING


_FAILING = frozenset(('WARN', 'ERROR', 'FATAL'))


def _sibling_item(line: str, opening: str) -> bool:
    """Whether the line is an indented list item at the indentation of the item that opens the event."""
    if opening[:1] not in (' ', '\t'):
        return False
    item = _INDENTED_ITEM(line)
    return item is not None and (first := _INDENTED_ITEM(opening)) is not None and item.end() == first.end()
