"""With REDIS_URL, logs wait in an RQ queue and are read by `python main.py worker` processes; the log itself travels
through Redis. Runs against the Redis given in LOGSENTRY_TEST_REDIS_URL and real worker processes."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue

from parsers import InputError, ReadLimits
from services.config import Settings
from services.jobs import Status
from services.queue import AnalysisQueue, queue_name
from services.redis_unavailable import RedisUnavailable

ROOT = Path(__file__).parents[2]
LOG = '2026-01-01 10:00:00 INFO up\n2026-01-01 10:00:01 ERROR Connection refused to db.internal:5432\n'


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    prefix = f'logsentry-test-{secrets.token_hex(4)}:'  # other test runs may share this Redis
    yield prefix
    client = Redis.from_url(redis_url)
    for key in client.scan_iter(f'*{prefix}*'):
        client.delete(key)


@contextmanager
def worker(redis_url: str, prefix: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`python main.py worker` as it runs in production, in a directory of its own (no disk shared with the app)."""
    home = tmp_path / f'worker-{secrets.token_hex(2)}'
    home.mkdir()
    env = {**os.environ, 'REDIS_URL': redis_url, 'REDIS_KEY_PREFIX': prefix, 'DATA_DIR': str(home / 'data'),
           'PYTHONPATH': str(ROOT)}
    process = subprocess.Popen([sys.executable, str(ROOT / 'main.py'), 'worker'], cwd=home, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def queue(redis_url: str, prefix: str, *, timeout: float = 60, wait: float = 60) -> AnalysisQueue:
    return AnalysisQueue(Redis.from_url(redis_url), prefix=prefix, timeout=timeout, wait=wait)


def log_file(tmp_path: Path, text: str = LOG, name: str = 'app.log') -> Path:
    path = tmp_path / name
    path.write_text(text, encoding='utf-8')
    return path


async def test_logs_wait_in_line_until_a_worker_reads_them(redis_url: str, prefix: str, tmp_path: Path) -> None:
    analyses = queue(redis_url, prefix)
    first: list[Status] = []
    second: list[Status] = []
    first_read = asyncio.ensure_future(analyses.parse(log_file(tmp_path, name='a.log'), limits=ReadLimits(),
                                                      keep=False, on_status=first.append))
    while not first:
        await asyncio.sleep(0.05)
    second_read = asyncio.ensure_future(analyses.parse(log_file(tmp_path, LOG * 2, 'b.log'), limits=ReadLimits(),
                                                       keep=True, on_status=second.append))
    while not second:
        await asyncio.sleep(0.05)
    assert first[-1] == Status(ahead=0)
    assert second[-1] == Status(ahead=1)
    assert list(Redis.from_url(redis_url).scan_iter(f'{prefix}upload:*')), 'the logs wait in Redis'
    with worker(redis_url, prefix, tmp_path):
        parsed = await asyncio.wait_for(first_read, 60)
        kept = await asyncio.wait_for(second_read, 60)
    assert (parsed.analysis.lines, parsed.raw_log) == (2, None)
    assert kept.analysis.lines == 4
    assert kept.raw_log is not None and 'Connection refused to db.internal:5432' in kept.raw_log
    assert list(Redis.from_url(redis_url).scan_iter(f'{prefix}upload:*')) == []


async def test_a_queued_analysis_past_its_time_is_stopped(redis_url: str, prefix: str, tmp_path: Path) -> None:
    big = log_file(tmp_path, ''.join(f'2026-01-01 10:00:{n % 60:02d} INFO request {n} served\n'
                                     for n in range(300_000)), 'big.log')
    seen: list[Status] = []
    with worker(redis_url, prefix, tmp_path):
        with pytest.raises(InputError, match=r'^the analysis took longer than 0.3 seconds and was stopped'):
            await queue(redis_url, prefix, timeout=0.3).parse(big, limits=ReadLimits(), keep=False,
                                                              on_status=seen.append)
        # the worker is free again for the next log
        parsed = await queue(redis_url, prefix).parse(log_file(tmp_path), limits=ReadLimits(), keep=False,
                                                      on_status=seen.append)
    assert parsed.analysis.lines == 2


async def test_bad_input_read_by_a_worker_is_a_clear_message(redis_url: str, prefix: str, tmp_path: Path) -> None:
    binary = tmp_path / 'core.bin'
    binary.write_bytes(bytes(range(256)) * 8)
    with worker(redis_url, prefix, tmp_path), pytest.raises(InputError, match='binary file, not a text log'):
        await queue(redis_url, prefix).parse(binary, limits=ReadLimits(), keep=False, on_status=lambda _: None)


async def test_without_a_free_worker_the_log_is_given_up_with_a_clear_message(
    redis_url: str, prefix: str, tmp_path: Path,
) -> None:
    with pytest.raises(InputError, match=r'^no analysis worker was free within 1 seconds; try again later$'):
        await queue(redis_url, prefix, wait=1).parse(log_file(tmp_path), limits=ReadLimits(), keep=False,
                                                     on_status=lambda _: None)


async def test_a_worker_reports_how_far_it_has_read(redis_url: str, prefix: str, tmp_path: Path) -> None:
    big = log_file(tmp_path, ''.join(f'2026-01-01 10:00:{n % 60:02d} INFO request {n} served\n'
                                     for n in range(400_000)), 'big.log')
    seen: list[Status] = []
    with worker(redis_url, prefix, tmp_path):
        parsed = await queue(redis_url, prefix).parse(big, limits=ReadLimits(), keep=False, on_status=seen.append)
    assert parsed.analysis.lines == 400_000
    reads = [status.bytes_read for status in seen if status.ahead is None]
    assert reads, 'a log that takes a while to read reports how far it is'
    assert reads == sorted(reads) and 0 < reads[-1] <= big.stat().st_size


async def test_a_log_nobody_waits_for_any_more_leaves_the_queue(redis_url: str, prefix: str, tmp_path: Path) -> None:
    seen: list[Status] = []
    reading = asyncio.ensure_future(queue(redis_url, prefix).parse(log_file(tmp_path), limits=ReadLimits(),
                                                                   keep=False, on_status=seen.append))
    while not seen:
        await asyncio.sleep(0.05)
    reading.cancel()  # the page was closed
    with pytest.raises(asyncio.CancelledError):
        await reading
    client = Redis.from_url(redis_url)
    waiting = Queue(queue_name(prefix), connection=client)
    for _ in range(50):  # the withdrawal and the upload's removal run beside the cancelled wait
        if waiting.count == 0 and not list(client.scan_iter(f'{prefix}upload:*')):
            break
        await asyncio.sleep(0.1)
    assert waiting.count == 0
    assert list(client.scan_iter(f'{prefix}upload:*')) == []


async def test_an_unreachable_queue_is_named(unreachable_redis_url: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('REDIS_URL', unreachable_redis_url)
    with pytest.raises(RedisUnavailable, match=r'^The job queue is unreachable right now') as raised:
        await AnalysisQueue.from_settings(Settings()).parse(log_file(tmp_path), limits=ReadLimits(), keep=False,
                                                            on_status=lambda status: None)
    assert 'Connection refused' in raised.value.reason
