"""Mask the variable parts of a message so that events differing only in values share a template.

Token by token, as Drain does: a piece of a word that holds a digit is a value as a whole (a host name like
`web-10-2`, a request id, a hash, a time), so it becomes one wildcard, never one per digit run. A word is cut
into pieces at brackets, `=`, commas and quotes only, so `kernel[0]:` keeps its name (`kernel[<*>]:`). Values
after `=`, paths and URLs are variable too.
"""

from __future__ import annotations

import re

WILDCARD = '<*>'
# What separates the pieces of a word; a piece is masked or kept as a whole.
_CUT = r'\s\[\](){}<>=,;|"\''
_FILE_TYPES = ('exe|dll|so|sys|jar|war|class|py|rb|js|ts|go|java|c|cc|cpp|h|sh|bat|ps1|conf|cfg|ini|yml|yaml|json|xml|'
               'toml|properties|txt|log|csv|html?|css|png|jpe?g|gif|svg|pdf|zip|t?gz|bz2|xz|tar|deb|rpm|bak|bk|tmp|'
               'pid|sock|lock|db|sqlite|sql|dat|bin|img|iso')
_VARIABLE = re.compile(
    r'\b[a-zA-Z][a-zA-Z0-9+.-]{0,15}://[^\s"\'<>]*'  # URL (bounded scheme: no quadratic scan)
    # base64 with its padding: 16 characters or more, a digit among them, `=` or `==` at the end of the piece
    r'|(?:^|(?<=[' + _CUT + r']))(?=[\w+/-]{16,}={1,2}(?:[^\w+/=-]|$))[A-Za-z+/_-]*+\d[\w+/-]*+={1,2}'
    # the value of key=value; not a word opened by `=` (`=CRASH REPORT====`), a banner's mark rather than a key's value
    r'|(?<=\S=)(?:[^' + _CUT + r']|\([^\s()]*\)|\{[^\s{}]*\}|\[[^\s\[\]]*\])++'
    # A piece holding a digit (`/10.0.0.1:80` too): it starts after a cut or at the start, scanned once.
    r'|(?:^|(?<=[' + _CUT + r']))[^' + _CUT + r'\d]*+\d[^' + _CUT + r']*+'
    r'|(?<![\w/.~\\])(?:~|\.{1,2})?(?:/[^' + _CUT + r'/]+){2,}/?'  # absolute or relative path of 2+ parts
    # a path relative to a folder it names, of three parts or more (`assets/sounds/click`); `I/O`, `TCP/IP` have two
    r'|(?<![\w/.~\\])[A-Za-z_][\w.-]*(?:/[\w.-]+){2,}/?(?![^' + _CUT + r'])'
    r'|(?<![\w/.~\\])~?/[^' + _CUT + r'/]+\.\w+'  # /file.ext
    r'|\b[A-Za-z]:\\[^' + _CUT + r']*'  # Windows path
    r'|(?<![^' + _CUT + r'])[nN]/[aA](?![^' + _CUT + r'])'  # `n/a`, written where a value is missing
)
_sub = _VARIABLE.sub
# Common top-level domains, written in lower case as host names are (`System.IO` is a namespace).
_DOMAINS = 'com|net|org|edu|gov|io|local|lan|internal|localdomain'
# A file name with a common extension (`chrome.exe`, `conf/app.yml`) or a host name under a common domain
# (`db1.corp.example.com`): a value even without a digit. Matched only when a word is first seen by the template
# miner, which is where a value without a digit splits templates.
_file_name = re.compile(r'(?:^|(?<=[' + _CUT + r']))(?:[\w.-]++/)*+(?:[\w-]++\.)++(?:(?i:' + _FILE_TYPES
                        + r')|' + _DOMAINS + r')(?=[' + _CUT + r']|$)').sub
# A media type (`text/html`, `image/svg+xml`): a value of a record even without a digit.
_media_type = re.compile(r'(?:application|audio|font|image|message|model|multipart|text|video)/[\w.+-]+[;,]?').fullmatch
# Words joined by commas without a space (`qr,rd,ra`, `TERM,HUP`): a set of flags or options, one value.
_word_list = re.compile(r'[A-Za-z][\w-]{0,15}(?:,[A-Za-z][\w-]{0,15})+,?').fullmatch
# The methods of HTTP (and WebDAV): the first word of a quoted request.
_METHOD = r'(?:GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|UNLOCK) '
_quoted = re.compile(r'(?<![\w\\])"(?P<verb>' + _METHOD + r')?[^"]*"|(?<!\w)\'(?P<word>' + _METHOD
                     + r')?[^\']*\'(?!\w)').sub

# A mapping with quoted keys (JSON, a Python dict) that stands as words of its own, with mappings inside it one
# level deep.
_mapping = re.compile(r'(?<!\S)\{(?=["\'])[^{}]*+(?:\{[^{}]*+\}[^{}]*+)*+\}(?!\S)').sub
# In a record of `key=value` fields between `|` (`action=EXEC|args=ls -l|pid=7`), a value runs to the next `|`.
_piped_value = re.compile(r'(?<![^|])([\w.-]+=)(?=[^|\s]*+\s)[^|]*+(?=\|[\w.-]+=|$)').sub


def _quoted_value(match: re.Match[str]) -> str:
    """A quoted value whole, but for the method of a request (`"GET /x HTTP/1.1"`), which says what happened; any
    other first word (`"USER anonymous"`, `"PASV"`) is part of the value."""
    quote = match.group()[0]
    verb = match.group('verb') or match.group('word')
    return f'{quote}{verb}{WILDCARD}{quote}' if verb else WILDCARD


def mask(message: str) -> str:
    return _joined(_sub(WILDCARD, message))


def _joined(masked: str) -> str:
    # Two values side by side (`/24` after an address) read as one.
    while '<*><*>' in masked:
        masked = masked.replace('<*><*>', WILDCARD)
    return masked


_has_word = re.compile(r'[^\W_]').search


def _whole(masked: str) -> str:
    """A word made of several values and punctuation alone (`[::1]:8080`, `(10,0,2,1)`) is one value."""
    if masked.count(WILDCARD) > 1 and _has_word(masked.replace(WILDCARD, '')) is None:
        return WILDCARD
    return masked


# A value in parentheses, and a version written so (`(1.2.0-3)`, `(2:4.1+dfsg-1)`).
_IN_PARENTHESES = f'({WILDCARD})'
_version = re.compile(r'\(v?\d+(?:[.:+~-]\w+)+\)').fullmatch
# A name without a value or a mark of its own (`libfoo`, `open-ssl`).
_plain_word = re.compile(r'[A-Za-z][\w.+-]*').fullmatch
# A field left empty in a record.
EMPTY = '-'
# Two values side by side as words.
_RUN = f' {WILDCARD} {WILDCARD} '
# Longer words are masked every time rather than remembered.
MAX_CACHED_TOKEN = 64


def _versioned_names_as_values(words: list[str], out: list[str]) -> list[str]:
    """The word before a version in parentheses (`installed libfoo (1.2.0-3)`) names what has that version: a
    value, as the version is."""
    return [WILDCARD if index + 1 < len(out) and out[index + 1] == _IN_PARENTHESES and _version(words[index + 1])
            and _plain_word(token) else token for index, token in enumerate(out)]


def _empty_fields_as_values(out: list[str]) -> list[str]:
    """Empty fields (`-`) next to a value, alone or in a row, are values of a record: records that leave different
    fields empty keep one length once values side by side are joined."""
    result = out[:]
    start = 0
    while start < len(out):
        if out[start] not in (WILDCARD, EMPTY):
            start += 1
            continue
        end = start
        while end < len(out) and out[end] in (WILDCARD, EMPTY):
            end += 1
        if WILDCARD in out[start:end]:
            result[start:end] = [WILDCARD] * (end - start)
        start = end
    return result


# A record mostly of `KEY=value` words (a packet filter's, an audit daemon's): at least this many, and this share.
MIN_FIELDS = 4
FIELDS_SHARE = 0.6
_field = re.compile(r'[A-Za-z_][\w.-]*=').match
_flag = re.compile(r'[A-Z][A-Z\d_]{0,7}').fullmatch


def _mostly_fields(out: list[str]) -> bool:
    fields = sum(1 for token in out if _field(token))
    return fields >= MIN_FIELDS and fields >= FIELDS_SHARE * len(out)


def _flags_dropped(out: list[str]) -> list[str]:
    """Among `KEY=value` fields, a bare word in capitals (`DF`, `SYN`, `ACK`) is a flag that one record sets and the
    next does not: part of the field before it, so records with other flags keep one length and one template."""
    kept = [out[0]]
    for token in out[1:]:
        if not (_flag(token) and _field(kept[-1])):
            kept.append(token)
    return kept


class TokenMasker:
    """Masks a message word by word, remembering each word's mask: words repeat, so most cost one lookup.

    Bounded: past `cache_size` words, new words are masked without being remembered.
    """

    def __init__(self, cache_size: int) -> None:
        self._cache: dict[str, str] = {}
        self._cache_size = cache_size

    def tokens(self, message: str) -> tuple[list[str], str, int]:
        """The message's words masked, the same words joined by one space, and how many words of values side by side
        were joined into one."""
        if '{' in message:
            # A mapping written out (`payload: {'uptime': 5, 'ok': True}`) is data: one value whatever its keys.
            message = _mapping(WILDCARD, message)
        if '"' in message or "'" in message:
            # A quoted value may hold spaces: one wildcard for all of it, before the message is split into words.
            message = _quoted(_quoted_value, message)
        if '|' in message:
            # Spaces inside a value do not change how many words the message has.
            message = _piped_value(r'\1' + WILDCARD, message)
        get, masked = self._cache.get, self._masked
        words = message.split()
        out = [get(token) or masked(token) for token in words]
        if _IN_PARENTHESES in out:
            out = _versioned_names_as_values(words, out)
        if '=' in out:
            # `name = value` written with spaces: the word after the `=` is a value, as in `name=value`.
            out = [WILDCARD if index and out[index - 1] == '=' != word else word for index, word in enumerate(out)]
        if EMPTY in out and any(token not in (WILDCARD, EMPTY) for token in out):
            out = _empty_fields_as_values(out)
        if '=' in message and _mostly_fields(out):
            out = _flags_dropped(out)
        joined = ' '.join(out)
        length = len(out)
        if _RUN in f' {joined} ' and any(token != WILDCARD for token in out):
            # A value written as several words (a date, `name *64`, a version and its build) is one wildcard, so
            # the number of its words does not change the message's length. Not in a message of values alone,
            # which would then match any other.
            out = [token for index, token in enumerate(out)
                   if token != WILDCARD or index == 0 or out[index - 1] != WILDCARD]
            joined = ' '.join(out)
        return out, joined, length - len(out)

    def _masked(self, token: str) -> str:
        if token.isdigit():  # the commonest value, and mostly a new one: not worth a regex or a place in the cache
            return WILDCARD
        masked = _sub(WILDCARD, token)
        if '.' in masked:
            masked = _file_name(WILDCARD, masked)
        # `NONE/-` is the code of a record whose other field after the slash is left empty, as `DIRECT/10.0.0.1`
        # holds a value: one value as a whole, as that one is.
        if ('/' in masked and (_media_type(masked) or masked.endswith('/-'))) or (',' in masked and _word_list(masked)):
            masked = WILDCARD
        masked = _whole(_joined(masked))
        if len(self._cache) < self._cache_size and len(token) < MAX_CACHED_TOKEN:
            self._cache[token] = masked
        return masked
