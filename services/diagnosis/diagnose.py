"""Diagnosing a saved analysis, the same for the pages and the API: cache, quota, analyzer, store."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from parsers import Analysis, Group
from services.diagnosis.analyzer import Analyzer, Diagnosis
from services.diagnosis.offline import OFFLINE_MODEL, default_group
from services.identity import Caller
from services.store import quota
from services.store.answer_cache import cached_answer, remember_answer
from services.store.database import Database
from services.store.saved_analyses import get_analysis, record_diagnosis


@dataclass(frozen=True, slots=True)
class DiagnosisResult:
    diagnosis: Diagnosis
    group_id: int | None
    from_cache: bool
    seconds: float


class AnalysisNotFound(Exception):
    """No such analysis for this owner."""


async def diagnose_saved(
    *, database: Database, analyzer: Analyzer, analysis_id: str, owner: Caller,
    limits: quota.Limits, group_id: int | None = None, on_chunk: Callable[[str], None] | None = None,
) -> DiagnosisResult:
    """Answer from the cache for free, or ask the analyzer: the offline analyzer answers for free, as nothing leaves
    the server; a model's answer reserves a use first and keeps it only if the model answered (an error, or the
    offline stand-in after a model failure, gives it back).

    Raises AnalysisNotFound, quota.QuotaExceeded, DiagnosisError (from the analyzer) or DatabaseUnavailable.
    """
    record = await asyncio.to_thread(get_analysis, database, analysis_id=analysis_id, owner=owner)
    if record is None:
        raise AnalysisNotFound(analysis_id)
    analysis = record.to_analysis()
    group = pick_group(analysis, group_id)
    chosen = group.id if group else None
    key = await asyncio.to_thread(analyzer.cache_key, analysis, group)  # builds the evidence: CPU work
    started = time.perf_counter()
    diagnosis = await asyncio.to_thread(cached_answer, database, key=key)
    if diagnosis is not None:
        if on_chunk:
            on_chunk(diagnosis.markdown)
        await asyncio.to_thread(_keep, database, analysis_id, owner, chosen, diagnosis, time.perf_counter() - started)
        return DiagnosisResult(diagnosis, chosen, True, time.perf_counter() - started)
    if analyzer.model == OFFLINE_MODEL:  # nothing leaves the server and nothing is paid for: no quota
        reservation = quota.Reservation(None)
    else:
        reservation = await asyncio.to_thread(quota.reserve, database, caller=owner, limits=limits)
    try:
        diagnosis = await analyzer.diagnose(analysis, group, on_chunk)
    except BaseException:
        await asyncio.to_thread(quota.release, database, reservation=reservation)
        raise
    seconds = time.perf_counter() - started
    await asyncio.to_thread(_keep, database, analysis_id, owner, chosen, diagnosis, seconds)
    if diagnosis.fallback_reason is not None:  # the model failed; its offline stand-in is neither charged nor cached
        await asyncio.to_thread(quota.release, database, reservation=reservation)
        return DiagnosisResult(diagnosis, chosen, False, seconds)
    await asyncio.to_thread(quota.commit, database, reservation=reservation)
    await asyncio.to_thread(remember_answer, database, key=key, diagnosis=diagnosis)
    return DiagnosisResult(diagnosis, chosen, False, seconds)


def pick_group(analysis: Analysis, group_id: int | None) -> Group | None:
    """The chosen group, or the top error group when none (or an unknown one) is chosen."""
    if group_id is not None:
        for group in analysis.groups:
            if group.id == group_id:
                return group
    return default_group(analysis)


def _keep(
    database: Database, analysis_id: str, owner: Caller, group_id: int | None, diagnosis: Diagnosis, seconds: float,
) -> None:
    record_diagnosis(database, analysis_id=analysis_id, owner=owner, group_id=group_id, diagnosis=diagnosis,
                     seconds=seconds)
