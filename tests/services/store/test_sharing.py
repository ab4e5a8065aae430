from __future__ import annotations

import json

from services.identity import Caller
from services.store.database import Database
from services.store.saved_analyses import delete_analysis, get_analysis
from services.store.sharing import redacted_view, revoke_sharing, share_analysis, share_token, shared_analysis
from services.store.tables import AnalysisRecord

from .test_saved_analyses import ALICE, BOB, save


def test_a_share_link_shows_the_analysis_until_revoked(database: Database) -> None:
    analysis_id = save(database, ALICE)
    assert share_token(database, analysis_id=analysis_id, owner=ALICE) is None
    token = share_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert token is not None and len(token) >= 40
    assert share_analysis(database, analysis_id=analysis_id, owner=ALICE) == token
    assert share_token(database, analysis_id=analysis_id, owner=ALICE) == token
    shared = shared_analysis(database, token=token)
    assert shared is not None and shared.id == analysis_id
    assert revoke_sharing(database, analysis_id=analysis_id, owner=ALICE) == 1
    assert shared_analysis(database, token=token) is None
    fresh = share_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert fresh not in (None, token)


def test_only_the_owner_shares_or_revokes(database: Database) -> None:
    analysis_id = save(database, ALICE)
    assert share_analysis(database, analysis_id=analysis_id, owner=BOB) is None
    token = share_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert token is not None
    assert share_token(database, analysis_id=analysis_id, owner=BOB) is None
    assert revoke_sharing(database, analysis_id=analysis_id, owner=BOB) == 0
    assert shared_analysis(database, token=token) is not None


def test_a_deleted_analysis_is_no_longer_shared(database: Database) -> None:
    analysis_id = save(database, ALICE)
    token = share_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert token is not None
    delete_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert shared_analysis(database, token=token) is None
    assert shared_analysis(database, token='not-a-token') is None
    assert share_analysis(database, analysis_id=analysis_id, owner=Caller(guest_id='browser-alice')) is None


def test_a_shared_view_redacts_each_kept_line_and_first_occurrence_read_from_them(database: Database) -> None:
    analysis_id = save(database, ALICE)
    with database.write() as session:  # a value the redaction on saving did not know of, in one kept line
        record = session.get_one(AnalysisRecord, analysis_id)
        record.kept_lines = {**(record.kept_lines or {}), '2': '2026-01-01 10:00:01 ERROR login for ann@example.com'}
    stored = get_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert stored is not None
    view = redacted_view(stored)
    assert 'ann@example.com' not in json.dumps(view)
    error = next(group for group in view['groups'] if group['level'] == 'ERROR')
    assert error['example'] == '2026-01-01 10:00:01 ERROR login for <EMAIL_1>'
    assert '2026-01-01 10:00:01 ERROR login for <EMAIL_1>' in [line for excerpt in error['excerpts']
                                                              for line in excerpt['lines']]
