"""Mask the variable parts of a message so that events differing only in values share a template."""

from __future__ import annotations

import re

WILDCARD = '<*>'
# One alternation, one pass: ids, addresses and hex first (they contain digits that the last branch would split).
_VARIABLE = re.compile(
    r'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'  # UUID
    r'|\b(?:[a-zA-Z][a-zA-Z0-9+.-]{0,15}://|www\.)[^\s"\'<>]+'  # URL (bounded scheme: no quadratic scan)
    r'|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b'  # IPv4[:port]
    r'|\b(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b'  # IPv6 and MAC-like
    r'|\b0[xX][0-9a-fA-F]+\b'  # 0x hex
    r'|\b(?=[a-fA-F]*\d)(?=\d*[a-fA-F])[0-9a-fA-F]{6,}\b'  # hex ids, hashes
    r'|(?<![\w/])(?:/[\w.@%+~-]+){2,}/?|(?<![\w/])~?/[\w.@%+~-]+\.\w+'  # absolute paths
    r'|[-+]?\d+(?:[.,:]\d+)*'  # numbers, times, versions
)
_sub = _VARIABLE.sub
_quoted = re.compile(r'(?<![\w\\])"[^"]*"|(?<!\w)\'[^\']*\'(?!\w)').sub


def mask(message: str) -> str:
    return _sub(WILDCARD, message)


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
                masked = _sub(WILDCARD, token)
                if len(cache) < self._cache_size and len(token) < MAX_CACHED_TOKEN:
                    cache[token] = masked
            out.append(masked)
        return out
