import gzip
import os
import zlib
from pathlib import Path

import pytest

from parsers import InputError
from services.config import Settings
from services.parsing import analyze_path, read_limits

MiB = 1024 * 1024


def test_the_upload_limit_holds_for_the_inflated_size(tmp_path: Path) -> None:
    log = tmp_path / 'noise.log.gz'
    log.write_bytes(gzip.compress(os.urandom(3 * MiB).hex().encode()))  # 3 MB that inflate to 6 MiB, 2 to 1
    with pytest.raises(InputError, match=r'^the file decompresses to more than 5 MB, the largest log accepted$'):
        analyze_path(log, read_limits(Settings(max_upload_mb=5)))


def test_a_small_gzip_that_inflates_hundreds_of_times_is_refused_as_a_bomb(tmp_path: Path) -> None:
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b'2026-11-26 09:00:00 INFO ok\n' * (MiB // 28)
    bomb = tmp_path / 'bomb.log.gz'
    bomb.write_bytes(b''.join(deflate.compress(block) for _ in range(300)) + deflate.flush())  # 300 MB, < 1 MB
    assert bomb.stat().st_size < MiB
    limits = read_limits(Settings(max_upload_mb=500, max_compression_ratio=50))
    with pytest.raises(InputError, match='inflates to more than 50 times its compressed size'):
        analyze_path(bomb, limits)
