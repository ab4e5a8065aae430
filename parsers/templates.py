"""Template mining in the Drain family: mask values, then cluster same-length token sequences by similarity.

Hand-written rather than Drain3 because Drain3 cannot reach the speed this engine needs (it re-masks and walks
its tree on every line) and has no notion of a level in the group; this keeps Drain's idea — same length, same
first token, share of equal tokens over a threshold — plus an exact-match cache keyed on the masked message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.formats.json_lines import json_message
from parsers.masking import WILDCARD, TokenMasker

# Longer masked messages are matched every time rather than remembered.
MAX_CACHED_MESSAGE = 1024
# Words of a message that take part in matching (and are kept in its template).
MAX_TOKENS = 128
# A message this long joins a template it differs from in one word whatever the similarity: one unmasked value
# (a user name) does not make a new kind of event.
MIN_TOKENS_FOR_ONE_VALUE = 5
# Templates compared with a new message; past this, the closest one absorbs it.
MAX_PER_BUCKET = 200
# Keys whose value is the record's own words among a message's fields (`tag: net, msg: packet_sent, peer: ...`): two
# values there are two kinds of record.
MESSAGE_KEYS = frozenset(f'{word}:' for name in ('msg', 'message', 'event') for word in (name, name.capitalize()))
# Words a bracketed prefix of a message (`[Transaction Marker Channel Manager 0]:`) may span.
MAX_PREFIX_WORDS = 8
# Keys after which the rest of the message is a statement (SQL) or a command line of any length: one value.
STATEMENT_KEYS = frozenset(f'{word}:' for name in ('statement', 'query', 'sql', 'args', 'argv', 'cmdline')
                           for word in (name, name.capitalize(), name.upper()))
# Words the name of a field in a table of fields may have.
MAX_FIELD_NAME_WORDS = 3
# Keys of the referring page that a web server appends to an error (`, referer: http://...`).
REFERRER_KEYS = frozenset(('referer:', 'referrer:', 'Referer:', 'Referrer:'))
# A name in brackets or parentheses (a module, a class, a logger: `[ingest-common]`, `(kafka.log.LogManager)`) is a
# value where two messages differ. Not a bare dotted name: `android.intent.action.SCREEN_ON` says what happened.
_NAME = r'[A-Za-z][\w$]*(?:[-.][A-Za-z_$][\w$]*)+'
# What may stand around a word in a message: a bracket, a colon, a full stop, an ellipsis.
_PUNCTUATION = '[](){}<>.,;:!?*'
# Marks that close a word, with the bracket they close: kept after a wildcard where two words differ but end alike.
_CLOSING = {')': '(', ']': '[', '}': '{', ',': None, ';': None, ':': None}
# Words that mark a start or an end of something, whichever their form.
_BOUNDS = frozenset(('start', 'stop', 'begin', 'end', 'enter', 'exit', 'open', 'close', 'up', 'down', 'before',
                     'after'))
# A dotted name that opens a message as its subject (`db_cluster.primary: Refreshing state...`): which thing, not
# what happened to it.
_dotted_subject = re.compile(r'[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+:').fullmatch
# A name written in camel case (`TrustedInstaller`, `DataSourceNone`): which program or class, a value.
_camel_name = re.compile(r'[A-Z][a-z]+(?:[A-Z][a-z]*)+[,.;:]?').fullmatch
# A word in brackets that ends a word (`[status]`, `[<*>][body]:`): a tag that says which kind of message it is.
_tag = re.compile(r'\[[A-Za-z]+\]:?$').search
_enclosed_name = re.compile(rf'(?:\[{_NAME}\]|\({_NAME}\))[,:;]?').fullmatch
# A word with a name in brackets glued to it (`Target[allfile]`, `queue[orders]:`): which one of its kind, a value.
_indexed = re.compile(r'([A-Za-z_][\w.-]*)\[[^\[\]\s]+\]([,:;]?)').fullmatch
_has_letter = re.compile(r'[^\W\d_]').search
# The marks a rule is drawn with.
_RULE_MARKS = frozenset('-=*#~_+.')
_option = re.compile(r'--[A-Za-z][\w.-]*=' + re.escape(WILDCARD)).fullmatch


@dataclass(slots=True, eq=False)
class Cluster:
    id: int
    tokens: list[str]
    # The level its words say (for events whose format writes none); None until asked.
    said_level: str | None = None
    # The tokens `valueless` last told of, and what it told: told again only once they change.
    told_tokens: list[str] | None = None
    told_valueless: bool = False

    @property
    def valueless(self) -> bool:
        """Whether its template holds no word, only values and punctuation."""
        if self.told_tokens is not self.tokens:
            self.told_tokens = self.tokens
            self.told_valueless = not any(_has_letter(token.replace(WILDCARD, '')) for token in self.tokens)
        return self.told_valueless

    @property
    def template(self) -> str:
        return ' '.join(self.tokens)


class TemplateMiner:
    def __init__(self, similarity: float = 0.75, cache_size: int = 100_000, max_clusters: int = 10_000) -> None:
        self.similarity = similarity
        self.cache_size = cache_size
        self.max_clusters = max_clusters
        self.clusters: list[Cluster] = []
        self._overflow: Cluster | None = None
        self._cache: dict[str, Cluster] = {}
        self._by_message: dict[str, Cluster] = {}
        self._masker = TokenMasker(cache_size // 4)
        self._buckets: dict[tuple[int, str], list[Cluster]] = {}
        # Clusters by their length and their words after the first, as they were made.
        self._by_rest: dict[tuple[int, str], Cluster] = {}

    def add(self, message: str) -> Cluster:
        """The cluster of one message; its template generalizes as different values arrive."""
        if message[:2] == '{"':
            # A JSON object behind another header (a journal's, syslog's) is the kind of record its message says.
            message = json_message(message) or message
        cluster = self._by_message.get(message)
        if cluster is not None:
            return cluster
        tokens, masked, joined_values = self._masker.tokens(message)
        cluster = self._cache.get(masked)
        if cluster is None:
            cluster = self._match(tokens, joined_values)
            if len(self._cache) >= self.cache_size or len(masked) >= MAX_CACHED_MESSAGE:
                return cluster
            self._cache[masked] = cluster
        if WILDCARD not in masked and len(self._by_message) < self.cache_size:
            # A message without values, seen again, costs one lookup rather than a masking.
            self._by_message[message] = cluster
        return cluster

    def _match(self, tokens: list[str], joined_values: int = 0) -> Cluster:
        """The cluster of masked words, of which `joined_values` more words of values were joined into their
        neighbours' wildcards: they count in the length that lets a message differ from its template in one word."""
        tokens = _statement_as_value(_without_bracketed_prefix(tokens[:MAX_TOKENS]))
        if tokens and _dotted_subject(tokens[0]):
            tokens = [WILDCARD, *tokens[1:]]
        tokens = [_token_kind(token) for token in _field_name_as_value(tokens)]
        if len(tokens) > 2 and tokens[-2] in REFERRER_KEYS:
            # The page that linked to a request says where a visitor came from, not what happened; servers write
            # it only when the browser sent one.
            tokens = [*tokens[:-3], tokens[-3].removesuffix(',')]
        count = len(tokens)
        first = tokens[0] if tokens and WILDCARD not in tokens[0] else WILDCARD
        bucket = self._buckets.setdefault((count, first), [])
        best: Cluster | None = None
        best_score = -1.0
        best_same = 0
        # Which of the message's tokens are names (enclosed, or in camel case): told once, not for every candidate.
        enclosed = [_is_name(token) for token in tokens] if bucket else []
        indexes = [_index_of(token) for token in tokens] if bucket else []
        for candidate in bucket:
            same = sum(1 for mine, theirs, named, index in zip(candidate.tokens, tokens, enclosed, indexes, strict=True)
                       if mine == theirs or (named and (mine.startswith(WILDCARD) or _is_name(mine)))
                       or (index is not None and _index_of(mine) == index))
            score = same / count if count else 1.0
            if score > best_score and (same == count or not _other_key(candidate.tokens, tokens)):
                best, best_score, best_same = candidate, score, same
        if best is not None and (best_score >= self.similarity
                                 or (count + joined_values >= MIN_TOKENS_FOR_ONE_VALUE and best_same >= count - 1)):
            if best.tokens != tokens:
                best.tokens = _generalized(best.tokens, tokens)
            return best
        rest = (count, ' '.join(tokens[1:]))
        if first != WILDCARD and (count + joined_values >= MIN_TOKENS_FOR_ONE_VALUE
                                  or (count > 1 and tokens[-1][-1] == ':')):
            # Drain keeps messages apart by their first word; a long one that differs from a template in its first
            # word alone (`Rude variant of RCU enabled.`, `Tracing variant of ...`) is the same event, and so is a
            # heading of what follows (`Disk usage:`, `Memory usage:`); unless that word says what happened or is
            # not a plain word (`save()` names the code that wrote it).
            other = self._by_rest.get(rest)
            if (other is not None and first.isalpha() and (other.tokens[0] == WILDCARD or other.tokens[0].isalpha())
                    and not _other_key(other.tokens[:1], tokens[:1])):
                other.tokens = _generalized(other.tokens, tokens)
                return other
        full = len(self.clusters) >= self.max_clusters
        if best is None and len(bucket) >= MAX_PER_BUCKET:
            best = bucket[0]  # each differs in a key: one absorbs it all the same, so that a bucket stays bounded
        if best is not None and (full or len(bucket) >= MAX_PER_BUCKET):
            # A bucket this full is one message shape with many values: generalize rather than grow.
            best.tokens = _generalized(best.tokens, tokens)
            return best
        if full:
            if self._overflow is None:
                self._overflow = Cluster(len(self.clusters), [WILDCARD])
                self.clusters.append(self._overflow)
            return self._overflow
        cluster = Cluster(len(self.clusters), tokens)
        self.clusters.append(cluster)
        bucket.append(cluster)
        self._by_rest.setdefault(rest, cluster)
        return cluster


def _is_name(token: str) -> bool:
    return _enclosed_name(token) is not None or _camel_name(token) is not None


def _index_of(token: str) -> tuple[str, str] | None:
    """The word and the closing mark of a word with a name in brackets glued to it, or None."""
    found = _indexed(token) if token[-1:] in '],:;' else None
    return (found.group(1), found.group(2)) if found is not None else None


def _generalized(mine: list[str], theirs: list[str]) -> list[str]:
    """The template of both: a wildcard where they differ, with the closing mark both words end in when it closes
    what an earlier word opened (`(ID: <*>)`)."""
    return [one if one == other else _closed(one, other) for one, other in zip(mine, theirs, strict=True)]


def _same_indexed(one: str, other: str) -> bool:
    """Whether both are the same word with a name in brackets glued to it (`Target[allfile]`, `Target[c]`)."""
    index = _index_of(one)
    return index is not None and index == _index_of(other)


def _closed(one: str, other: str) -> str:
    index = _index_of(one)
    if index is not None and index == _index_of(other):
        return f'{index[0]}[{WILDCARD}]{index[1]}'
    mark = one[-1:]
    if mark and mark == other[-1:] and mark in _CLOSING:
        opener = _CLOSING[mark]
        if opener is None or (opener not in one and opener not in other):
            return WILDCARD + mark
    return WILDCARD


def _token_kind(token: str) -> str:
    """A rule drawn with one mark (`--------`, `=====`) is the same rule at any length; an option set on a command
    line (`--bind-address=<*>`) is a value whichever the option, as a `key:` names a value in a table of fields."""
    if len(token) > 3 and token[0] in _RULE_MARKS and token == token[0] * len(token):
        return token[:3]
    return WILDCARD if _option(token) else token


def _field_name_as_value(tokens: list[str]) -> list[str]:
    """A line of a table of fields, a name of a few words, a colon standing alone and a value (`User directory :
    /srv`), is one event whichever the field: the name is a value too. A name of one word may be the event
    (`REPORT : ...`)."""
    for index in range(2, min(len(tokens) - 1, MAX_FIELD_NAME_WORDS + 1)):
        if tokens[index] == ':':
            return [WILDCARD, *tokens[index:]]
    return tokens


def _statement_as_value(tokens: list[str]) -> list[str]:
    """A statement after its key is one value, however many words it has, even when it follows on the next lines:
    queries that differ only in their text are one event. Here, not in the masker: only new messages pay for it."""
    for index, token in enumerate(tokens):
        if token in STATEMENT_KEYS:
            return [*tokens[:index + 1], WILDCARD]
    return tokens


def _without_bracketed_prefix(tokens: list[str]) -> list[str]:
    """The message without the bracketed words that open it (`[component]`, `[req-id]`, `[user]`): they say where
    or for whom, not what happened, and a message written with or without them is the same event."""
    start = 0
    while start < len(tokens) and tokens[start][:1] == '[':
        end = next((index for index in range(start, min(start + MAX_PREFIX_WORDS, len(tokens)))
                    if tokens[index].endswith((']', ']:'))), None)
        if end is None:
            break
        start = end + 1
    return tokens[start:] if start < len(tokens) else tokens


def _other_key(mine: list[str], theirs: list[str]) -> bool:
    """Whether the two differ in a key (`command:` against `response:`) or in a word that says what happened
    (`sync enabled` against `sync disabled`, `Starting` against `Ending`): that word says which event it is."""
    return any(one != other and (_is_key(one) or _is_key(other) or _is_deed(one, other)
                                 or (index > 0 and mine[index - 1] in MESSAGE_KEYS and WILDCARD not in one)
                                 or (_tag(one) is not None and _tag(other) is not None and not _after_key(mine, index)
                                     and not _same_indexed(one, other)))
               for index, (one, other) in enumerate(zip(mine, theirs, strict=True)))


def _after_key(tokens: list[str], index: int) -> bool:
    """Whether the word follows a key (`Login OK: [alice]`): a word in brackets there is the key's value, no tag."""
    return index > 0 and _is_key(tokens[index - 1])


def _is_deed(one: str, other: str) -> bool:
    """Two words, one of them a participle (`disabled`, `Registering`) or a word that marks a start or an end."""
    one, other = one.strip(_PUNCTUATION), other.strip(_PUNCTUATION)
    return one.isalpha() and other.isalpha() and (_deed(one) or _deed(other))


def _deed(word: str) -> bool:
    lower = word.lower()
    return lower in _BOUNDS or (len(lower) > 5 and lower.endswith(('ed', 'ing')))


def _is_key(token: str) -> bool:
    # Not a path (`init/network-search:`): a key names a field, a path names a thing.
    return token[-1:] == ':' and WILDCARD not in token and '/' not in token and any(char.isalpha() for char in token)
