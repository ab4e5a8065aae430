"""Run one analysis in a process of its own, ended when its time is up or when the app that started it is gone."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext
from typing import Any, Generic, ParamSpec, TypeVar

from parsers import InputError
from parsers.lifeline import exit_with_parent

P = ParamSpec('P')
R = TypeVar('R')
_METHODS = multiprocessing.get_all_start_methods()
# forkserver forks from a small single-threaded server, not from the threaded app; spawn where there is none.
_SERVED: ForkServerContext | SpawnContext = (
    multiprocessing.get_context('forkserver') if 'forkserver' in _METHODS else multiprocessing.get_context('spawn')
)


def _context() -> ForkContext | ForkServerContext | SpawnContext:
    """fork where this process runs one thread (the CLI): the worker starts with the modules already imported, as
    a fresh interpreter would import them all again; never in a threaded app, whose other threads may hold locks."""
    return multiprocessing.get_context('fork') if 'fork' in _METHODS and threading.active_count() == 1 else _SERVED


class TimedOut(InputError):
    """The analysis took longer than ANALYSIS_TIMEOUT_SECONDS; the message is meant for the person waiting."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f'the analysis took longer than {seconds:g} seconds and was stopped; try a smaller log')


class Worker(Generic[R]):
    """A function running in its own process: `result` waits for it (from one thread only), `kill` ends it."""

    def __init__(self, function: Callable[..., R], *args: Any, **kwargs: Any) -> None:
        context = _context()
        self._receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_serve, args=(sender, function, args, kwargs), name='analysis')
        self.process.start()
        self._started = time.monotonic()
        sender.close()  # the worker holds the only writing end: its death reads as the end of the pipe

    def result(self, timeout: float) -> R:
        """The function's return value, or its exception raised here; TimedOut once `timeout` has passed."""
        try:
            if not self._receiver.poll(max(0.0, self._started + timeout - time.monotonic())):
                raise TimedOut(timeout)
            succeeded, value = self._receiver.recv()
        except EOFError:  # killed, or died without a word
            raise RuntimeError('the analysis process ended without an answer') from None
        finally:
            self.kill()
            self.process.join()
            self._receiver.close()
        if succeeded:
            return value  # type: ignore[no-any-return]
        raise value

    def ready(self, within: float) -> bool:
        """Whether the answer (or the end of the worker) is there, waiting at most `within` seconds for it."""
        return self._receiver.poll(within)

    def kill(self) -> None:
        """End the worker and, through parsers.lifeline, the processes it started; `result` then returns at once."""
        if self.process.exitcode is None:
            self.process.kill()


def run(timeout: float, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`function(*args, **kwargs)` in a worker process, stopped after `timeout` seconds."""
    return Worker(function, *args, **kwargs).result(timeout)


def _serve(sender: Connection, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    exit_with_parent()
    try:
        outcome: tuple[bool, Any] = (True, function(*args, **kwargs))
    except Exception as exc:  # handed to the caller, who decides what the person sees
        outcome = (False, exc)
    try:
        sender.send(outcome)
    except Exception as exc:  # an exception (or a result) that does not pickle still gets an answer
        sender.send((False, RuntimeError(f'{type(exc).__name__}: {exc}')))
