import io
from pathlib import Path

from parsers import analyze_stream


def test_fixture_log_is_grouped_with_errors_first(fixtures_dir: Path) -> None:
    with (fixtures_dir / 'app.log').open('rb') as stream:
        analysis = analyze_stream(stream)
    assert analysis.lines == 16
    assert analysis.level_counts['ERROR'] == 4
    top = analysis.groups[0]
    assert top.level == 'ERROR'
    assert top.count == 3
    assert 'Connection refused' in top.template
    assert top.occurrences == [4, 5, 16]
    assert top.context_before[-1].endswith('Connection attempt 1 failed, retrying in 2s')
    assert len(top.context_before) == 3


def test_traceback_stays_in_one_event() -> None:
    log = b'2026-01-01 00:00:00 ERROR boom\nTraceback (most recent call last):\n  File "x.py", line 1\nKeyError: 1\n'
    analysis = analyze_stream(io.BytesIO(log))
    assert analysis.events == 1
    assert analysis.groups[0].example.endswith('KeyError: 1')
