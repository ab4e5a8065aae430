import json
import subprocess
import sys
from pathlib import Path

MAIN = Path(__file__).parents[1] / 'main.py'


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MAIN), *args], input=stdin.decode() if stdin else None,
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_analyze_json_prints_the_summary(fixtures_dir: Path) -> None:
    result = run_cli('analyze', str(fixtures_dir / 'app.log'), '--json')
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary['lines'] == 16
    assert summary['groups'][0]['count'] == 3


def test_analyze_reads_standard_input() -> None:
    result = run_cli('analyze', '-', stdin=b'2026-01-01 00:00:00 ERROR disk full\n')
    assert result.returncode == 0
    assert '1 lines, 1 events (ERROR 1)' in result.stdout


def test_missing_file_is_a_clear_error() -> None:
    result = run_cli('analyze', 'no-such.log')
    assert result.returncode == 1
    assert result.stderr.strip() == 'error: no such file: no-such.log'
    assert 'Traceback' not in result.stderr


def test_analyze_does_not_import_nicegui(fixtures_dir: Path) -> None:
    probe = (
        'import runpy, sys\n'
        'sys.argv = ["main.py", "analyze", sys.argv[1]]\n'
        'try:\n'
        '    runpy.run_path(sys.argv[0], run_name="__main__")\n'
        'except SystemExit:\n'
        '    pass\n'
        'print("nicegui" in sys.modules, file=sys.stderr)\n'
    )
    result = subprocess.run([sys.executable, '-c', probe, str(fixtures_dir / 'app.log')], cwd=MAIN.parent,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.stderr.strip() == 'False'


def test_invalid_setting_is_a_clear_error() -> None:
    result = subprocess.run([sys.executable, str(MAIN), 'analyze', '-'], input='', capture_output=True, text=True,
                            env={'PORT': 'not-a-port', 'PATH': ''}, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith('error: invalid configuration: PORT')
