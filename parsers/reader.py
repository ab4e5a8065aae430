"""Turn a stream of bytes into clean text lines with bounded memory."""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

CHUNK_SIZE = 1 << 20
GZIP_MAGIC = b'\x1f\x8b'
TRUNCATION_MARKER = ' …[line truncated]'
_ANSI_ESCAPE = re.compile(r'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]')
# Bytes that never appear in text logs; a sample rich in them is a binary file.
_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 27)) + bytes(range(28, 32))


class ByteSource(Protocol):
    def read(self, size: int, /) -> bytes: ...


class InputError(ValueError):
    """Input that cannot be read as a log; the message is meant for the person who supplied it."""


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Every bound the engine keeps; the application's settings fill them in."""

    max_line_bytes: int = 64 * 1024
    max_decompressed_bytes: int = 2 * 1024**3
    # Occurrence line numbers kept per group, lines of its example event, lines of context before it.
    max_occurrences: int = 1000
    max_example_lines: int = 200
    max_example_chars: int = 8192
    context_lines: int = 20
    # Template mining: share of equal tokens that joins a message to a template, and bounds on its state.
    similarity: float = 0.7
    max_groups: int = 10_000
    template_cache_size: int = 200_000
    # The timeline has at most this many buckets; segments listed at most this many.
    timeline_buckets: int = 120
    max_segments: int = 1000
    # Processes reading one big file (a file of at least parallel_min_bytes, read without callbacks).
    workers: int = 1
    parallel_min_bytes: int = 32 * 1024 * 1024


@dataclass(slots=True)
class ReadStats:
    bytes_read: int = 0
    truncated_lines: int = 0
    encoding: str = 'utf-8'
    compressed: bool = False


def iter_batches(
    stream: ByteSource, limits: ReadLimits | None = None, stats: ReadStats | None = None
) -> Iterator[list[str]]:
    """Yield the stream's decoded lines (without line endings) in batches, one batch per chunk read.

    gzip is decompressed transparently and capped; UTF-8 (with BOM) and UTF-16 are decoded; NUL bytes and
    ANSI colour codes are stripped; a line longer than the limit is cut and marked. Lines end at LF only.
    """
    limits = limits or ReadLimits()
    stats = stats if stats is not None else ReadStats()
    chunks = _raw_chunks(stream, limits, stats)
    first = next(chunks, b'')
    if not first:
        return
    encoding = detect_encoding(first)
    stats.encoding = encoding
    if encoding == 'utf-8' and _looks_binary(first):
        raise InputError('this looks like a binary file, not a text log')
    decoder = codecs.getincrementaldecoder(encoding)(errors='replace')
    pending = ''
    for chunk in _chain(first, chunks):
        text = decoder.decode(chunk)
        if not text:
            continue
        if pending:
            text = pending + text
        cut = text.rfind('\n')
        if cut < 0:
            if len(text) > limits.max_line_bytes:
                # A line that never ends must not grow without bound: cut it, drop the rest up to the newline.
                yield [_clean(text, limits, stats)]
                pending = _skip_to_newline(decoder, chunks)
            else:
                pending = text
            continue
        pending = text[cut + 1 :]
        yield _clean_batch(text[:cut], limits, stats)
    pending += decoder.decode(b'', final=True)
    if pending:
        # What follows an over-long line may hold complete lines; a final LF ends the last line, not a new one.
        yield _clean_batch(pending.removesuffix('\n'), limits, stats)


def iter_lines(stream: ByteSource, limits: ReadLimits | None = None, stats: ReadStats | None = None) -> Iterator[str]:
    """The stream's lines one by one (see iter_batches)."""
    for batch in iter_batches(stream, limits, stats):
        yield from batch


def _clean_batch(text: str, limits: ReadLimits, stats: ReadStats) -> list[str]:
    # Whole-chunk replacements are far cheaper than per-line work; a CR before LF belongs to the line ending.
    if '\r' in text:
        text = text.replace('\r\n', '\n')
        if text.endswith('\r'):
            text = text[:-1]
    if '\x00' in text:
        text = text.replace('\x00', '')
    if '\x1b' in text:
        text = _ANSI_ESCAPE.sub('', text)
    lines = text.split('\n')
    if max(map(len, lines)) > limits.max_line_bytes:
        lines = [_clean(line, limits, stats) for line in lines]
    return lines


def _raw_chunks(stream: ByteSource, limits: ReadLimits, stats: ReadStats) -> Iterator[bytes]:
    head = stream.read(CHUNK_SIZE)
    if not head.startswith(GZIP_MAGIC):
        while head:
            stats.bytes_read += len(head)
            yield head
            head = stream.read(CHUNK_SIZE)
        return
    stats.compressed = True
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    produced = 0
    while head:
        stats.bytes_read += len(head)
        data = head
        while data:
            try:
                out = inflater.decompress(data, CHUNK_SIZE)
            except zlib.error as exc:
                raise InputError(f'the gzip data is corrupt ({exc})') from exc
            produced += len(out)
            if produced > limits.max_decompressed_bytes:
                raise InputError(
                    f'the file decompresses to more than {limits.max_decompressed_bytes // 2**20} MB; refusing it'
                )
            if out:
                yield out
            data = inflater.unconsumed_tail
            if inflater.eof:
                # Concatenated gzip members (as `cat a.gz b.gz` makes) continue with a fresh inflater.
                rest = inflater.unused_data
                inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
                data = rest
        head = stream.read(CHUNK_SIZE)


def detect_encoding(first: bytes) -> str:
    if first.startswith(codecs.BOM_UTF8):
        return 'utf-8-sig'
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return 'utf-16'
    sample = first[:4096]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) // 2
        if odd_nuls > half * 0.4 and even_nuls < half * 0.05:
            return 'utf-16-le'
        if even_nuls > half * 0.4 and odd_nuls < half * 0.05:
            return 'utf-16-be'
    return 'utf-8'


def _looks_binary(first: bytes) -> bool:
    sample = first[:8192]
    if not sample:
        return False
    suspicious = sum(sample.count(byte) for byte in _BINARY_BYTES)
    return suspicious / len(sample) > 0.1


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _skip_to_newline(decoder: codecs.IncrementalDecoder, chunks: Iterator[bytes]) -> str:
    for chunk in chunks:
        text = decoder.decode(chunk)
        newline = text.find('\n')
        if newline >= 0:
            return text[newline + 1 :]
    return ''


def _clean(line: str, limits: ReadLimits, stats: ReadStats) -> str:
    if len(line) > limits.max_line_bytes:
        stats.truncated_lines += 1
        line = line[: limits.max_line_bytes] + TRUNCATION_MARKER
    return line
