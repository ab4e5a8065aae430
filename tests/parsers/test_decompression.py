"""Compressed logs are read transparently, and a decompression bomb is refused while it inflates."""

import bz2
import gzip
import io
import lzma
import os
import zlib
from collections.abc import Callable

import pytest

from parsers import InputError, ReadLimits, analyze_stream
from parsers.reader import CHUNK_SIZE, RATIO_GRACE_BYTES, iter_batches

MiB = 1024 * 1024
LINE = b'2026-11-26 09:00:00,000 INFO [web] request served\n'
LOG = b''.join(b'2026-11-26 09:00:%02d,000 ERROR [db] query %d failed\n' % (n % 60, n) for n in range(2000))


def gzip_member(size: int) -> bytes:
    """A gzip member of `size` bytes of log lines, compressed a megabyte at a time (about 1000 to 1)."""
    block = LINE * (MiB // len(LINE))
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b''.join(deflate.compress(block) for _ in range(size // len(block))) + deflate.flush()


def incremental(compressor: lzma.LZMACompressor | bz2.BZ2Compressor, size: int) -> bytes:
    block = LINE * (MiB // len(LINE))
    return b''.join(compressor.compress(block) for _ in range(size // len(block))) + compressor.flush()


def refusal(data: bytes, limits: ReadLimits | None = None) -> str:
    with pytest.raises(InputError) as refused:
        analyze_stream(io.BytesIO(data), limits)
    return str(refused.value)


def inflated_before_refusal(data: bytes) -> tuple[int, str]:
    """How many bytes of text the reader handed on before it refused the stream, and why it refused."""
    inflated = 0
    with pytest.raises(InputError) as refused:
        for batch in iter_batches(io.BytesIO(data)):
            inflated += sum(len(line) + 1 for line in batch)
    return inflated, str(refused.value)


@pytest.mark.parametrize('compress', [gzip.compress, bz2.compress, lzma.compress])
def test_compressed_logs_are_read_like_the_log(compress: Callable[[bytes], bytes]) -> None:
    assert analyze_stream(io.BytesIO(compress(LOG))).to_dict() | {'bytes_read': 0} == \
        analyze_stream(io.BytesIO(LOG)).to_dict() | {'bytes_read': 0}


def test_concatenated_members_are_all_read() -> None:
    assert analyze_stream(io.BytesIO(gzip.compress(LOG) + gzip.compress(LOG))).lines == 4000
    assert analyze_stream(io.BytesIO(bz2.compress(LOG) + bz2.compress(LOG))).lines == 4000
    assert analyze_stream(io.BytesIO(lzma.compress(LOG) + lzma.compress(LOG))).lines == 4000


def test_a_forty_member_gzip_bomb_is_refused_on_its_ratio_at_once() -> None:
    member = gzip_member(64 * MiB)
    bomb = member * 40  # 2.5 GiB of log lines in a few megabytes, under the default 2 GiB cap
    inflated, message = inflated_before_refusal(bomb)
    assert 'inflates to more than 100 times its compressed size' in message
    # Refused within a chunk of the grace allowance, not after gigabytes.
    assert inflated <= RATIO_GRACE_BYTES + CHUNK_SIZE, f'{inflated / MiB:.0f} MiB inflated before the refusal'


@pytest.mark.parametrize('compressor', [bz2.BZ2Compressor, lzma.LZMACompressor])
def test_bzip2_and_xz_bombs_are_refused_on_their_ratio(compressor: Callable[[], bz2.BZ2Compressor]) -> None:
    inflated, message = inflated_before_refusal(incremental(compressor(), 16 * MiB))
    assert 'decompression bomb' in message
    assert inflated <= RATIO_GRACE_BYTES + CHUNK_SIZE, f'{inflated / MiB:.0f} MiB inflated before the refusal'


def test_the_inflated_size_is_capped_whatever_the_ratio() -> None:
    noise = os.urandom(3 * MiB).hex().encode()  # 6 MiB that compresses about 2 to 1
    message = refusal(gzip.compress(noise), ReadLimits(max_decompressed_bytes=5 * MiB))
    assert message == 'the file decompresses to more than 5 MB, the largest log accepted'


def test_a_small_file_of_repeated_lines_is_read_whatever_its_ratio() -> None:
    assert analyze_stream(io.BytesIO(gzip.compress(LINE * 20_000))).lines == 20_000


def test_a_truncated_or_corrupt_file_is_a_clear_error() -> None:
    data = gzip.compress(LOG)
    assert refusal(data[: len(data) // 2]) == 'the compressed file is cut short'
    assert refusal(data[:20] + b'\xff' * 200 + data[220:]).startswith('the compressed data is corrupt')
