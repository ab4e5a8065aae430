"""The one way a log becomes a saved analysis, for the page and the API alike: limits, reading in a worker that is
ended when its time is up, progress, the redacted upload when uploads are kept, saving, timing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from parsers import Analysis, InputError
from services.config import Settings
from services.identity import Caller
from services.jobs import OnStatus, Runner, Status
from services.parsing import read_limits
from services.store.database import Database
from services.store.saved_analyses import save_analysis
from services.store.tables import AnalysisRecord


@dataclass(frozen=True, slots=True)
class Ingest:
    settings: Settings
    database: Database
    runner: Runner

    async def __call__(
        self, path: Path, *, name: str | Callable[[Analysis], str], owner: Caller, on_status: OnStatus | None = None,
        may_save: Callable[[], Awaitable[bool]] | None = None,
    ) -> AnalysisRecord | None:
        """Analyze the log at `path` and save it for `owner`. InputError says what is wrong with the log (or that it
        took too long); None when `may_save` answered no (the session asking has ended in the meantime). `name` may
        be worked out from the analysis (a paste is named by its first error)."""
        size = path.stat().st_size
        if size > self.settings.max_upload_bytes:
            raise InputError(f'the log is larger than {self.settings.max_upload_mb} MB')
        parsed = await self.runner.parse(path, limits=read_limits(self.settings), keep=self.settings.keep_uploads,
                                         on_status=on_status or _ignore)
        if may_save is not None and not await may_save():
            return None
        return await asyncio.to_thread(
            save_analysis, self.database, owner=owner, file_name=name(parsed.analysis) if callable(name) else name,
            size_bytes=size, analysis=parsed.analysis,
            parse_seconds=parsed.seconds, raw_log=parsed.raw_log,
        )


def _ignore(status: Status) -> None:
    del status
