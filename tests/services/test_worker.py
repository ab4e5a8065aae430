"""An analysis runs in a worker process that is ended when its time is up, and that never outlives its app."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from parsers import ReadLimits
from services.parsing import analyze_path
from services.worker import TimedOut, Worker

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.skipif(not Path('/proc/self/stat').exists(), reason='reads the process table in /proc')


def big_log(path: Path) -> Path:
    """A web server's access log: a big one is read by several processes."""
    line = '10.0.0.{} - - [26/Nov/2026:09:00:{:02d} +0000] "GET /items/{} HTTP/1.1" {} 512\n'
    path.write_text(''.join(line.format(n % 250, n % 60, n, 500 if n % 97 == 0 else 200) for n in range(500_000)))
    return path


def children(pid: int) -> list[int]:
    return [int(stat.parent.name) for stat in Path('/proc').glob('[0-9]*/stat') if _field(stat, 1) == str(pid)]


def alive(pid: int) -> bool:
    """A zombie has ended; only whoever adopted it has still to collect it."""
    return _field(Path(f'/proc/{pid}/stat'), 0) not in (None, 'Z')


def _field(stat: Path, index: int) -> str | None:
    try:
        # state and parent pid follow the command name, which is in parentheses and may hold spaces
        return stat.read_text().rpartition(')')[2].split()[index]
    except OSError:
        return None


def wait_until_gone(pids: list[int], seconds: float = 2.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


def test_a_worker_past_its_time_is_ended_with_its_own_workers_and_says_so(tmp_path: Path) -> None:
    log = big_log(tmp_path / 'big.log')
    worker = Worker(analyze_path, log, ReadLimits(workers=2, parallel_min_bytes=1024 * 1024))
    deadline = time.monotonic() + 10
    while not (parts := children(worker.process.pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert parts, 'the worker reads the big log with a worker of its own'
    started = time.monotonic()
    with pytest.raises(TimedOut) as stopped:
        worker.result(timeout=0.3)
    assert time.monotonic() - started < 2
    assert str(stopped.value) == 'the analysis took longer than 0.3 seconds and was stopped; try a smaller log'
    assert wait_until_gone([worker.process.pid, *parts]) == []


def test_a_worker_in_time_answers_and_ends(tmp_path: Path) -> None:
    log = big_log(tmp_path / 'big.log')
    worker = Worker(analyze_path, log, ReadLimits())
    assert worker.result(timeout=120).lines == 500_000
    assert not alive(worker.process.pid)


PARENT = """
import time
from services.worker import Worker
worker = Worker(time.sleep, 600)
print(worker.process.pid, flush=True)
time.sleep(600)
"""

# The portable way alone, as where Linux's parent-death signal is missing.
PORTABLE_PARENT = """
import multiprocessing, time
from parsers.lifeline import watch_parent

def work():
    watch_parent(multiprocessing.parent_process())
    time.sleep(600)

if __name__ == '__main__':
    worker = multiprocessing.get_context('fork').Process(target=work)
    worker.start()
    print(worker.pid, flush=True)
    time.sleep(600)
"""


@pytest.mark.parametrize('script', [PARENT, PORTABLE_PARENT], ids=['parent-death-signal', 'watching-thread'])
def test_a_worker_ends_when_its_app_is_killed(script: str) -> None:
    app = subprocess.Popen([sys.executable, '-c', textwrap.dedent(script)], cwd=ROOT, stdout=subprocess.PIPE,
                           env={**os.environ, 'PYTHONPATH': str(ROOT)}, text=True)
    try:
        assert app.stdout is not None
        worker = int(app.stdout.readline())
        assert alive(worker)
        os.kill(app.pid, signal.SIGKILL)
        app.wait()
        assert wait_until_gone([worker]) == []
    finally:
        app.kill()
        app.wait()
