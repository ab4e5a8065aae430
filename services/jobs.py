"""Reading a log into an Analysis in a worker process of its own, ended when ANALYSIS_TIMEOUT_SECONDS have passed.

The steps every way in shares (the page, the API, the CLI and the queued worker): the engine with the configured
limits, the redacted copy of the log when uploads are kept, the time it took, and how far it has come.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from parsers import Analysis, InputError, LinesCsv, ReadLimits
from services.parsing import ProgressFile, analyze_path
from services.worker import Worker

STATUS_SECONDS = 0.25  # how often the progress of an analysis under way is passed on


@dataclass(frozen=True, slots=True)
class Parsed:
    analysis: Analysis
    raw_log: str | None  # the log with its secrets redacted, when uploads are kept
    seconds: float  # time the reading took, in the worker


@dataclass(frozen=True, slots=True)
class Status:
    """How far an analysis is: waiting for a worker behind `ahead` others, or reading (`ahead` is None)."""

    ahead: int | None = None
    bytes_read: int = 0
    events: int = 0


OnStatus = Callable[[Status], None]


class Runner(Protocol):
    """Where the reading happens: a process of this app's own, or a worker pool behind a queue."""

    async def parse(self, path: Path, *, limits: ReadLimits, keep: bool, on_status: OnStatus) -> Parsed: ...


class Parse:
    """One log being read in a worker process; `result` waits for it and ends the process once `timeout` has passed."""

    def __init__(self, path: Path, limits: ReadLimits, timeout: float, *, keep: bool = False,
                 lines_csv: Path | None = None) -> None:
        self._workdir = tempfile.TemporaryDirectory(prefix='logsentry-')
        self._progress = ProgressFile(Path(self._workdir.name) / 'progress')
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout
        self._worker = Worker(parse_log, path, limits, keep=keep, progress=self._progress, lines_csv=lines_csv)

    def result(self, on_status: OnStatus | None = None) -> Parsed:
        """What the worker answered; its InputError (TimedOut once the time is up) is raised here."""
        try:
            while not self._worker.ready(STATUS_SECONDS) and time.monotonic() < self._deadline:
                if on_status is not None and (read := self._progress.read()) is not None:
                    on_status(Status(bytes_read=read[0], events=read[1]))
            return self._worker.result(self._timeout)
        finally:
            self._worker.kill()  # in case the wait itself was interrupted
            self._workdir.cleanup()

    def kill(self) -> None:
        self._worker.kill()


def parse_file(path: Path, limits: ReadLimits, timeout: float, *, lines_csv: Path | None = None) -> Analysis:
    """The CLI's way in: the same worker and timeout, nothing kept or saved."""
    return Parse(path, limits, timeout, lines_csv=lines_csv).result().analysis


def parse_log(path: Path, limits: ReadLimits, *, keep: bool = False, progress: ProgressFile | None = None,
              lines_csv: Path | None = None) -> Parsed:
    """What the worker process runs (module level, so that it can be sent there)."""
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        sink = None
        if lines_csv is not None:
            try:
                sink = LinesCsv(stack.enter_context(lines_csv.open('w', encoding='utf-8')))
            except OSError as exc:
                raise InputError(f'cannot write {lines_csv}: {exc.strerror}') from None
        analysis = analyze_path(path, limits, progress=progress, on_event=sink)
    raw_log = None
    if keep:
        # Imported here: the CLI never keeps uploads and starts without the database layer.
        from services.redacted_upload import redacted_log

        raw_log = redacted_log(path, limits)
    return Parsed(analysis, raw_log, time.perf_counter() - started)


class InProcess:
    """The default runner: each log is read in a process this app starts, and ends when the page gives up."""

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout

    async def parse(self, path: Path, *, limits: ReadLimits, keep: bool, on_status: OnStatus) -> Parsed:
        parse = Parse(path, limits, self._timeout, keep=keep)
        try:
            return await asyncio.to_thread(parse.result, on_loop(on_status))
        except asyncio.CancelledError:  # a page closed or a server stopping: nobody waits for the answer any more
            parse.kill()
            raise


def on_loop(on_status: OnStatus) -> OnStatus:
    """`on_status` as a thread that waits for an answer may call it: it runs on the caller's event loop."""
    loop = asyncio.get_running_loop()

    def report(status: Status) -> None:
        loop.call_soon_threadsafe(on_status, status)

    return report
