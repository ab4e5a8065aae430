"""Diagnoses: the offline analyzer. It recognizes known failure signatures where their context holds, and reasons
about the rest: the most incident-like event, the remedy its message gives and the class of failure its words name."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from itertools import pairwise, takewhile
from typing import Any

from parsers import ERROR_LEVELS, Analysis, Group, shows_failure, top_incidents
from parsers.digest import plain_template
from parsers.incidents import CAUSE_WORDS, ERROR_WORDS
from services.diagnosis.analyzer import Diagnosis, answer_key
from services.diagnosis.redaction import redact
from services.markdown_text import code_span, escape_text, fenced

OFFLINE_MODEL = 'offline'
OFFLINE_NOTE = (
    '_This is the offline analysis, from a built-in knowledge base of known failures and classes of failure. With a '
    'Gemini API key configured, a model reads the evidence itself and can explain failures this knowledge base does '
    'not know._'
)
MAX_GROUPS_SCANNED = 500
# Signatures read the start of an event: enough for a message and its causes, bounded for hostile input.
MATCH_CHARS = 8_000
EXAMPLE_LINES = 30
CITED_OCCURRENCES = 10
# A message often goes on over unleveled lines after its first one, and the lines before it may name what it waits
# for (who holds a lock): the analyzer reads this many around an event.
LINES_AFTER = 8
LINES_BEFORE = 3
# Another program's output (a check, a child process) often prints a failure's cause just before the service reports
# it, on lines with no level to rank them by: the analyzer reads the words of this many lines before an event.
RAW_OUTPUT_LINES = 10
REMEDIES_QUOTED = 3
SHARED_PREFIX_CHARS = 20
REMEDY_CHARS = 300
CONFIDENCE = ('high', 'medium', 'low')
# Part of every offline cache key: raise it when the answers' wording changes.
OFFLINE_VERSION = '11'
_PLACEHOLDER = re.compile(r'\{(\w+)\}')
# Versions a message names ("version 10", "protoc >= 3.19.0"), for the answer to name them back.
_VERSION = re.compile(r'\bversions?:?\s+[`\'"]?v?(?P<number>\d+(?:\.\d+)*)\b'
                      r'|\b(?P<name>[A-Za-z][\w.-]*)\s*(?P<bound>(?:>=|<=|==|~=)\s*\d+(?:\.\d+)*)', re.IGNORECASE)
VERSIONS_NAMED = 4
_FRAME = re.compile(r'^\s+(?:at |File "|\.\.\. \d+ more)')
# A list's number ("1. Downgrade ...") ends no sentence.
_SENTENCE_END = re.compile(r'(?<=[.!?])(?<!^\d\.)(?<!\s\d\.)\s+(?=[A-Z`\'"(])')
_HINT = re.compile(r'\bHINT:\s+(.+)')
# A chained exception: Java prints each cause after `Caused by:`, the innermost last; Python prints the innermost
# first, each traceback followed by one of these sentences and then the exception raised while handling it.
_CAUSED_BY = re.compile(r'^\s*Caused by:')
_CAUSE_ABOVE = re.compile(r'^(?:The above exception was the direct cause of the following exception'
                          r'|During handling of the above exception, another exception occurred):')
_TRACEBACK = re.compile(r'^Traceback \(most recent call last\):')
# What goes before a message on its line: timestamps, bracketed fields, a level word, a compose or syslog prefix.
_HEADER = re.compile(
    r'^(?:\s*(?:[\[(]?\d[\d:.,TZ/+-]{6,}(?: [\d:.,]{6,})?[\])]?|\[[^\]\n]{0,80}\]:?|[\w.-]+[-_]\d+ +\||[\w./-]+\[\d+\]:'
    r'|(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|PANIC|SEVERE|LOG|DETAIL|STATEMENT|UTC|E|W)'
    r'(?::|\b)))+\s*'
)
# Words with which a message tells the reader what to do; a clause quoted from its cue to the sentence's end.
_REMEDY_CUE = re.compile(
    r'\b(?:please|try|consider|make sure|ensure (?:that|the|you)|did you mean'
    r'|you (?:may|might|should|must|can|need to|will need to|have to)(?![\'’]t| not)|to (?:fix|resolve|solve) this'
    r'|must be (?:regenerated|recompiled|rebuilt|reinstalled|upgraded|downgraded|updated))\b'
    # "... is too low, increase to at least ...": the sentence from its start, as it says what is too low.
    r'|^[^\n]*\b(?:too (?:low|small|high|large|few|many)|not enough)\b[^\n]*\b(?:increase|raise|decrease|reduce|set)\b'
    # "... must be increased to at least ...": the same, as the sentence's start names what to increase.
    r'|^[^\n]*\b(?:increase|raise)[ds]?\b[^\n]*\bto at least\b'
    # An imperative after a colon or semicolon: "bad file format: make a backup ..., then use ...".
    r'|(?:(?<=[:;] )|(?<=^\d\. )|(?<=\s\d\. ))(?-i:(?![A-Z]{2,}\b))'
    r'(?:make|run|use|set|regenerate|recompile|increase|raise|install|upgrade|downgrade|rebuild|reinstall|restart'
    r'|remove|delete|add|enable|disable|specify|check|update|change|create|grant)'
    r'\s+(?!(?:failed|error|of|to|is|was)\b)\w'
    # An imperative opening a sentence, on what it acts on: "Add the current platform to ...", "Run `...`".
    r'|^(?-i:(?![A-Z]{2,}\b))(?:add|run|use|set|install|upgrade|downgrade|remove|delete|enable|disable|specify|update'
    r'|change|create|grant|increase|raise|restart|rebuild|reinstall|regenerate|recompile|fix|retry|rerun|re-run'
    r'|pass|allow|free|stop)\s+'
    r'(?=(?:the|a|an|your|this|these|that|it|them|one|all|any|following|current|missing|with)\b|[`\'"]|--?\w)'
    # A retry with an option: "... or retry this command with --force".
    r'|\b(?:retry|re-?run) (?:this|the) command with\b',
    re.IGNORECASE,
)
# Advice that only asks for more output is no remedy.
_NO_REMEDY = re.compile(r'--stacktrace|--verbose|--debug|--info\b|more (?:log|output|details|information)|stack ?trace'
                        r'|for more (?:information|details)|\blogs? for (?:the )?details|report (?:this|it|a bug)'
                        r'|file (?:a|an) (?:bug|issue)'
                        # A statement the message quotes is what failed, not what to do.
                        r'|\b(?:create|alter|drop) (?:table|index|view|database|schema|unique)\b|\binsert into\b'
                        r'|\bdelete from\b|\bupdate [`\'"\w.]+ set\b',
                        re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Signature:
    """One known failure, or a class of failure (`kind`). Texts may name the pattern's groups, `{port}`; `defaults`
    fills groups the log lacks."""

    id: str
    area: str
    # The first title whose values the log gives, the last one when it gives none: a title never shows a default.
    titles: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    root_cause: str
    fix: str
    prevention: str
    defaults: dict[str, str]
    min_count: int = 1  # a storm is many occurrences, not one
    needs: tuple[str, ...] = ()
    kind: str = 'signature'
    confidence: str = 'high'  # when it matches the event itself
    # Surroundings the log must show (`container`): an exec format error is no image's fault without a container.
    requires: tuple[str, ...] = ()
    # Words on the matched line that make it another failure: a watcher's ENOSPC is not a full disk.
    unless: tuple[re.Pattern[str], ...] = ()
    # A paragraph added to the root cause when the log shows that surrounding.
    when: dict[str, str] = field(default_factory=dict)
    # Read on the lines around the event only to fill values (who holds a lock).
    details: tuple[re.Pattern[str], ...] = ()
    # Read anywhere in the log only to fill values: facts about the machine it ran on (its CPU architecture).
    log_details: tuple[re.Pattern[str], ...] = ()
    # Values written in lower case, as the commands that use them need (a module named after a directive).
    lowercase: tuple[str, ...] = ()
    # What follows a failure rather than causing it (a unit that failed, a process that exited): a cause logged
    # before it is the answer when there is one.
    consequence: bool = False


@dataclass(frozen=True, slots=True)
class Window:
    """An event's first occurrence and the lines around it, each with its line number."""

    before: tuple[tuple[int, str], ...]
    lines: tuple[tuple[int, str], ...]  # the event and the unleveled lines that go on with it

    @property
    def text(self) -> str:
        return '\n'.join(line for _, line in self.lines)[:MATCH_CHARS]

    @property
    def around(self) -> str:
        return '\n'.join(line for _, line in (*self.before, *self.lines))[:MATCH_CHARS]


@dataclass(frozen=True, slots=True)
class Match:
    signature: Signature
    group: Group
    line: int  # the line the signature matched, for the citation
    text: str  # that line
    values: dict[str, str]
    window: Window
    confidence: str = 'high'
    why: str = ''
    notes: tuple[str, ...] = ()  # the `when` paragraphs the log's surroundings call for
    consequence: Match | None = None  # the consequence this cause was logged before
    read: frozenset[str] = frozenset()  # the values the log gave, not the defaults
    # For a consequence no recognized cause explains: the message before it that says what to do.
    said_before: Window | None = None

    def fill(self, template: str) -> str:
        return _PLACEHOLDER.sub(lambda found: self.values.get(found[1], found[0]), template)

    @property
    def title(self) -> str:
        titles = self.signature.titles
        given = next((title for title in titles if self.read.issuperset(_PLACEHOLDER.findall(title))), titles[-1])
        return self.fill(given)


@dataclass(frozen=True, slots=True)
class LogView:
    """What the offline analyzer reads of a log: the scanned groups, their first occurrences by line number (the
    lines of a small log, a sample of a big one) and the surroundings the log shows."""

    groups: tuple[Group, ...]
    lines: dict[int, tuple[str, Group]]
    contexts: frozenset[str]
    text: str = ''  # the first occurrences' text, where facts of the log are read


class OfflineAnalyzer:
    """Recognizes known failures and classes of failure; works with no network and no key."""

    model = OFFLINE_MODEL

    def cache_key(self, analysis: Analysis, group: Group | None) -> str:
        return answer_key(analyzer='offline', model=self.model, version=f'{OFFLINE_VERSION}:{knowledge_version()}',
                          evidence=offline_evidence(analysis, group or default_group(analysis)))

    def evidence(self, analysis: Analysis, group: Group | None) -> None:
        """Nothing leaves the server: the knowledge base is read here."""
        return None

    async def diagnose(
        self, analysis: Analysis, group: Group | None = None, on_chunk: Callable[[str], None] | None = None
    ) -> Diagnosis:
        diagnosis = offline_diagnosis(analysis, group)
        if on_chunk:
            on_chunk(diagnosis.markdown)
        return diagnosis


def offline_diagnosis(analysis: Analysis, group: Group | None) -> Diagnosis:
    """About the chosen group, or the most incident-like event: a known failure, else a class of failure, else what
    the message itself says; "no errors" only when no event is an error or incident-like."""
    view = read_log(analysis)
    scanned = {candidate.id for candidate in view.groups}
    ranked = [candidate for candidate in top_incidents(analysis) if candidate.id in scanned]
    event = group or (ranked[0] if ranked else None)
    match = find_match(view, event, ranked)
    if match is not None:
        signature_id = match.signature.id if match.signature.kind == 'signature' else None
        return Diagnosis(markdown=_answer(analysis, event, match), model=OFFLINE_MODEL, signature_id=signature_id)
    # The top event may be a warning that names no failure while a lower one does: that one is the answer.
    failing = group or next((candidate for candidate in ranked if shows_failure(candidate)), None)
    if failing is not None:
        return Diagnosis(markdown=_unknown_answer(analysis, failing, view), model=OFFLINE_MODEL)
    return Diagnosis(markdown=_no_errors_answer(analysis, event), model=OFFLINE_MODEL)


def offline_evidence(analysis: Analysis, group: Group | None) -> str:
    """What the offline analyzer reads of a log: the line count, the chosen group and the groups it scans."""
    return json.dumps([analysis.lines, _read(group) if group else None,
                       [_read(candidate) for candidate in analysis.groups[:MAX_GROUPS_SCANNED]]])


def _read(group: Group) -> list[object]:
    # Every field of a group the answers are made of, and no more: hashing whole groups costs seconds on big logs.
    return [group.id, group.level, group.count, group.first_line, group.template, group.example,
            group.occurrences[:CITED_OCCURRENCES], group.context_before[-LINES_BEFORE:], str(group.first_seen),
            str(group.last_seen)]


def read_log(analysis: Analysis) -> LogView:
    groups = tuple(analysis.groups[:MAX_GROUPS_SCANNED])
    lines: dict[int, tuple[str, Group]] = {}
    for group in groups:
        for number, line in _numbered(group):
            lines.setdefault(number, (line, group))
    return LogView(groups, lines, _contexts(groups), '\n'.join(group.example[:MATCH_CHARS] for group in groups))


def _numbered(group: Group) -> list[tuple[int, str]]:
    lines = group.example[:MATCH_CHARS].rstrip('\n').split('\n')
    return list(enumerate(lines, start=group.first_line))


def _contexts(groups: Iterable[Group]) -> frozenset[str]:
    texts = [group.example[:MATCH_CHARS] for group in groups]
    return frozenset(name for name, patterns in load_contexts().items()
                     if any(pattern.search(text) for pattern in patterns for text in texts))


def window(view: LogView, group: Group) -> Window:
    """The group's first occurrence, the unleveled lines right after it and the lines right before it."""
    lines = _numbered(group)
    last = lines[-1][0]
    for number in range(last + 1, last + 1 + LINES_AFTER):
        found = view.lines.get(number)
        if found is None or (found[1].level and found[1].level_source != 'inferred'):
            break
        lines.append((number, found[0]))
    before = group.context_before[-LINES_BEFORE:]
    return Window(tuple(enumerate(before, start=group.first_line - len(before))), tuple(lines))


def find_match(view: LogView, event: Group | None, ranked: list[Group]) -> Match | None:
    """The innermost cause of the event's chained exception that is recognized; failing that, the event's signature;
    failing that, the first recognized failure in the log (errors first, then other incident-like events, then the
    rest); failing that, the class of failure the event's words name, else the first the other incident-like events
    name, else the first the lines with no level just before it name. A consequence (a unit that failed, a process
    that exited) gives way to the first failure recognized before it."""
    match = _recognized(view, event, ranked, raw=_raw_output_before(view, event))
    if match is None or not match.signature.consequence:
        return match
    earlier = [candidate for candidate in view.groups if candidate.first_line < match.line]
    ids = {candidate.id for candidate in earlier}
    cause = _recognized(view, None, [candidate for candidate in ranked if candidate.id in ids], earlier,
                        consequences=False, raw=_raw_output_before(view, match.group))
    if cause is None:
        return replace(match, said_before=_said_before(view, match.line))
    return replace(cause, why=f'{cause.why}; it was logged before the consequence it explains', consequence=match)


def _said_before(view: LogView, line: int) -> Window | None:
    """The lines just before a line, when they say what to do: a program's own account of the failure that a
    consequence after it (an exit code, a restart) only reports, often over lines of several groups."""
    lines = tuple((number, view.lines[number][0]) for number in range(line - RAW_OUTPUT_LINES, line)
                  if number in view.lines)
    around = Window((), lines)
    return around if lines and remedies(around) else None


def _recognized(view: LogView, event: Group | None, ranked: list[Group], groups: Iterable[Group] | None = None, *,
                consequences: bool = True, raw: Iterable[tuple[Group, Window]] = ()) -> Match | None:
    signatures, classes = load_signatures(), load_classes()
    if not consequences:
        signatures = tuple(known for known in signatures if not known.consequence)
        classes = tuple(known for known in classes if not known.consequence)
    by_line = sorted(view.groups if groups is None else groups, key=lambda candidate: candidate.first_line)
    incident_like = {candidate.id for candidate in ranked}
    errors = [candidate for candidate in by_line if candidate.level in ERROR_LEVELS]
    likely = [candidate for candidate in by_line if candidate.id in incident_like and candidate not in errors]
    others = [candidate for candidate in by_line if candidate.id not in incident_like]
    if event is not None and (match := _innermost_cause(view, event, (signatures, classes))):
        return match
    for known, candidates in ((signatures, (*errors, *likely, *others)), (classes, ranked)):
        if event is not None and (match := _match(event, window(view, event), known, view)):
            return match
        if match := _elsewhere(view, event, candidates, known):
            return match
    return _raw_match(view, raw, classes)


def _raw_output_before(view: LogView, group: Group | None) -> list[tuple[Group, Window]]:
    """The lines just before an event that no written level starts, by the group they belong to (one of their own, or
    the leveled event they follow): another program's output, whose words may name the cause though nothing ranks
    them as an incident."""
    if group is None:
        return []
    raw: dict[int, tuple[Group, list[tuple[int, str]]]] = {}
    for number in range(group.first_line - RAW_OUTPUT_LINES, group.first_line):
        found = view.lines.get(number)
        if found is not None and (number != found[1].first_line or found[1].level_source != 'written'):
            raw.setdefault(found[1].id, (found[1], []))[1].append((number, found[0]))
    return [(owner, Window(_lines_before(view, lines[0][0]), tuple(lines))) for owner, lines in raw.values()]


def _lines_before(view: LogView, number: int) -> tuple[tuple[int, str], ...]:
    found = ((before, view.lines.get(before)) for before in range(number - LINES_BEFORE, number))
    return tuple((before, line[0]) for before, line in found if line is not None)


def _raw_match(view: LogView, raw: Iterable[tuple[Group, Window]], classes: tuple[Signature, ...]) -> Match | None:
    for owner, lines in raw:
        if match := _match(owner, lines, classes, view):
            return replace(match, confidence=_lower(match.confidence),
                           why=f'{match.why}; it was printed with no level just before the event')
    return None


def _elsewhere(view: LogView, event: Group | None, candidates: Iterable[Group],
               signatures: tuple[Signature, ...]) -> Match | None:
    for candidate in candidates:
        if event is not None and candidate.id == event.id:
            continue
        if match := (_innermost_cause(view, candidate, (signatures,))
                     or _match(candidate, window(view, candidate), signatures, view)):
            why = 'it is not the chosen event but may be its cause'
            return replace(match, confidence=_lower(match.confidence), why=f'{match.why}; {why}')
    return None


def _innermost_cause(view: LogView, group: Group, kinds: Iterable[tuple[Signature, ...]]) -> Match | None:
    """The innermost cause of a chained exception that a signature or a class of failure recognizes: the wrappers
    around it (a framework that could not start, a bean it could not create) only report it."""
    for cause in _causes(window(view, group)):
        for known in kinds:
            if match := _match(group, cause, known, view):
                return replace(match, why=f'{match.why}; it is the innermost recognized cause in a chain of exceptions')
    return None


def _causes(around: Window) -> list[Window]:
    """The causes a chained exception in the event's lines gives, innermost first, each with the event's opening
    line before it: Java's `Caused by:` sections, the last first; then Python's tracebacks before the one raised
    last, in order."""
    lines = around.lines
    java = [index for index, (_, line) in enumerate(lines) if _CAUSED_BY.match(line)]
    sections = [lines[start:end] for start, end in reversed(list(pairwise([*java, len(lines)])))]
    python = [index for index, (_, line) in enumerate(lines) if _CAUSE_ABOVE.match(line)]
    if python:
        first = next((index for index, (_, line) in enumerate(lines) if _TRACEBACK.match(line)), 1)
        starts = [first, *(index + 1 for index in python[:-1])]
        sections += [lines[start:end] for start, end in zip(starts, python, strict=True)]
    return [Window(lines[:1], section) for section in sections if section]


def _match(group: Group, around: Window, signatures: tuple[Signature, ...], view: LogView) -> Match | None:
    contexts = view.contexts
    text = around.text
    lowered = text.lower()
    for signature in signatures:
        if group.count < signature.min_count or (signature.needs and not any(w in lowered for w in signature.needs)):
            continue
        if not contexts.issuperset(signature.requires):
            continue
        for index, pattern in enumerate(signature.patterns):
            found = pattern.search(text)
            if found is None:
                continue
            number, line = around.lines[text.count('\n', 0, found.start())]
            if any(other.search(line) for other in signature.unless):
                break
            confidence = signature.confidence
            if index and index == len(signature.patterns) - 1 and not pattern.groupindex:
                confidence = _lower(confidence)  # the last, catch-all pattern: the words, not their specifics
            # Facts of the log, then each details pattern, fill the values they find; the matched line's own groups
            # go over them.
            facts = (more for pattern in reversed(signature.log_details) if (more := pattern.search(view.text)))
            details = (more for pattern in reversed(signature.details) if (more := _detail(pattern, line, around)))
            read = {name: _clean(value) for named in (*facts, *details, found)
                    for name, value in named.groupdict().items() if value}
            read = {name: value.lower() if name in signature.lowercase else value
                    for name, value in read.items() if _is_value(value)}
            if (versions := _versions(around.around)) and 'versions' not in read:
                read['versions'] = versions
            read['count'] = str(group.count)
            values = {'versions': 'the message names no version number', **signature.defaults, **read}
            notes = tuple(note for name, note in signature.when.items() if name in contexts)
            return Match(signature, group, number, line, values, around, confidence, _WHY[signature.kind, confidence],
                         notes, read=frozenset(read))
    return None


# A captured word that is no name: "connect to the client" names no host.
_NO_VALUE = re.compile(r'(?:the|a|an|this|that|these|those|it|its|to|from|of|for|with|by|on|in|at|and|or|as|is)',
                       re.IGNORECASE)


def _is_value(value: str) -> bool:
    return any(char.isalnum() for char in value) and not _NO_VALUE.fullmatch(value)


def _detail(pattern: re.Pattern[str], line: str, around: Window) -> re.Match[str] | None:
    # The matched line's own path or name before one the lines around it give (the command that ran the program).
    return pattern.search(line) or pattern.search(around.around)


_WHY = {
    ('signature', 'high'): 'a known failure whose words and context are in the log',
    ('signature', 'medium'): 'a known failure, but its words have more than one usual cause',
    ('signature', 'low'): 'a known failure, but its words are vague',
    ('class', 'high'): 'the words of the message name this class of failure',
    ('class', 'medium'): 'no known failure matches, but the words of the message name this class of failure; the '
                         'checks below tell its usual causes apart',
    ('class', 'low'): 'no known failure matches; the words of the message loosely name this class of failure',
}


def _versions(text: str) -> str:
    named = dict.fromkeys(f'version {found["number"]}' if found['number'] else f'{found["name"]} {found["bound"]}'
                          for found in _VERSION.finditer(text))
    return ', '.join(_clean(each) for each in list(named)[:VERSIONS_NAMED])


def _lower(confidence: str) -> str:
    return CONFIDENCE[min(CONFIDENCE.index(confidence) + 1, len(CONFIDENCE) - 1)]


def remedies(around: Window) -> list[str]:
    """What the message itself says to do: PostgreSQL's HINT lines and the clauses that start with a remedy's cue
    ("try", "please", "make sure", "consider", "did you mean", "... too low, increase ...")."""
    found: list[str] = []
    prose: list[str] = []
    previous = ''
    for _, line in around.lines:
        if _FRAME.match(line):
            continue
        shared, previous = _shared_prefix(previous, line), line
        line = line[len(shared):]
        if hint := _HINT.search(line):
            found.append(hint[1])
        elif prose and _goes_on(prose[-1], line):
            prose[-1] = f'{prose[-1]} {line.strip()}'
        else:
            prose.append(_HEADER.sub('', line).strip())
    for sentence in (part for paragraph in prose for part in _SENTENCE_END.split(paragraph)):
        cue = _REMEDY_CUE.search(sentence)
        if cue and not _NO_REMEDY.search(sentence):
            found.append(sentence[cue.start():])
    quoted = [' '.join(text.split())[:REMEDY_CHARS] for text in found]
    return list(dict.fromkeys(text for text in quoted if len(text) > 8))[:REMEDIES_QUOTED]


def _shared_prefix(previous: str, line: str) -> str:
    # A tool that starts every line of a message with its own mark ("npm ERR! ", "remote: ") wraps one sentence over
    # several lines: without the mark on the lines that go on, they read as one.
    pairs = takewhile(lambda pair: pair[0] == pair[1], zip(previous, line, strict=False))
    common = ''.join(char for char, _ in pairs)
    common = common[:common.rfind(' ') + 1]
    return common if 0 < len(common.strip()) <= SHARED_PREFIX_CHARS and not any(c.isdigit() for c in common) else ''


def _goes_on(previous: str, line: str) -> bool:
    # A message wrapped over lines: the next one starts in lower case, or the previous one stops mid-sentence and
    # the next one does not start a new record (a timestamp, a bracket).
    start = line.lstrip()[:1]
    return start.islower() or (previous[-1:].isalnum() and start.isalpha())


@cache
def load_signatures() -> tuple[Signature, ...]:
    return _load(tomllib.loads(_data('signatures.toml'))['signature'], 'signature')


@cache
def load_classes() -> tuple[Signature, ...]:
    return _load(tomllib.loads(_data('failure_classes.toml'))['class'], 'class')


@cache
def load_contexts() -> dict[str, tuple[re.Pattern[str], ...]]:
    raw: dict[str, list[str]] = tomllib.loads(_data('failure_classes.toml'))['context']
    return {name: tuple(re.compile(pattern, re.IGNORECASE | re.MULTILINE) for pattern in patterns)
            for name, patterns in raw.items()}


def _load(entries: list[dict[str, Any]], kind: str) -> tuple[Signature, ...]:
    return tuple(
        Signature(
            id=entry['id'], area=entry['area'], titles=_titles(entry['title']), patterns=_compiled(entry['patterns']),
            root_cause=entry['root_cause'], fix=entry['fix'], prevention=entry['prevention'],
            defaults=entry.get('defaults', {}), min_count=entry.get('min_count', 1),
            needs=tuple(entry.get('needs', ())), kind=kind,
            confidence=entry.get('confidence', 'high' if kind == 'signature' else 'medium'),
            requires=tuple(entry.get('requires', ())), unless=_compiled(entry.get('unless', ())),
            when=entry.get('when', {}), details=_compiled(entry.get('details', ())),
            log_details=_compiled(entry.get('log_details', ())), lowercase=tuple(entry.get('lowercase', ())),
            consequence=entry.get('consequence', False),
        )
        for entry in entries
    )


def _titles(title: str | list[str]) -> tuple[str, ...]:
    return (title,) if isinstance(title, str) else tuple(title)


def _compiled(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE | re.MULTILINE) for pattern in patterns)


@cache
def knowledge_version() -> str:
    """Changes with the knowledge base, so answers from an older one are not served from the cache."""
    return hashlib.sha256((_data('signatures.toml') + _data('failure_classes.toml')).encode()).hexdigest()[:16]


@cache
def _data(name: str) -> str:
    # The knowledge base's files sit beside this module.
    return resources.files('services.diagnosis').joinpath(name).read_text(encoding='utf-8')


def default_group(analysis: Analysis) -> Group | None:
    """The group a diagnosis is about unless the person chose another: the top incident, not the most frequent."""
    incidents = top_incidents(analysis, 1)
    return incidents[0] if incidents else None


def _clean(value: str) -> str:
    # A value from the log goes into Markdown code spans and prose: no backticks, no secrets, no runaway length.
    return redact(value.replace('`', "'").strip()).text[:200]


def _code(text: str) -> str:
    # A line or template quoted whole, backticks and all: the span's fence outgrows any backtick run inside.
    return code_span(redact(text.strip()).text[:200])


def _answer(analysis: Analysis, event: Group | None, match: Match) -> str:
    signature, group = match.signature, match.group
    cited = ', '.join(str(line) for line in group.occurrences[:CITED_OCCURRENCES])
    more = f' and {group.count - CITED_OCCURRENCES} more' if group.count > CITED_OCCURRENCES else ''
    known = signature.kind == 'signature'
    note = ''
    if match.consequence is not None:
        after = match.consequence
        note = (f'\n\nLater, {_code(after.text)} (line {after.line}) reports a consequence '
                f'({after.title}); this failure was logged before it and is its likely cause.')
    elif event is not None and event.id != group.id:
        found = ('the first recognized failure in the log' if known
                 else 'the most incident-like event whose words name a class of failure')
        note = (f'\n\nThe chosen message ({_code(plain_template(event.template))}, line {event.first_line}) is '
                f'not in the knowledge base; this is {found}, which may be its cause.')
    elif event is None:
        note = '\n\nNo line is marked ERROR or FATAL, but this known failure is in the log.'
    if match.said_before is not None:
        number, line = _failure_line(match.said_before) or match.said_before.lines[0]
        note += (f'\n\nThe output before it, {_code(line)} (line {number}), says what went wrong and what to do '
                 '(quoted below): it is the likely cause.')
    area = signature.area if known else f'class of failure: {signature.area}'
    cause = match.fill(signature.root_cause)
    if not known:
        cause = f'No known failure matches; the words of {_code(match.text)} name a class of failure. {cause}'
    return '\n\n'.join([
        f'## Summary\n**{match.title}** ({area}): {group.count} occurrence(s), first at line '
        f'{group.first_line}{_seen(group)}.{note}\n\n{_confidence(match.confidence, match.why)}',
        '## Root cause\n' + '\n\n'.join([cause, *(match.fill(note) for note in match.notes)]),
        f'## Evidence\n- line {match.line}: {_code(match.text)}\n'
        f'- occurrences at lines {cited}{more} (of {analysis.lines} lines)\n\n{_excerpt(match.window)}',
        *_remedy_section(match.said_before or match.window),
        f'## Fix\n{match.fill(signature.fix)}',
        f'## Prevention\n{match.fill(signature.prevention)}',
        OFFLINE_NOTE,
    ])


def _unknown_answer(analysis: Analysis, group: Group, view: LogView) -> str:
    around = window(view, group)
    cited = ', '.join(str(line) for line in group.occurrences[:CITED_OCCURRENCES])
    said = remedies(around)
    fix = ('Follow what the message says (above) first.' if said
           else 'Search for the exception type and message.')
    what = _code(plain_template(group.template))
    if (failing := _failure_line(around)) and failing[0] != group.first_line:
        what = f'the message {what}, whose line {failing[0]} says {_code(failing[1])}'
    return '\n\n'.join([
        f'## Summary\n**Unrecognized error**: {group.count} occurrence(s) of '
        f'{what}, first at line {group.first_line}{_seen(group)}.\n\n'
        + _confidence('low', 'no known failure or class of failure fits; this is the most incident-like failure'),
        '## Root cause\nThis error matches none of the failure signatures or classes of failure in the offline '
        f'knowledge base. {_reasoning(view, group)}',
        f'## Evidence\n- occurrences at lines {cited} (of {analysis.lines} lines)\n\n{_excerpt(around)}',
        *_remedy_section(around),
        f'## Fix\n{fix} Check what changed (deploys, configuration, load) just before the first occurrence.',
        '## Prevention\nAlert on this error group so it is seen when it starts.',
        OFFLINE_NOTE,
    ])


def _failure_line(around: Window) -> tuple[int, str] | None:
    """The first line of an event that is worded like a failure: a message may open with what the program was doing
    (a command line, a heading) and say what went wrong on a later line."""
    return next(((number, line) for number, line in around.lines
                 if not _FRAME.match(line) and (ERROR_WORDS.search(line) or CAUSE_WORDS.search(line))), None)


def _reasoning(view: LogView, group: Group) -> str:
    """What the log itself says about an unrecognized event: why it stands out, and the failure before it that
    may be its cause, since the first error in time is usually the cause and later ones its consequences."""
    why = '; '.join(group.incident_reasons.values())
    said = f'It stands out as {why}. ' if why else ''
    earlier = min((candidate for candidate in view.groups
                   if candidate.first_line < group.first_line and shows_failure(candidate)),
                  key=lambda candidate: candidate.first_line, default=None)
    if earlier is None:
        return (f'{said}Nothing that looks like a failure is logged before it, so it is likely the first one: read '
                'the lines just before its first occurrence for what it was doing.')
    return (f'{said}An earlier failure, {_code(plain_template(earlier.template))} (line {earlier.first_line}), '
            'comes first in time and may be its cause: read that one first.')


def _no_errors_answer(analysis: Analysis, warning: Group | None) -> str:
    noted = ''
    if warning is not None:
        noted = (f' The most notable warning, {_code(plain_template(warning.template))} ({warning.count} '
                 f'occurrence(s), first at line {warning.first_line}), names no failure.')
    return f'## Summary\nNo errors and no known failure found in {analysis.lines} lines.{noted}\n\n{OFFLINE_NOTE}'


def _confidence(level: str, why: str) -> str:
    return f'Confidence: **{level}** ({why}).'


def _remedy_section(around: Window) -> list[str]:
    said = remedies(around)
    if not said:
        return []
    quoted = '\n'.join(f'> {escape_text(redact(text).text)}' for text in said)
    return [f'## What the message says to do\n{quoted}']


def _excerpt(around: Window) -> str:
    lines = (*around.before, *around.lines)[:EXAMPLE_LINES + len(around.before)]
    return fenced('\n'.join(f'{number:>6} | {redact(line).text[:300]}' for number, line in lines))


def _seen(group: Group) -> str:
    if group.first_seen and group.last_seen and group.count > 1:
        return f', from {group.first_seen.isoformat(sep=" ")} to {group.last_seen.isoformat(sep=" ")}'
    return ''
