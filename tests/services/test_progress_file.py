from pathlib import Path

from services.config import Settings
from services.parsing import ProgressFile, analyze_path, read_limits


def test_progress_reports_bytes_and_events_of_a_whole_file(tmp_path: Path) -> None:
    log = tmp_path / 'app.log'
    log.write_text(''.join(f'2026-01-01 00:00:{i % 60:02d} ERROR job {i} failed\n' for i in range(5000)))
    progress = ProgressFile(tmp_path / 'progress')
    assert progress.read() is None
    analysis = analyze_path(log, read_limits(Settings()), progress=progress)
    reported = progress.read()
    assert reported is not None
    bytes_read, events = reported
    assert bytes_read == log.stat().st_size
    assert analysis.events - 1 <= events <= analysis.events  # the last event ends only when the file does


def test_a_garbled_progress_file_reads_as_unknown(tmp_path: Path) -> None:
    (tmp_path / 'progress').write_text('12')
    assert ProgressFile(tmp_path / 'progress').read() is None
