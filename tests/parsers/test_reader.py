import bz2
import gzip
import io
import lzma
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import reader
from parsers.reader import (
    CHUNK_SIZE,
    TRUNCATION_MARKER,
    InputError,
    ReadLimits,
    ReadStats,
    iter_lines,
    numbered_batches,
)
from tests.upload_samples import LOG, elf_program, pdf_document, png_image, tar_of_logs, zip_of_logs


def lines_of(data: bytes, limits: ReadLimits | None = None) -> list[str]:
    return list(iter_lines(io.BytesIO(data), limits))


def test_crlf_bom_nul_and_ansi_are_cleaned() -> None:
    data = b'\xef\xbb\xbfone\r\ntw\x00o\r\n\x1b[31mred\x1b[0m\n'
    assert lines_of(data) == ['one', 'two', 'red']


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    assert lines_of(b'ok\nbad \xff\xfe byte\n') == ['ok', 'bad \ufffd\ufffd byte']


def test_gzip_is_read_transparently() -> None:
    stats = ReadStats()
    assert list(iter_lines(io.BytesIO(gzip.compress(b'a\nb\n')), stats=stats)) == ['a', 'b']
    assert stats.compressed


def test_decompression_bomb_is_refused() -> None:
    bomb = gzip.compress(b'x' * (4 * 1024 * 1024))
    with pytest.raises(InputError, match='decompresses to more than'):
        lines_of(bomb, ReadLimits(max_decompressed_bytes=1024 * 1024))


def test_utf16_is_detected() -> None:
    assert lines_of('héllo\nworld\n'.encode('utf-16')) == ['héllo', 'world']


def test_binary_input_is_refused() -> None:
    with pytest.raises(InputError, match='binary'):
        lines_of(bytes(range(256)) * 64)


def test_overlong_line_is_cut_and_marked() -> None:
    lines = lines_of(b'x' * 5000 + b'\nnext\n', ReadLimits(max_line_bytes=1000))
    assert lines[0] == 'x' * 1000 + TRUNCATION_MARKER
    assert lines[1] == 'next'


@pytest.mark.parametrize(('data', 'message'), [
    (png_image(), 'this looks like a PNG image, not a text log'),
    (zip_of_logs(), 'this looks like a ZIP archive, not a text log'),
    (tar_of_logs(), 'this looks like a TAR archive, not a text log'),
    (pdf_document(), 'this looks like a PDF document, not a text log'),
    (elf_program(), 'this looks like a program (ELF executable), not a text log'),
    (gzip.compress(tar_of_logs()), 'this looks like a TAR archive inside the compressed file, not a text log'),
    (b'', 'the file is empty'),
    (gzip.compress(b''), 'the compressed file holds nothing'),
], ids=['png', 'zip', 'tar', 'pdf', 'elf', 'tar.gz', 'empty', 'empty.gz'])
def test_a_file_that_is_not_a_log_is_refused_saying_what_it_is(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as refused:
        lines_of(data)
    assert str(refused.value) == message


@pytest.mark.parametrize('compress', [gzip.compress, bz2.compress, lzma.compress], ids=['gzip', 'bzip2', 'xz'])
def test_compressed_logs_are_still_read(compress: Callable[[bytes], bytes]) -> None:
    assert lines_of(compress(LOG)) == LOG.decode().splitlines()


@pytest.mark.parametrize('text', [b'MZ-7 scheduler: job 12 started\n', b'%PDF export finished for report 7\n',
                                  b'PK\tstarted\n', b'\x1b[31mERROR\x1b[0m colours are text\n'])
def test_text_that_starts_like_a_signature_is_still_a_log(text: bytes) -> None:
    assert len(lines_of(text)) == 1


@pytest.mark.parametrize(('data', 'skips'), [
    # A character cut by the chunk boundary, CRLF, NUL, colour, bad bytes before a newline, no final newline.
    ((b'x' * 99 + b'\n') * (CHUNK_SIZE // 100) + b'y' * (CHUNK_SIZE % 100 - 1) + '\u00e9t\u00e9\r\n'.encode()
     + b'tw\x00o\n\x1b[31mred\x1b[0m\nbad \xe2\x82\nlast\r', True),
    (b'a\n\n' * (CHUNK_SIZE // 2) + b'end \xf0\x9f', True),
    (b'\xef\xbb\xbfone\ntwo\n', False),
    (gzip.compress(b'one\ntwo\n' * 1000), False),
], ids=['plain', 'blank-lines', 'bom', 'gzip'])
def test_a_reread_numbers_the_lines_as_the_first_read_did_and_skips_what_nobody_wants(data: bytes, skips: bool) -> None:
    lines = lines_of(data)
    everything = numbered_batches(io.BytesIO(data), ReadLimits(), lambda first, last: True, lines_cut=False)
    assert [line for _, batch in everything for line in batch] == lines
    wanted = {1, len(lines) // 2, len(lines)}
    some = numbered_batches(io.BytesIO(data), ReadLimits(), lambda first, last: any(first <= n <= last for n in wanted),
                            lines_cut=False)
    seen = {first + index: line for first, batch in some for index, line in enumerate(batch)}
    assert all(seen[n] == lines[n - 1] for n in wanted)
    assert (len(seen) < len(lines)) == skips


# Pieces of lines as they come in a log: a character cut anywhere, CR before LF, NUL, colour codes, bad bytes.
PIECES = st.sampled_from([b'\n', b'\n', b'\r\n', b'word', b' ', b'\xc3\xa9', b'\xe2\x82', b'\x00', b'\x1b[31m',
                          b'\x1b(', b'\xff', b'\r', b'9'])


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(PIECES, max_size=300), wanted=st.sets(st.integers(1, 120), max_size=6))
def test_a_reread_in_small_pieces_gives_each_wanted_line_as_the_first_read_did(
    monkeypatch: pytest.MonkeyPatch, pieces: list[bytes], wanted: set[int],
) -> None:
    # Text enough before the NUL bytes that the log is not taken for a binary file.
    data = b'the opening line of the log\n' * 4 + b''.join(pieces)
    monkeypatch.setattr(reader, 'PIECE_BYTES', 8)
    lines = lines_of(data)
    batches = list(numbered_batches(io.BytesIO(data), ReadLimits(),
                                    lambda first, last: any(first <= n <= last for n in wanted), lines_cut=False))
    seen = {first + index: line for first, batch in batches for index, line in enumerate(batch)}
    assert {n: seen[n] for n in wanted if n <= len(lines)} == {n: lines[n - 1] for n in wanted if n <= len(lines)}
    assert [first for first, _ in batches] == sorted({first for first, _ in batches})
