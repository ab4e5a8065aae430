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
_VARIABLE = re.compile(
    r'\b[a-zA-Z][a-zA-Z0-9+.-]{0,15}://[^\s"\'<>]*'  # URL (bounded scheme: no quadratic scan)
    # base64 with its padding: 16 characters or more, a digit among them, `=` or `==` at the end of the piece
    r'|(?:^|(?<=[' + _CUT + r']))(?=[\w+/-]{16,}={1,2}(?:[^\w+/=-]|$))[A-Za-z+/_-]*+\d[\w+/-]*+={1,2}'
    r'|(?<==)(?:[^' + _CUT + r']|\([^\s()]*\)|\{[^\s{}]*\}|\[[^\s\[\]]*\])++'  # the value of key=value
    # A piece holding a digit (`/10.0.0.1:80` too): it starts after a cut or at the start, scanned once.
    r'|(?:^|(?<=[' + _CUT + r']))[^' + _CUT + r'\d]*+\d[^' + _CUT + r']*+'
    r'|(?<![\w/.~\\])(?:~|\.{1,2})?(?:/[^' + _CUT + r'/]+){2,}/?'  # absolute or relative path of 2+ parts
    r'|(?<![\w/.~\\])~?/[^' + _CUT + r'/]+\.\w+'  # /file.ext
    r'|\b[A-Za-z]:\\[^' + _CUT + r']*'  # Windows path
)
_sub = _VARIABLE.sub
_quoted = re.compile(r'(?<![\w\\])"[^"]*"|(?<!\w)\'[^\']*\'(?!\w)').sub


def mask(message: str) -> str:
    return _joined(_sub(WILDCARD, message))


def _joined(masked: str) -> str:
    # Two values side by side (`/24` after an address) read as one.
    while '<*><*>' in masked:
        masked = masked.replace('<*><*>', WILDCARD)
    return masked


# Longer words are masked every time rather than remembered.
MAX_CACHED_TOKEN = 64


class TokenMasker:
    """Masks a message word by word, remembering each word's mask: words repeat, so most cost one lookup.

    Bounded: past `cache_size` words, new words are masked without being remembered.
    """

    def __init__(self, cache_size: int) -> None:
        self._cache: dict[str, str] = {}
        self._cache_size = cache_size

    def tokens(self, message: str) -> list[str]:
        if '"' in message or "'" in message:
            # A quoted value may hold spaces: one wildcard for all of it, before the message is split into words.
            message = _quoted(WILDCARD, message)
        cache = self._cache
        out = []
        for token in message.split():
            masked = cache.get(token)
            if masked is None:
                masked = _joined(_sub(WILDCARD, token))
                if len(cache) < self._cache_size and len(token) < MAX_CACHED_TOKEN:
                    cache[token] = masked
            out.append(masked)
        return out
