import gzip
import io

import pytest

from parsers.reader import TRUNCATION_MARKER, InputError, ReadLimits, ReadStats, iter_lines


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
