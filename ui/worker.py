"""Run an analysis in a worker process without blocking the page, stopped when its time is up or the page gives up."""

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from services.worker import Worker

P = ParamSpec('P')
R = TypeVar('R')


async def in_worker(timeout: float, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`function(*args, **kwargs)` in a process of its own; raises services.worker.TimedOut after `timeout` seconds."""
    worker = Worker(function, *args, **kwargs)
    try:
        return await asyncio.to_thread(worker.result, timeout)
    except asyncio.CancelledError:  # a page closed or a server stopping: nobody waits for the answer any more
        worker.kill()
        raise
