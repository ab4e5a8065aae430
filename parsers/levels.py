"""Level words of every format mapped onto TRACE/DEBUG/INFO/WARN/ERROR/FATAL."""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORDS = {
    'TRACE': 'TRACE', 'TRC': 'TRACE', 'FINEST': 'TRACE', 'FINER': 'TRACE', 'V': 'TRACE', 'SILLY': 'TRACE',
    # Four-letter cuts (logrus's `ERRO`, .NET's console `dbug`, log15's `eror`) and zerolog's `PNC`.
    'TRAC': 'TRACE', 'TRCE': 'TRACE', 'T': 'TRACE', 'DEBU': 'DEBUG', 'DBUG': 'DEBUG', 'ERRO': 'ERROR', 'EROR': 'ERROR',
    'FATA': 'FATAL', 'PANI': 'FATAL', 'PNC': 'FATAL',
    # Unity's exceptions and Apple's faults are errors; loguru's success is news, not trouble.
    'EXCEPTION': 'ERROR', 'EXC': 'ERROR', 'FAULT': 'ERROR', 'SUCCESS': 'INFO',
    # Verbose is the most detailed level where there is no trace (.NET, Windows events) and above debug in npm's
    # and Redis's scales.
    'VERBOSE': 'DEBUG', 'VRB': 'DEBUG', 'DEBUG': 'DEBUG', 'DBG': 'DEBUG', 'FINE': 'DEBUG', 'D': 'DEBUG',
    'DEBUG1': 'DEBUG', 'DEBUG2': 'DEBUG', 'DEBUG3': 'DEBUG', 'DEBUG4': 'DEBUG', 'DEBUG5': 'DEBUG',
    'INFO': 'INFO', 'INF': 'INFO', 'INFORMATION': 'INFO', 'INFORMATIONAL': 'INFO', 'NOTICE': 'INFO', 'I': 'INFO',
    'LOG': 'INFO', 'CONFIG': 'INFO', 'NOTE': 'INFO', 'N': 'INFO',
    'WARN': 'WARN', 'WARNING': 'WARN', 'WRN': 'WARN', 'W': 'WARN',
    # A note that something is left to do (a stub, a workaround), as debug channels and media frameworks write it.
    'FIXME': 'WARN',
    'ERROR': 'ERROR', 'ERR': 'ERROR', 'SEVERE': 'ERROR', 'E': 'ERROR', 'FAIL': 'ERROR', 'FAILURE': 'ERROR',
    'FATAL': 'FATAL', 'FTL': 'FATAL', 'CRITICAL': 'FATAL', 'CRIT': 'FATAL', 'ALERT': 'FATAL',
    'EMERG': 'FATAL', 'EMERGENCY': 'FATAL', 'PANIC': 'FATAL', 'F': 'FATAL', 'C': 'FATAL', 'A': 'FATAL',
    # The syslog severities cut to three consonants, as daemons that name their levels so write them.
    'EMG': 'FATAL', 'ALR': 'FATAL', 'CRT': 'FATAL', 'NTC': 'INFO',
}
# Every spelling a log may use (INFO, info, Info) resolves with one dictionary lookup on the hot path.
LEVEL_OF: dict[str, str] = {}
for _word, _level in _WORDS.items():
    LEVEL_OF[_word] = LEVEL_OF[_word.lower()] = LEVEL_OF[_word.capitalize()] = _level
# npmlog's levels between info and warn, in lower case only: `HTTP/1.1` opening a message is no level.
LEVEL_OF.update(http='INFO', timing='INFO')

# Words long enough to be trusted when a learned header has a level position.
LEVEL_WORDS = frozenset(word for word in LEVEL_OF if len(word) > 2)
# glog, klog, logcat and MongoDB letters (`I`, `W`, `E`), trusted only in a column that holds nothing else.
LEVEL_LETTERS = frozenset(word for word in LEVEL_OF if len(word) == 1 and word.isupper())

# A word that may write a level, as a file's column of levels dresses it: a little punctuation before (`[`, `<`,
# `(`), the word or letter, then nothing that goes on with the word (`[WARN]`, `<info>`, `ERROR:`, `I!`, `INFO[0000]`,
# `ERROR/MainProcess]`, not `Errors`, `W110`, `info.log`, `http://`).
_DRESSED_WORD = re.compile(r'([^\w\s]{0,2})([A-Za-z]{1,11})(?![A-Za-z\d_]|[.-]\w|:/)').match


def token_dress(token: str) -> tuple[str, str] | None:
    """The word a token of a line holds and its dress: the punctuation before it and its case (`U` capitals, `l`
    lower case, `T` capitalised, `L` a capital letter); None for other tokens (numbers, paths, mixed case)."""
    found = _DRESSED_WORD(token)
    if found is None:
        return None
    core = found.group(2)
    if len(core) == 1:
        case = 'L' if core.isupper() else ''
    else:
        case = 'U' if core.isupper() else 'l' if core.islower() else 'T' if core.istitle() else ''
    return (core, found.group(1) + case) if case else None


def token_level(token: str) -> tuple[str, str] | None:
    """The level a token of a line writes and its dress (`token_dress`), or None when it writes none."""
    dressed = token_dress(token)
    if dressed is None:
        return None
    core, dress = dressed
    level = LEVEL_OF.get(core) if len(core) > 1 or core in LEVEL_LETTERS else None
    return (level, dress) if level else None


# One-character marks some logs write for the level, weakest to strongest: `.` and `-` detail, `*` and `+` notice,
# `#` and `!` warning. Read only in a column of the learned header that holds two of them or more.
LEVEL_MARKS = {'.': 'DEBUG', '-': 'DEBUG', '*': 'INFO', '+': 'INFO', '#': 'WARN', '!': 'WARN'}

# A capital letter and a colon opening a line, as package managers and debuggers print it (`E: Unable to locate
# package`, `W: ...`, `I: Connected to client`); not `A:` nor `C:`, an answer and a drive.
_COLON_LETTERS = frozenset('DINWEF')
# A level that opens a message behind a header that has none (a journal or syslog line, a learned header): glog and
# klog's letter, date and time (`I0612 09:14:02.101`), a letter and a number (`W110:`), or a level word among the
# first three words, the first found winning: in capitals (`[ERROR]`, `ERROR/MainProcess]`, `=ERROR REPORT===`), in any
# case before a colon (`error: ...`, `master: Warning: ...`, `JavaScript warning: ...`) or in brackets (`[notice]`).
# The first word may follow the seconds since start in brackets (`[0.013][INFO]:`). Each word is captured and looked
# up: every level word as an alternative, tried at each word, costs more on every line.
_LETTER_LEVEL = re.compile(r'(?:([IWEF])\d{4} \d\d:\d\d:\d\d|([DIWEF])\d{1,4}:(?=\s))').match
_WORD = (r'(?:[\[(<=*]?([A-Z]{3,13}(?![A-Za-z\d])|[A-Za-z]{3,13}(?=:(?:\s|$))'
         r'|(?<=[\[(<])[A-Za-z]{3,13}(?=[\])>])))?')
_first_words = re.compile(r'(?:\[[\d.:]+\])?' + _WORD + r'\S*\s*' + _WORD + r'\S*\s*' + _WORD).match
# Words that are a level in any case: the others (`log`, `note`, `config`, `http`) are a level only in capitals or in
# a column of a learned header, being ordinary words and file extensions too.
_ANY_CASE = frozenset(('TRACE', 'FINEST', 'FINER', 'FINE', 'VERBOSE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING',
                       'ERROR', 'ERR', 'SEVERE', 'FAIL', 'FAILURE', 'FATAL', 'CRITICAL', 'CRIT', 'EMERG', 'EMERGENCY',
                       'PANIC', 'TRCE', 'DBUG', 'FIXME'))
_OPENING_LEVELS = {word: LEVEL_OF[word] for word in LEVEL_WORDS if word.isupper() or word.upper() in _ANY_CASE}
# A device's letter before the time since it started, in parentheses: `I (469) heap_init: ...`, `W (516) ...`.
_LETTER_UPTIME = re.compile(r'([VDIWE]) \(\d[\d.:]*\)(?=\s)').match
# A system message's mnemonic with its syslog severity, 0 to 7 (`%LINK-3-UPDOWN:`, `%SYS-5-CONFIG_I:`), after at most
# this many characters (a sequence number and a time).
_MNEMONIC = re.compile(r'%[A-Z][A-Z\d_]*(?:-[A-Z\d_]+)*?-([0-7])-[A-Z][A-Z\d_]*:').match
MNEMONIC_REACH = 80


def leading_level(message: str) -> str:
    """The level written at the start of a message, or ''."""
    if message[:2] == '{"':
        level = json_level(message)
        if level:
            return level
    if message[1:3] == ': ' and message[0] in _COLON_LETTERS:
        return LEVEL_OF[message[0]]
    if message[1:2].isdigit():
        letter = _LETTER_LEVEL(message)
        if letter is not None:
            return LEVEL_OF[letter.group(1) or letter.group(2)]
    found = _first_words(message)
    assert found is not None  # every part is optional
    for word in found.groups():
        if word is not None and word in _OPENING_LEVELS:
            return _OPENING_LEVELS[word]
    return (letter_level(message) or doubled_letter_level(message) or mnemonic_level(message) or channel_level(message)
            or pair_level(message))


# The keys a JSON record names its level with.
JSON_LEVEL_KEYS = ('level', 'severity', 'log.level', 'lvl', 'levelname', 'loglevel', 'log_level', '@l', 'status')
# A level key with a text value among a JSON object's first characters, as a program logging JSON writes it behind
# a header of its own (a journal's or syslog's): `{"builds":0,"level":"warning","msg":...}`, cut short or not.
JSON_LEVEL_REACH = 500
# pino's and bunyan's numbers (`"level":50`) count too; not a status's (`"status":200`).
_json_level = re.compile(
    r'"(' + '|'.join(map(re.escape, JSON_LEVEL_KEYS)) + r')"\s*:\s*(?:"(\w{1,11})"|([1-6]0)(?!\d))').search


def json_level(message: str) -> str:
    """The level a JSON object opening the message names, or ''."""
    found = _json_level(message, 0, JSON_LEVEL_REACH)
    if found is None:
        return ''
    key, word, number = found.groups()
    if number is not None:
        return level_of_number(int(number)) if key != 'status' else ''
    return LEVEL_OF.get(word, '')


# A level key and its value among a message's first characters, as a program writing `key=value` pairs behind another
# header writes it (`time="..." level=warning msg="..."`, `pid=7 severity=error ...`). Found by its `=`: a pattern
# tried at every character costs more on every line.
PAIR_LEVEL_REACH = 200
_PAIR_KEYS = frozenset(('level', 'lvl', 'severity', 'sev', 'loglevel', 'log_level'))
_pair_value = re.compile(r'("?)([A-Za-z]{1,11})\1(?=[\s,]|$)').match


def pair_level(message: str) -> str:
    """The level a `level=...` pair near the start of the message names, or ''."""
    head = message[:PAIR_LEVEL_REACH]
    equals = head.find('=')
    while equals > 0:
        # Each key ends in one of these letters: the others are not looked at further.
        if head[equals - 1] in 'lvyLVY':
            start = max(head.rfind(' ', 0, equals), head.rfind(',', 0, equals)) + 1
            if head[start:equals].lower() in _PAIR_KEYS:
                value = _pair_value(head, equals + 1)
                return LEVEL_OF.get(value.group(2), '') if value is not None else ''
        equals = head.find('=', equals + 1)
    return ''


def letter_level(line: str) -> str:
    """The level of a line that opens with a level letter and the time since start in parentheses, or ''."""
    found = _LETTER_UPTIME(line) if line[1:3] == ' (' else None
    return LEVEL_OF[found.group(1)] if found is not None else ''


# A level letter written twice in parentheses, after an optional bracketed uptime: `[    27.170] (WW) ...`, `(EE) ...`;
# the other markers of that style (`(==)`, `(--)`, `(**)`) say where a setting came from, not how bad the line is.
_DOUBLED_LETTER = re.compile(r'(?:\[[\s\d.]{1,20}\]\s+)?\(([DIWE])\1\)(?=\s)').match


def doubled_letter_level(line: str) -> str:
    """The level of a line that opens with a doubled level letter in parentheses, or ''."""
    found = _DOUBLED_LETTER(line) if line[:1] in '[(' else None
    return LEVEL_OF[found.group(1)] if found is not None else ''


def mnemonic_level(message: str) -> str:
    """The syslog severity of a system message's mnemonic near the start of a message, or ''."""
    at = message.find('%', 0, MNEMONIC_REACH)
    found = _MNEMONIC(message, at) if at >= 0 else None
    return SYSLOG_SEVERITY[int(found.group(1))] if found is not None else ''


# A level after a channel's name and a dot, opening the message, in capitals or all in lower case: `local.ERROR: ...`,
# `app.WARNING: ...`, `console.warn: ...` (not `build.log: ...`); the colon is looked for within this many characters.
CHANNEL_REACH = 40


def channel_level(message: str) -> str:
    """The level a message opens with after its channel's name (`local.ERROR:`), or ''."""
    colon = message.find(':', 0, CHANNEL_REACH)
    dot = message.rfind('.', 0, colon) if colon > 0 else -1
    if dot <= 0 or message[colon + 1:colon + 2] not in (' ', '\t') or ' ' in message[:colon]:
        return ''
    word = message[dot + 1:colon]
    return _OPENING_LEVELS.get(word, '') if word.isupper() or word.islower() else ''


# Message identifiers that end in their severity (`AMQ6287I:`, `CWWKF0011I:`, `DSNT500I:`), at the start of a line.
_MESSAGE_ID = re.compile(r'\s*[A-Z]{3,5}\d{3,5}([IWES]):').match
_MESSAGE_ID_LEVELS = {'I': 'INFO', 'W': 'WARN', 'E': 'ERROR', 'S': 'ERROR'}
# Lines of an event searched for one.
MESSAGE_ID_LINES = 20


def message_id_level(lines: Sequence[str]) -> str:
    """The level of the first message identifier among an event's first lines, or ''."""
    for line in lines[:MESSAGE_ID_LINES]:
        found = _MESSAGE_ID(line)
        if found is not None:
            return _MESSAGE_ID_LEVELS[found.group(1)]
    return ''


# syslog severities 0..7 (RFC 5424 table 2).
SYSLOG_SEVERITY = ('FATAL', 'FATAL', 'FATAL', 'ERROR', 'WARN', 'INFO', 'INFO', 'DEBUG')
# Small numbers that rise with the severity (0 debug .. 4 fatal), as some applications write them.
RISING_SEVERITY = ('DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL')
_SEVERITY_RANK = {'TRACE': 0, 'DEBUG': 1, 'INFO': 2, 'WARN': 3, 'ERROR': 4, 'FATAL': 5}


def small_severity_scale(seen: Sequence[tuple[int, str]]) -> tuple[str, ...]:
    """The scale of a file's small numeric levels (0..9), from each record's number and the level its words say
    (`infer_level`): the syslog scale (falling) or the rising one. A number above the rising scale's is syslog's; else
    the scale under which the records whose words say trouble have the more severe levels; failing that, the one that
    makes the file's most common number the milder: a log is mostly ordinary records, not fatal ones."""
    numbers = [number for number, _ in seen]
    if not numbers or max(numbers) >= len(RISING_SEVERITY):
        return SYSLOG_SEVERITY
    rising, falling = severity_contrast(RISING_SEVERITY, seen), severity_contrast(SYSLOG_SEVERITY, seen)
    if rising != falling:
        return RISING_SEVERITY if rising > falling else SYSLOG_SEVERITY
    usual = max(set(numbers), key=numbers.count)
    milder = _SEVERITY_RANK[RISING_SEVERITY[usual]] <= _SEVERITY_RANK[SYSLOG_SEVERITY[usual]]
    return RISING_SEVERITY if milder else SYSLOG_SEVERITY


def severity_contrast(scale: tuple[str, ...], seen: Sequence[tuple[int, str]]) -> float:
    """How much more severe, on `scale`, the records whose words say trouble are than the others (0 when either kind
    is missing)."""
    said = [_SEVERITY_RANK[scale[number]] for number, words in seen if words]
    quiet = [_SEVERITY_RANK[scale[number]] for number, words in seen if not words]
    return sum(said) / len(said) - sum(quiet) / len(quiet) if said and quiet else 0.0


def level_of_number(value: int) -> str:
    """pino/bunyan numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal."""
    if value >= 60:
        return 'FATAL'
    if value >= 50:
        return 'ERROR'
    if value >= 40:
        return 'WARN'
    if value >= 30:
        return 'INFO'
    if value >= 20:
        return 'DEBUG'
    return 'TRACE'


def level_of_status(status: str) -> str:
    """HTTP access lines: 5xx is the server failing, 4xx the client."""
    if status[:1] == '5':
        return 'ERROR'
    if status[:1] == '4':
        return 'WARN'
    return 'INFO'


# Words that say how bad an event is when its format writes no level; the strongest found wins.
_SAID = {
    # A shell's words for a program killed by a signal: `Segmentation fault (core dumped)`, `Illegal instruction`.
    'FATAL': ('fatal', 'panic', 'panicked', 'crash', 'crashed', 'segfault', 'segmentation', 'critical', 'emergency',
              'illegal'),
    'ERROR': ('error', 'errors', 'err', 'fail', 'fails', 'failed', 'failing', 'failure', 'failures', 'exception',
              'denied', 'refused', 'refusing', 'unable', 'cannot', "can't", "couldn't", 'timeout', 'timed-out',
              'unreachable', 'abort', 'aborted', 'aborting', 'corrupt', 'corrupted', 'killed', 'violation',
              'unauthorized', 'forbidden', 'died', 'broken'),
    'WARN': ('warn', 'warning', 'warnings', 'deprecated', 'invalid', 'retry', 'retrying', 'lost', 'dropped',
             'degraded', 'unexpected', 'mismatch', 'rejected', 'expired', 'slow', 'dropping'),
}
# What a negation says is absent or forbidden is an error: `not found`, `no such file`, `no matching manifest`,
# `does not exist`, `not permitted`.
_ABSENT = frozenset(('found', 'such', 'matching', 'exist', 'exists', 'permitted', 'allowed', 'supported'))
_SAID_LEVEL = {word: level for level, words in _SAID.items() for word in words}
_RANK = {'WARN': 1, 'ERROR': 2, 'FATAL': 3}
# A word after these is denied, not said: "no errors" says none.
_NEGATIONS = frozenset(('no', 'not', 'without', 'zero', 'never', 'non'))
_PUNCTUATION = '.,;:!?()[]{}<>"\'`*'


def infer_level(words: Sequence[str]) -> str:
    """The level a message's words say (`connection refused` is an ERROR), or '' when they say none.

    Only whole words count, and the suffix of a class name (`IOException`, `OutOfMemoryError`); a key of
    key=value (`errors=0`) and a word after a negation do not.
    """
    found = ''
    previous = ''
    for word in words:
        bare = word.strip(_PUNCTUATION)
        lower = bare.lower()
        level = _SAID_LEVEL.get(lower, '') if '=' not in word else ''
        if previous in _NEGATIONS:
            level = 'ERROR' if lower in _ABSENT else ''
        if not level and (bare.endswith('Exception') or (bare.endswith('Error') and len(bare) > 5)):
            level = 'ERROR'
        if level and _RANK[level] > _RANK.get(found, 0):
            found = level
        previous = lower
    return found
