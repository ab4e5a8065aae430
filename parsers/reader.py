"""Turn a stream of bytes into clean text lines with bounded memory."""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, BinaryIO, Protocol, cast

from parsers.file_kind import binary_kind

CHUNK_SIZE = 1 << 20
# A reread for a few lines decodes the pieces of this size around them, not whole chunks.
PIECE_BYTES = 16 * 1024
GZIP_MAGIC = b'\x1f\x8b'
XZ_MAGIC = b'\xfd7zXZ\x00'
_BZIP2_MAGIC = re.compile(rb'BZh[1-9](?:1AY&SY|\x17rE8P\x90)')
# A compressed file may inflate this far whatever its ratio: a tiny file of repeated lines is no threat.
RATIO_GRACE_BYTES = 4 * CHUNK_SIZE
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
    # Refused once it inflates to more than this many times the compressed bytes read so far.
    max_compression_ratio: int = 100
    # Occurrence line numbers kept per group, lines of its example event, lines of context before it.
    max_occurrences: int = 1000
    max_example_lines: int = 200
    max_example_chars: int = 8192
    context_lines: int = 20
    # What the log view can show without the log: lines kept after each kept occurrence, occurrences kept per group
    # with the lines around them (its last one besides), and all lines kept over all groups.
    context_after_lines: int = 10
    kept_occurrences: int = 20
    max_kept_lines: int = 5_000
    # Template mining: share of equal tokens that joins a message to a template, and bounds on its state.
    similarity: float = 0.75
    max_groups: int = 10_000
    template_cache_size: int = 200_000
    # The timeline has at most this many non-empty buckets, each group's activity at most this many slices, and
    # the timeline counts per second until the log has this many distinct seconds (per minute after that).
    timeline_buckets: int = 1000
    activity_slices: int = 40
    timeline_rows: int = 50_000
    # Segments listed at most this many.
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

    gzip, bzip2 and xz are decompressed transparently, refused past a size or a ratio; UTF-8 (with BOM) and
    UTF-16 are decoded; NUL bytes and ANSI colour codes are stripped; a line longer than the limit is cut and
    marked. Lines end at LF only.
    """
    limits = limits or ReadLimits()
    stats = stats if stats is not None else ReadStats()
    chunks = _raw_chunks(stream, limits, stats)
    first = next(chunks, b'')
    if not first:
        raise InputError('the compressed file holds nothing' if stats.compressed else 'the file is empty')
    encoding = detect_encoding(first)
    stats.encoding = encoding
    if encoding == 'utf-8':
        _refuse_binary(first, stats.compressed)
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
        yield clean_batch(text[:cut], limits, stats)
    pending += decoder.decode(b'', final=True)
    if pending:
        # What follows an over-long line may hold complete lines; a final LF ends the last line, not a new one.
        yield clean_batch(pending.removesuffix('\n'), limits, stats)


def numbered_batches(stream: BinaryIO, limits: ReadLimits, wanted: Callable[[int, int], bool], *,
                     lines_cut: bool) -> Iterator[tuple[int, list[str]]]:
    """The batches of a seekable stream read again, as iter_batches reads them, each with the number of its first
    line: at least those whose lines from first to last `wanted` accepts.

    The lines of plain UTF-8 that nobody wants are counted in the bytes, not decoded: a newline byte ends a line
    and any partial character before it, so a run of whole lines decodes the same alone; such a log's batches are
    runs of whole lines of about PIECE_BYTES. `lines_cut` says the first read cut a line too long to keep; its
    pieces depend on where the chunks fell, so such a log is read as before.
    """
    start = stream.tell()
    head = stream.read(CHUNK_SIZE)
    if lines_cut or is_compressed(head) or detect_encoding(head) != 'utf-8':
        stream.seek(start)
        first = 1
        for batch in iter_batches(stream, limits):
            if wanted(first, first + len(batch) - 1):
                yield first, batch
            first += len(batch)
        return
    stats = ReadStats()
    first, pending, chunk = 1, b'', head
    while chunk:
        data = pending + chunk if pending else chunk
        cut = data.rfind(b'\n')
        # The whole lines before the chunk's last newline, in pieces of about PIECE_BYTES.
        start = 0
        while start <= cut:
            end = data.find(b'\n', start + PIECE_BYTES, cut)
            if end < 0:
                end = cut
            count = data.count(b'\n', start, end) + 1
            if wanted(first, first + count - 1):
                yield first, clean_batch(data[start:end].decode('utf-8', 'replace'), limits, stats)
            first += count
            start = end + 1
        pending = data[cut + 1:]
        chunk = stream.read(CHUNK_SIZE)
    if pending and wanted(first, first):
        yield first, clean_batch(pending.decode('utf-8', 'replace'), limits, stats)


def iter_lines(stream: ByteSource, limits: ReadLimits | None = None, stats: ReadStats | None = None) -> Iterator[str]:
    """The stream's lines one by one (see iter_batches)."""
    for batch in iter_batches(stream, limits, stats):
        yield from batch


def clean_batch(text: str, limits: ReadLimits, stats: ReadStats) -> list[str]:
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
    opener = _decompressor(head)
    if opener is None:
        while head:
            stats.bytes_read += len(head)
            yield head
            head = stream.read(CHUNK_SIZE)
        return
    stats.compressed = True
    with opener(_Counted(head, stream, stats)) as inflating:
        inflated = 0
        while True:
            try:
                out = inflating.read(CHUNK_SIZE)
            except EOFError as exc:
                raise InputError('the compressed file is cut short') from exc
            except (OSError, zlib.error, lzma.LZMAError) as exc:
                raise InputError(f'the compressed data is corrupt ({exc})') from exc
            if not out:
                return
            inflated += len(out)
            _check_inflation(inflated, stats.bytes_read, limits)
            yield out


def is_compressed(head: bytes) -> bool:
    return _decompressor(head) is not None


def _decompressor(head: bytes) -> Callable[[_Counted], io.BufferedIOBase] | None:
    """How to inflate a stream that starts with `head`; all three read concatenated members/streams."""
    if head.startswith(GZIP_MAGIC):
        return lambda source: gzip.GzipFile(fileobj=source, mode='rb')
    if _BZIP2_MAGIC.match(head):
        return bz2.BZ2File
    if head.startswith(XZ_MAGIC):
        return lambda source: lzma.LZMAFile(cast('IO[bytes]', source))  # reads only; typed for any file
    return None


def _check_inflation(inflated: int, compressed: int, limits: ReadLimits) -> None:
    if inflated > limits.max_decompressed_bytes:
        raise InputError(
            f'the file decompresses to more than {limits.max_decompressed_bytes // 2**20} MB, the largest log accepted'
        )
    # Checked as the data inflates, so a bomb is refused after a few megabytes, not after gigabytes are parsed.
    if inflated > RATIO_GRACE_BYTES and inflated > limits.max_compression_ratio * compressed:
        raise InputError(
            f'the file inflates to more than {limits.max_compression_ratio} times its compressed size, as a '
            'decompression bomb does, not a log; refusing it'
        )


class _Counted(io.RawIOBase):
    """The stream again from its start (its head already read), counting the compressed bytes handed on."""

    def __init__(self, head: bytes, stream: ByteSource, stats: ReadStats) -> None:
        super().__init__()
        self._head = head
        self._stream = stream
        self._stats = stats

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        if self._head:
            data, self._head = (self._head, b'') if size < 0 else (self._head[:size], self._head[size:])
        else:
            data = self._stream.read(CHUNK_SIZE if size < 0 else size)
        self._stats.bytes_read += len(data)
        return data


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


def _refuse_binary(first: bytes, compressed: bool) -> None:
    """Refuse a known binary format by its magic number, any other by its share of bytes text never holds."""
    sample = first[:8192]
    suspicious = sum(sample.count(byte) for byte in _BINARY_BYTES)
    if not suspicious:
        return  # plain text, even where it starts like a signature ("MZ...", "%PDF")
    kind = binary_kind(sample)
    if kind is not None:
        inside = ' inside the compressed file' if compressed else ''
        raise InputError(f'this looks like {kind}{inside}, not a text log')
    if suspicious / len(sample) > 0.1:
        raise InputError('this looks like a binary file, not a text log')


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
