"""Reading logs on a pool of workers (`python main.py worker`) behind an RQ queue on Redis, when REDIS_URL is set.

The log itself travels through Redis, not a shared disk: app and workers may run in separate containers. Its key
expires once no worker could still want it, and a worker deletes it as soon as it has it.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from redis import Redis, RedisError
from rq import Queue, Worker, get_current_job
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation
from rq.job import Job, JobStatus

from parsers import InputError, ReadLimits
from services.config import Settings
from services.jobs import STATUS_SECONDS, OnStatus, Parse, Parsed, Status, on_loop
from services.redis_unavailable import JOB_QUEUE, reaching

CHUNK = 1024 * 1024
REDIS_STRING_LIMIT = 512 * 1024 * 1024  # the largest value Redis stores under one key
# RQ ends a work horse that outlives its job timeout; the reading ends at ANALYSIS_TIMEOUT_SECONDS already
# (its own process is killed), so RQ's timeout only catches a horse stuck around it, such as on a slow Redis.
HORSE_GRACE_SECONDS = 30
RESULT_SECONDS = 600  # how long a finished job's answer waits for the app that asked


@dataclass(frozen=True, slots=True)
class Refused:
    """What was wrong with the log, for the person who sent it (RQ keeps only the text of a job's exceptions)."""

    message: str


class AnalysisQueue:
    """A Runner that hands each log to the worker pool and follows it: place in the queue, then progress."""

    def __init__(self, connection: Redis, *, prefix: str, timeout: float, wait: float) -> None:
        self._redis = connection
        self._queue = Queue(queue_name(prefix), connection=connection)
        self._prefix = prefix
        self._timeout = timeout
        self._wait = wait

    @classmethod
    def from_settings(cls, settings: Settings) -> AnalysisQueue:
        assert settings.redis_url is not None
        timeout = settings.redis_timeout_seconds  # the app's calls never block on Redis by design: none waits longer
        connection = Redis.from_url(settings.redis_url, socket_timeout=timeout, socket_connect_timeout=timeout)
        return cls(connection, prefix=settings.redis_key_prefix,
                   timeout=settings.analysis_timeout_seconds, wait=settings.queue_wait_seconds)

    async def parse(self, path: Path, *, limits: ReadLimits, keep: bool, on_status: OnStatus) -> Parsed:
        loop = asyncio.get_running_loop()
        upload = f'{self._prefix}upload:{uuid.uuid4().hex}'
        try:
            with reaching(JOB_QUEUE):
                job = await asyncio.to_thread(self._submit, path, upload, limits, keep)
                try:
                    return await asyncio.to_thread(self._follow, job, on_loop(on_status))
                except asyncio.CancelledError:  # nobody waits for the answer any more: free the worker for others
                    loop.run_in_executor(None, _withdraw, job)
                    raise
        finally:
            loop.run_in_executor(None, self._delete_upload, upload)

    def _delete_upload(self, upload: str) -> None:
        with contextlib.suppress(RedisError):  # it expires by itself in any case
            self._redis.delete(upload)

    def _submit(self, path: Path, upload: str, limits: ReadLimits, keep: bool) -> Job:
        if path.stat().st_size > REDIS_STRING_LIMIT:
            raise InputError(f'the log is larger than {REDIS_STRING_LIMIT // 1024 // 1024} MB, the most the '
                             'analysis queue carries')
        self._redis.set(upload, b'', ex=math.ceil(self._wait + self._timeout + HORSE_GRACE_SECONDS))
        with path.open('rb') as stream:
            while chunk := stream.read(CHUNK):  # in pieces, so neither side holds a second copy of a big log
                self._redis.append(upload, chunk)
        return self._queue.enqueue(
            run_job, upload, limits, self._timeout, keep,
            job_timeout=math.ceil(self._timeout) + HORSE_GRACE_SECONDS, ttl=math.ceil(self._wait),
            result_ttl=RESULT_SECONDS, failure_ttl=RESULT_SECONDS,
        )

    def _follow(self, job: Job, on_status: OnStatus) -> Parsed:
        deadline = time.monotonic() + self._wait + self._timeout + 2 * HORSE_GRACE_SECONDS
        while time.monotonic() < deadline:
            try:
                state = job.get_status()
            except InvalidJobOperation:  # it expired in the queue
                raise InputError(f'no analysis worker was free within {self._wait:g} seconds; try again later') \
                    from None
            if state == JobStatus.FINISHED:
                outcome = job.return_value(refresh=True)
                if isinstance(outcome, Refused):
                    raise InputError(outcome.message)
                assert isinstance(outcome, Parsed)
                return outcome
            if state in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
                result = job.latest_result()
                reason = result.exc_string.strip().splitlines()[-1] if result and result.exc_string else state
                raise RuntimeError(f'the queued analysis {job.id} ended without an answer: {reason}')
            if state == JobStatus.QUEUED and (position := job.get_position()) is not None:
                on_status(Status(ahead=position))
            elif state == JobStatus.STARTED and (read := job.get_meta().get('progress')):
                on_status(Status(bytes_read=read[0], events=read[1]))
            time.sleep(STATUS_SECONDS)
        _withdraw(job)
        raise RuntimeError(f'the queued analysis {job.id} gave no answer in time')


def queue_name(prefix: str) -> str:
    return f'{prefix}analyses'


def run_job(upload: str, limits: ReadLimits, timeout: float, keep: bool) -> Parsed | Refused:
    """What a worker runs for one log: fetch it, read it in a process ended at `timeout`, report progress."""
    job = get_current_job()
    assert job is not None
    with TemporaryDirectory(prefix='logsentry-') as workdir:
        path = Path(workdir) / 'upload'
        if not _fetch(job.connection, upload, path):
            return Refused('the log expired before a worker was free; try again')

        def publish(status: Status) -> None:
            job.meta['progress'] = [status.bytes_read, status.events]
            job.save_meta()  # type: ignore[no-untyped-call]

        try:
            return Parse(path, limits, timeout, keep=keep).result(publish)
        except InputError as exc:
            return Refused(str(exc))


def _fetch(connection: Redis, upload: str, path: Path) -> bool:
    if not connection.exists(upload):
        return False
    size = connection.strlen(upload)
    with path.open('wb') as out:
        for start in range(0, size, CHUNK):
            piece = connection.getrange(upload, start, start + CHUNK - 1)
            assert isinstance(piece, bytes)  # the connection does not decode
            out.write(piece)
    connection.delete(upload)
    return True


def _withdraw(job: Job) -> None:
    try:
        if job.get_status() == JobStatus.STARTED:
            send_stop_job_command(job.connection, job.id)
        else:
            job.cancel()
    except InvalidJobOperation:
        pass  # already over


def work(settings: Settings) -> None:
    """`python main.py worker`: take logs from the queue until stopped (SIGTERM lets the current one finish)."""
    assert settings.redis_url is not None
    with reaching(JOB_QUEUE):  # at start-up; once running, RQ itself waits for a Redis that went away
        worker = Worker([queue_name(settings.redis_key_prefix)], connection=Redis.from_url(settings.redis_url))
        worker.work(logging_level=settings.log_level)
