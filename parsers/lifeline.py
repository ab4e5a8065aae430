"""Worker processes end as soon as the process that started them is gone, even when it was killed outright."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from multiprocessing.process import BaseProcess

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def exit_with_parent() -> None:
    """The initializer of a worker process: without it, a killed app leaves its workers running, re-parented."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if not _kill_me_with_parent():
        watch_parent(parent)
    elif not parent.is_alive():  # it died before the request took effect
        os._exit(1)


def watch_parent(parent: BaseProcess) -> None:
    """The portable way: a thread that waits for the parent's end; it runs whenever the worker lets go of the GIL."""
    threading.Thread(target=_exit_after, args=(parent,), name='exit-with-parent', daemon=True).start()


def _kill_me_with_parent() -> bool:
    # Linux kills the process itself, however busy it is in C code; the parent being the process that forked it.
    if not sys.platform.startswith('linux'):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)


def _exit_after(parent: BaseProcess) -> None:
    parent.join()
    os._exit(1)
