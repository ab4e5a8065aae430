"""Run the engine on a file or text with the configured limits."""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from parsers import Analysis, EventSink, InputError, Progress, ReadLimits, analyze_stream
from services.config import AnalysisSettings


def read_limits(settings: AnalysisSettings) -> ReadLimits:
    return ReadLimits(
        max_line_bytes=settings.max_line_kib * 1024,
        # The upload limit holds for what a compressed log inflates to as well.
        max_decompressed_bytes=min(settings.max_decompressed_mb, settings.max_upload_mb) * 1024 * 1024,
        max_compression_ratio=settings.max_compression_ratio,
        max_occurrences=settings.max_group_occurrences,
        max_example_lines=settings.max_example_lines,
        max_example_chars=settings.max_example_chars,
        context_lines=settings.context_lines,
        context_after_lines=settings.context_after_lines,
        kept_occurrences=settings.kept_occurrences,
        max_kept_lines=settings.max_kept_lines,
        similarity=settings.template_similarity,
        max_groups=settings.max_groups,
        template_cache_size=settings.template_cache_size,
        timeline_buckets=settings.timeline_buckets,
        activity_slices=settings.activity_slices,
        timeline_rows=settings.timeline_rows,
        workers=settings.analysis_workers,
        parallel_min_bytes=settings.parallel_min_mb * 1024 * 1024,
    )


def analyze_path(path: Path, limits: ReadLimits, *, progress: Progress | None = None,
                 on_event: EventSink | None = None) -> Analysis:
    """Analyze a file on disk; module level so a worker process can run it."""
    try:
        # Non-blocking, so that opening a named pipe nobody writes to returns at once, to be refused below.
        with open(path, 'rb', opener=lambda name, flags: os.open(name, flags | getattr(os, 'O_NONBLOCK', 0))) as stream:
            kind = os.fstat(stream.fileno()).st_mode
            if stat.S_ISDIR(kind):
                raise InputError(f'{path} is a directory, not a log file')
            if not stat.S_ISREG(kind):
                raise InputError(f"{path} is not a regular file (a pipe or a device); give a log file, or '-' "
                                 'and pipe the log in')
            return analyze_stream(stream, limits, progress=progress, on_event=on_event)
    except FileNotFoundError as exc:
        raise InputError(f'no such file: {path}') from exc
    except IsADirectoryError as exc:
        raise InputError(f'{path} is a directory, not a log file') from exc
    except PermissionError as exc:
        raise InputError(f'cannot read {path}: permission denied') from exc


def analyze_text(text: str, limits: ReadLimits) -> Analysis:
    return analyze_stream(io.BytesIO(text.encode('utf-8')), limits)


@dataclass(frozen=True, slots=True)
class ProgressFile:
    """How far a worker process has read, for the page to show: a tiny file, as the worker shares no memory with it."""

    path: Path

    def __call__(self, bytes_read: int, events: int) -> None:
        partial = self.path.with_suffix('.partial')
        partial.write_text(f'{bytes_read} {events}', encoding='ascii')
        partial.replace(self.path)  # atomic, so a reader never sees half a number

    def read(self) -> tuple[int, int] | None:
        try:
            bytes_read, events = self.path.read_text(encoding='ascii').split()
            return int(bytes_read), int(events)
        except (OSError, ValueError):
            return None
