import csv
import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from pip._vendor.distlib.scripts import ScriptMaker  # what pip writes console scripts with

MAIN = Path(__file__).parents[1] / 'main.py'
PROJECT = tomllib.loads((MAIN.parent / 'pyproject.toml').read_text())['project']


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MAIN), *args], input=stdin.decode() if stdin else None,
        capture_output=True, text=True, timeout=20, check=False,
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


def test_standard_input_past_the_upload_limit_is_a_clear_error() -> None:
    result = subprocess.run([sys.executable, str(MAIN), 'analyze', '-'], input=b'ERROR disk full\n' * 100_000,
                            capture_output=True, env={**os.environ, 'MAX_UPLOAD_MB': '1'}, timeout=20, check=False)
    assert result.returncode == 1
    assert result.stderr == b'error: standard input is larger than 1 MB (MAX_UPLOAD_MB)\n'


def test_standard_input_that_never_ends_is_given_up_after_the_timeout() -> None:
    started = time.monotonic()
    with subprocess.Popen([sys.executable, str(MAIN), 'analyze', '-'], stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdout=subprocess.DEVNULL, env={**os.environ, 'ANALYSIS_TIMEOUT_SECONDS': '1'}) as cli:
        assert cli.stdin is not None and cli.stderr is not None
        cli.stdin.write(b'2026-01-01 00:00:00 ERROR disk full\n')  # and then nothing, with the pipe left open
        cli.stdin.flush()
        assert cli.wait(timeout=20) == 1
        assert cli.stderr.read() == b'error: standard input did not end within 1 seconds (ANALYSIS_TIMEOUT_SECONDS)\n'
    assert time.monotonic() - started < 10


def test_a_worker_without_its_redis_is_a_clear_error(unreachable_redis_url: str) -> None:
    result = subprocess.run([sys.executable, str(MAIN), 'worker'], capture_output=True, text=True, timeout=60,
                            env={**os.environ, 'REDIS_URL': unreachable_redis_url}, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith('error: cannot reach the Redis of the job queue (REDIS_URL): Error 111 connecting')
    assert 'Traceback' not in result.stderr


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


@pytest.mark.parametrize(('command', 'setting'), [(['analyze', '-'], 'MAX_LINE_KIB'), (['serve'], 'PORT')])
def test_invalid_setting_is_a_clear_error(command: list[str], setting: str) -> None:
    result = subprocess.run([sys.executable, str(MAIN), *command], input='', capture_output=True, text=True,
                            env={setting: '0', 'PATH': ''}, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith(f'error: invalid configuration: {setting}: Input should be greater than')


def test_an_emulator_host_only_in_dot_env_is_a_clear_error(tmp_path: Path) -> None:
    # firebase-admin would not see it, and the app does not write the environment for it.
    (tmp_path / '.env').write_text('FIREBASE_AUTH_EMULATOR_HOST=127.0.0.1:9099\n', encoding='utf-8')
    result = subprocess.run([sys.executable, str(MAIN), 'serve'], capture_output=True, text=True, cwd=tmp_path,
                            env={'PATH': ''}, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith('error: invalid configuration: FIREBASE_AUTH_EMULATOR_HOST: Value error, set it '
                                    'in the environment itself, not only in .env')


def test_analyze_reads_no_server_setting() -> None:
    server_only = {'PORT': '0', 'GUEST_FREE_ANALYSES': '-1', 'LOGIN_THROTTLE_MINUTES': 'never'}
    result = subprocess.run([sys.executable, str(MAIN), 'analyze', '-'], input='2026-01-01 00:00:00 ERROR disk full\n',
                            capture_output=True, text=True, env={**server_only, 'PATH': ''}, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert '1 lines, 1 events (ERROR 1)' in result.stdout


def test_version_is_the_installed_package_version() -> None:
    result = run_cli('--version')
    assert result.returncode == 0, result.stderr
    assert result.stdout == f'logsentry {PROJECT["version"]}\n'


def test_usage_names_the_program_as_it_was_run() -> None:
    result = run_cli('--help')
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('usage: main.py [-h] [--version] {serve,worker,analyze} ...\n')


def test_console_script_runs_the_cli(tmp_path: Path) -> None:
    """The `logsentry` script an installer writes from [project.scripts], run as a person would run it."""
    maker = ScriptMaker(None, str(tmp_path), add_launchers=False)
    maker.executable = sys.executable
    maker.variants = {''}  # `logsentry` alone, not also `logsentry-3.11`
    script = Path(maker.make(f'logsentry = {PROJECT["scripts"]["logsentry"]}')[0])
    env = {'PATH': '', 'PYTHONPATH': str(MAIN.parent)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(script), *args], input='2026-01-01 00:00:00 ERROR disk full\n', capture_output=True,
                              text=True, env=env, timeout=60, check=False)

    analyzed, usage, missing = run('analyze', '-'), run('--help'), run('analyze', 'no-such.log')
    assert (analyzed.returncode, analyzed.stdout.splitlines()[0]) == (0, '1 lines, 1 events (ERROR 1)')
    assert usage.stdout.startswith('usage: logsentry [-h] [--version] {serve,worker,analyze} ...\n')
    assert (missing.returncode, missing.stderr) == (1, 'error: no such file: no-such.log\n')


def test_prompt_prints_the_redacted_evidence_and_its_tokens(fixtures_dir: Path) -> None:
    result = run_cli('analyze', str(fixtures_dir / 'secrets.log'), '--prompt')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith('tokens: ')
    assert 0 < int(lines[-1].removeprefix('tokens: ')) <= 12_000
    assert '      5 | 2026-11-26 08:00:03,000 ERROR [pay] charge failed card=<CARD_NUMBER_1>' in result.stdout
    assert '      9 | ConnectionRefusedError: [Errno 111] Connection refused' in result.stdout
    for secret in (fixtures_dir / 'planted_secrets.txt').read_text().splitlines():
        assert secret not in result.stdout
    assert result.stderr.startswith('redacted: 1 AWS access key, 1 AWS secret key, 1 JSON web token')
    assert '1 Google API key' in result.stderr and '1 e-mail address' in result.stderr


def test_prompt_budget_is_honoured(fixtures_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / 'big.log'
    # Each line in its own words (values alone would be masked into one group).
    words = [''.join(chr(97 + i // 26 ** place % 26) for place in range(3)) for i in range(3000)]
    big.write_text(''.join(f'2026-01-01 00:00:00 ERROR {word} failed to load {word}\n' for word in words))
    result = run_cli('analyze', str(big), '--prompt', '--budget', '1500')
    assert result.returncode == 0, result.stderr
    assert 1000 < int(result.stdout.splitlines()[-1].removeprefix('tokens: ')) <= 1500


def test_too_small_a_budget_is_a_clear_error(fixtures_dir: Path) -> None:
    result = run_cli('analyze', str(fixtures_dir / 'app.log'), '--prompt', '--budget', '10')
    assert result.returncode == 1
    assert result.stderr.strip() == 'error: --budget goes with --prompt and must be at least 1000'


def test_diagnose_without_a_key_prints_the_offline_diagnosis(fixtures_dir: Path) -> None:
    result = run_cli('analyze', str(fixtures_dir / 'app.log'), '--diagnose')
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('## Summary')
    assert 'Database connection refused' in result.stdout
    assert 'offline analysis' in result.stdout
def test_serving_with_an_unreachable_database_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('DATABASE_URL', 'postgresql+psycopg://app:hunter2@127.0.0.1:1/logsentry')
    result = run_cli('serve')
    assert result.returncode == 1
    assert 'error: cannot open the database postgresql+psycopg://app:***@127.0.0.1:1/logsentry' in result.stderr
    assert 'hunter2' not in result.stderr
    assert 'Traceback' not in result.stderr


def test_lines_csv_has_one_row_per_physical_line(fixtures_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / 'lines.csv'
    result = run_cli('analyze', str(fixtures_dir / 'app.log'), '--lines-csv', str(out))
    assert result.returncode == 0, result.stderr
    rows = out.read_text(encoding='utf-8').splitlines()
    assert rows[0] == 'LineId,EventId,GroupId,Level,Timestamp'
    assert [row.split(',')[0] for row in rows[1:]] == [str(line) for line in range(1, 17)]
    traceback_rows = {row.split(',', 1)[1] for row in rows[6:15]}
    assert len(traceback_rows) == 1
    assert traceback_rows.pop().endswith(',ERROR,"2026-11-26 09:14:11,392"')


def test_lines_csv_gives_each_line_the_timestamp_of_its_event(fixtures_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / 'lines.csv'
    assert run_cli('analyze', str(fixtures_dir / 'app.log'), '--lines-csv', str(out)).returncode == 0
    with out.open(encoding='utf-8', newline='') as handle:
        rows = list(csv.DictReader(handle))
    assert [row['Timestamp'] for row in rows[:3]] == [
        '2026-11-26 09:14:02,101', '2026-11-26 09:14:02,355', '2026-11-26 09:14:07,360']


def test_lines_csv_to_an_unwritable_place_is_a_clear_error(fixtures_dir: Path, tmp_path: Path) -> None:
    result = run_cli('analyze', str(fixtures_dir / 'app.log'), '--lines-csv', str(tmp_path / 'no' / 'dir.csv'))
    assert result.returncode == 1
    assert result.stderr.startswith('error: cannot write')


@pytest.mark.parametrize('special', ['fifo', 'directory', 'device'])
def test_anything_but_a_regular_file_is_refused_at_once(tmp_path: Path, special: str) -> None:
    if special == 'fifo':
        path = tmp_path / 'pipe'
        os.mkfifo(path)  # nobody writes to it: reading it would wait for ever
    elif special == 'directory':
        path = tmp_path
    else:
        path = Path(os.devnull)  # a character device, like /dev/zero
    result = run_cli('analyze', str(path))
    assert result.returncode == 1
    expected = 'is a directory, not a log file' if special == 'directory' else 'is not a regular file'
    assert result.stderr.startswith(f'error: {path} {expected}')
    assert 'Traceback' not in result.stderr


def test_an_analysis_past_its_time_is_stopped(tmp_path: Path) -> None:
    log = tmp_path / 'big.log'
    log.write_text(''.join(f'2026-01-01 10:00:{n % 60:02d} INFO request {n} served\n' for n in range(1_000_000)))
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(MAIN), 'analyze', str(log)], capture_output=True, text=True,
                            env={**os.environ, 'ANALYSIS_TIMEOUT_SECONDS': '0.2'}, timeout=20, check=False)
    assert result.returncode == 1
    assert result.stderr == 'error: the analysis took longer than 0.2 seconds and was stopped; try a smaller log\n'
    assert time.monotonic() - started < 10


def test_baseline_lists_the_new_error_first_with_counts_and_first_line(fixtures_dir: Path) -> None:
    result = run_cli('analyze', str(fixtures_dir / 'bad_run.log'), '--baseline', str(fixtures_dir / 'good_run.log'))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith('(counts as rates per hour): 1 new, 1 gone, 1 growing, 0 shrinking, 2 unchanged; '
                             'new errors: 1')
    assert lines[1].split() == ['new', 'ERROR', '3', 'now', '0', 'before', 'first', 'at', 'line', '77,',
                                '2026-11-26T14:40:10.870000']
    assert lines[2].strip() == 'ledger write failed: disk quota exceeded on <*>'
    assert lines[3].split()[:5] == ['growing', 'WARN', '40', 'now', '4']
    assert lines[5].split()[:5] == ['gone', 'INFO', '0', 'now', '3']


def test_baseline_json_is_the_typed_comparison(fixtures_dir: Path) -> None:
    result = run_cli('analyze', str(fixtures_dir / 'bad_run.log'), '--baseline', str(fixtures_dir / 'good_run.log'),
                     '--json')
    assert result.returncode == 0, result.stderr
    comparison = json.loads(result.stdout)
    assert comparison['basis'] == 'hour'
    [new] = comparison['new']
    assert (new['level'], new['log']['count'], new['log']['first_line']) == ('ERROR', 3, 77)
    assert [row['template'] for row in comparison['growing']] == ['slow query took <*> on orders']
    assert [row['matched_by'] for row in comparison['unchanged']] == ['template', 'template']


def test_a_bad_baseline_is_a_clear_error(fixtures_dir: Path, tmp_path: Path) -> None:
    binary = tmp_path / 'image.png'
    binary.write_bytes(bytes(range(256)) * 8)
    good, bad = str(fixtures_dir / 'good_run.log'), str(fixtures_dir / 'bad_run.log')
    for args, message in (
        ((bad, '--baseline', 'no-such.log'), 'error: no such file: no-such.log'),
        (('no-such.log', '--baseline', good), 'error: no such file: no-such.log'),
        ((bad, '--baseline', str(binary)), 'error: '),
        ((bad, '--baseline', good, '--diagnose'), 'error: --baseline goes with the summary or --json'),
    ):
        result = run_cli('analyze', *args)
        assert result.returncode == 1, args
        assert result.stderr.startswith(message), result.stderr
        assert 'Traceback' not in result.stderr and result.stdout == ''


def test_a_reader_that_stops_early_is_no_traceback(tmp_path: Path) -> None:
    words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet']
    log = tmp_path / 'many.log'  # many groups: more JSON than a pipe holds, so the writer meets the closed pipe
    log.write_text(''.join(f'2026-01-01 10:00:00 ERROR {a} {b} {c} failed\n'
                           for a in words for b in words for c in words))
    command = f'{sys.executable} {MAIN} analyze {log} --json | head -c 10'
    result = subprocess.run(['bash', '-o', 'pipefail', '-c', command], capture_output=True, text=True, check=False)
    assert result.stdout == '{\n  "schem'
    assert 'Traceback' not in result.stderr and 'BrokenPipe' not in result.stderr
    assert result.returncode == 0
