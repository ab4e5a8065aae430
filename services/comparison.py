"""Comparing a saved analysis with a good run, the same for the pages and the API: owner checks on both sides."""

from __future__ import annotations

from parsers import Analysis
from parsers.compare import Comparison, compare
from services.diagnosis.redaction import redact_analysis
from services.identity import Caller
from services.store.database import Database
from services.store.saved_analyses import get_analysis
from services.store.tables import AnalysisRecord


def compare_saved(
    database: Database, *, analysis_id: str, baseline_id: str, owner: Caller, similarity: float,
) -> Comparison | None:
    """How one of the owner's analyses differs from another of theirs; None when either is missing or not theirs
    (which, is not told: a stranger's id reads like one that never existed)."""
    record = get_analysis(database, analysis_id=analysis_id, owner=owner)
    baseline = get_analysis(database, analysis_id=baseline_id, owner=owner) if record is not None else None
    if record is None or baseline is None:
        return None
    return compare(record.to_analysis(), baseline.to_analysis(), similarity=similarity)


def compare_with_log(record: AnalysisRecord, baseline: Analysis, *, similarity: float) -> Comparison:
    """A saved analysis against a log read just now and not saved; redacted like everything a page shows."""
    return compare(record.to_analysis(), redact_analysis(baseline), similarity=similarity)
