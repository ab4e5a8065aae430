"""A log becomes a saved analysis through services.ingest: limits, timeout, bad input, kept uploads, owners."""

from __future__ import annotations

import multiprocessing
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from parsers import InputError
from services.config import Settings
from services.identity import Caller
from services.ingest import Ingest
from services.jobs import InProcess, Status
from services.store.database import Database
from services.store.saved_analyses import get_analysis, list_analyses
from services.store.tables import AnalysisRecord

ALICE = Caller(guest_id='browser-alice')
BOB = Caller(guest_id='browser-bob')
LOG = (
    '2026-01-01 10:00:00 INFO service started with password=Tr0ub4dor-3\n'
    '2026-01-01 10:00:01 ERROR Connection refused to db.internal:5432\n'
    '2026-01-01 10:00:02 ERROR Connection refused to db.internal:5432\n'
)


def ingest_with(database: Database, tmp_path: Path, **settings: object) -> Ingest:
    chosen = Settings(data_dir=tmp_path / 'data', **settings)  # type: ignore[arg-type]
    return Ingest(settings=chosen, database=database, runner=InProcess(chosen.analysis_timeout_seconds))


def log_file(tmp_path: Path, text: str = LOG, name: str = 'app.log') -> Path:
    path = tmp_path / name
    path.write_text(text, encoding='utf-8')
    return path


def big_log(tmp_path: Path, lines: int) -> Path:
    return log_file(tmp_path, ''.join(f'2026-01-01 10:00:{n % 60:02d} INFO request {n} served\n'
                                      for n in range(lines)), 'big.log')


def saved_count(database: Database) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(AnalysisRecord)) or 0)


def analysis_processes() -> list[multiprocessing.Process]:
    return [child for child in multiprocessing.active_children() if child.name == 'analysis']


async def test_a_log_is_saved_for_its_owner_alone_with_its_timing(database: Database, tmp_path: Path) -> None:
    ingest = ingest_with(database, tmp_path)
    mine = await ingest(log_file(tmp_path), name='app.log', owner=ALICE)
    theirs = await ingest(log_file(tmp_path, LOG.replace('db.internal', 'cache')), name='other.log', owner=BOB)
    assert mine is not None and theirs is not None
    stored = get_analysis(database, analysis_id=mine.id, owner=ALICE, with_raw_log=True)
    assert stored is not None
    assert (stored.file_name, stored.size_bytes, stored.summary['lines']) == ('app.log', len(LOG), 3)
    assert 0 < stored.parse_seconds < 30
    assert stored.raw_log is None  # uploads are not kept unless asked
    assert get_analysis(database, analysis_id=mine.id, owner=BOB) is None
    assert [record.file_name for record in list_analyses(database, owner=BOB)] == ['other.log']


async def test_the_redacted_upload_is_kept_when_asked(database: Database, tmp_path: Path) -> None:
    record = await ingest_with(database, tmp_path, keep_uploads=True)(log_file(tmp_path), name='app.log', owner=ALICE)
    assert record is not None
    stored = get_analysis(database, analysis_id=record.id, owner=ALICE, with_raw_log=True)
    assert stored is not None and stored.raw_log is not None
    assert 'password=<PASSWORD_1>' in stored.raw_log
    assert 'Tr0ub4dor' not in stored.raw_log
    assert 'Connection refused to db.internal:5432' in stored.raw_log


async def test_a_log_over_the_upload_limit_is_refused_and_nothing_saved(database: Database, tmp_path: Path) -> None:
    path = big_log(tmp_path, 30_000)
    assert path.stat().st_size > 1024 * 1024
    with pytest.raises(InputError, match=r'^the log is larger than 1 MB$'):
        await ingest_with(database, tmp_path, max_upload_mb=1)(path, name='big.log', owner=ALICE)
    assert saved_count(database) == 0


async def test_a_binary_file_is_refused_with_a_clear_message(database: Database, tmp_path: Path) -> None:
    path = tmp_path / 'core.bin'
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InputError, match='binary file, not a text log'):
        await ingest_with(database, tmp_path)(path, name='core.bin', owner=ALICE)
    assert saved_count(database) == 0


async def test_an_analysis_past_its_time_ends_its_process_and_saves_nothing(database: Database, tmp_path: Path) -> None:
    path = big_log(tmp_path, 300_000)
    with pytest.raises(InputError, match=r'^the analysis took longer than 0.2 seconds and was stopped; try a smaller'):
        await ingest_with(database, tmp_path, analysis_timeout_seconds=0.2)(path, name='big.log', owner=ALICE)
    assert analysis_processes() == []
    assert saved_count(database) == 0


async def test_progress_is_reported_while_a_big_log_is_read(database: Database, tmp_path: Path) -> None:
    path = big_log(tmp_path, 400_000)
    seen: list[Status] = []
    record = await ingest_with(database, tmp_path)(path, name='big.log', owner=ALICE, on_status=seen.append)
    assert record is not None
    assert seen, 'a log that takes a while to read reports how far it is'
    reads = [status.bytes_read for status in seen]
    assert reads == sorted(reads)
    assert 0 < reads[-1] <= path.stat().st_size
    assert all(status.ahead is None for status in seen)  # nothing waits in a queue in-process


async def test_nothing_is_saved_for_a_session_that_ended_meanwhile(database: Database, tmp_path: Path) -> None:
    asked: list[bool] = []

    def session_check(answer: bool) -> Callable[[], Awaitable[bool]]:
        async def still_signed_in() -> bool:
            asked.append(answer)
            return answer
        return still_signed_in

    ingest = ingest_with(database, tmp_path)
    assert await ingest(log_file(tmp_path), name='app.log', owner=ALICE, may_save=session_check(False)) is None
    assert saved_count(database) == 0
    assert await ingest(log_file(tmp_path), name='app.log', owner=ALICE, may_save=session_check(True)) is not None
    assert asked == [False, True]
    assert saved_count(database) == 1
