"""Run the engine in a worker process, keeping its InputError an InputError for the person's message."""

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from nicegui import run

from parsers import InputError

P = ParamSpec('P')
R = TypeVar('R')


async def in_worker(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R | None:
    """`run.cpu_bound`, except that bad input raises InputError (NiceGUI wraps a worker's exceptions)."""
    try:
        return await run.cpu_bound(function, *args, **kwargs)
    except run.SubprocessException as exc:
        if exc.original_type == InputError.__name__:
            raise InputError(exc.original_message) from None
        raise
