from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm.exc import DetachedInstanceError

from parsers import Analysis
from services.config import Settings
from services.diagnosis.redaction import redact_analysis
from services.export import export_json, export_json_text, export_markdown
from services.identity import Caller
from services.parsing import analyze_text, read_limits
from services.redacted_upload import redacted_log
from services.store.database import Database
from services.store.saved_analyses import (
    claim_guest_analyses,
    delete_analysis,
    get_analysis,
    get_feedback,
    list_analyses,
    save_analysis,
    set_feedback,
)
from services.store.tables import AnalysisRecord, User

ALICE = Caller(guest_id='browser-alice')
BOB = Caller(guest_id='browser-bob')
LOG = (
    '2026-01-01 10:00:00 INFO service started\n'
    '2026-01-01 10:00:01 ERROR Connection refused to db.internal:5432\n'
    '2026-01-01 10:00:02 ERROR Connection refused to db.internal:5432\n'
    '2026-01-01 10:00:03 WARN retrying in 5s\n'
)


def analyzed(text: str = LOG) -> Analysis:
    return analyze_text(text, read_limits(Settings()))


def save(database: Database, owner: Caller, name: str = 'app.log', text: str = LOG) -> str:
    return save_analysis(database, owner=owner, file_name=name, size_bytes=len(text), analysis=analyzed(text)).id


def add_user(database: Database, email: str) -> int:
    with database.write() as session:
        user = User(email=email)
        session.add(user)
        session.flush()
        return user.id


def test_a_saved_analysis_reads_back_exactly(database: Database) -> None:
    analysis = analyzed()
    record = save_analysis(database, owner=ALICE, file_name='app.log', size_bytes=123, analysis=analysis,
                           parse_seconds=0.25)
    stored = get_analysis(database, analysis_id=record.id, owner=ALICE)
    assert stored is not None
    assert (stored.file_name, stored.size_bytes, stored.parse_seconds) == ('app.log', 123, 0.25)
    assert stored.to_analysis().to_dict() == redact_analysis(analysis).to_dict()  # as stored: redacted
    assert stored.created_at.tzinfo is not None


def test_an_analysis_saved_before_schema_versions_still_opens_and_exports(database: Database) -> None:
    analysis = analyzed()
    analysis_id = save(database, ALICE)
    with database.write() as session:  # the summary as saved today, without a version
        record = session.get_one(AnalysisRecord, analysis_id)
        record.summary = {name: value for name, value in record.summary.items() if name != 'schema_version'}
    stored = get_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert stored is not None and 'schema_version' not in stored.summary
    assert stored.to_analysis() == redact_analysis(analysis)
    assert '| 2 | ERROR | 2 | ` Connection refused to <*> ` |' in export_markdown(stored)


def test_kept_lines_and_the_timeline_are_stored_apart_from_the_summary_the_history_list_loads(
    database: Database,
) -> None:
    analysis_id = save(database, ALICE)
    stored = get_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert stored is not None and stored.kept_lines == {str(number): line for number, line in
                                                        enumerate(LOG.splitlines(), 1)}
    assert stored.timeline is not None and stored.timeline['timeline_step_seconds'] == 1
    assert len(stored.timeline['timeline']) == 4 and stored.timeline['segments']
    assert not {'kept_lines', 'timeline', 'segments', 'timeline_step_seconds'} & set(stored.summary)
    [listed] = list_analyses(database, owner=ALICE)
    assert {'kept_lines', 'timeline'} <= inspect(listed).unloaded


def test_an_analysis_saved_with_its_timeline_in_the_summary_still_opens(database: Database) -> None:
    analysis = analyzed()
    analysis_id = save(database, ALICE)
    with database.write() as session:  # as saved before the timeline had a column of its own
        record = session.get_one(AnalysisRecord, analysis_id)
        record.summary, record.timeline = {**record.summary, **(record.timeline or {})}, None
    stored = get_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert stored is not None and stored.timeline is None
    assert stored.to_analysis() == redact_analysis(analysis)


def test_an_analysis_saved_at_schema_version_2_opens_from_its_columns(database: Database, fixtures_dir: Path) -> None:
    saved = json.loads((fixtures_dir / 'analysis_v2.json').read_text())
    analysis_id = save(database, ALICE)
    with database.write() as session:  # as version 2 saved it: each group holds its own lines, one summary column
        record = session.get_one(AnalysisRecord, analysis_id)
        record.summary = {name: value for name, value in saved.items() if name != 'groups'}
        record.groups, record.kept_lines, record.timeline = saved['groups'], None, None
    stored = get_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert stored is not None
    assert stored.to_analysis() == Analysis.from_dict(saved)
    assert export_json(stored)['groups'][0]['excerpts'] == saved['groups'][0]['excerpts']


def test_the_kept_upload_is_loaded_only_when_asked_for(database: Database) -> None:
    analysis_id = save_analysis(database, owner=ALICE, file_name='app.log', size_bytes=len(LOG), analysis=analyzed(),
                                raw_log=LOG).id
    shown = get_analysis(database, analysis_id=analysis_id, owner=ALICE)
    assert shown is not None and 'raw_log' in inspect(shown).unloaded
    with pytest.raises(DetachedInstanceError):  # not fetched behind the caller's back either
        _ = shown.raw_log
    [listed] = list_analyses(database, owner=ALICE)
    assert 'raw_log' in inspect(listed).unloaded
    exported = get_analysis(database, analysis_id=analysis_id, owner=ALICE, with_raw_log=True)
    assert exported is not None and exported.raw_log == LOG
    assert json.loads(export_json_text(exported))['raw_log'] == LOG
    assert get_analysis(database, analysis_id=analysis_id, owner=BOB, with_raw_log=True) is None


def test_ids_are_random_and_unguessable(database: Database) -> None:
    first, second = save(database, ALICE), save(database, ALICE)
    assert first != second
    assert len(first) >= 20


def test_nobody_reads_or_deletes_another_persons_analysis(database: Database) -> None:
    analysis_id = save(database, ALICE)
    assert get_analysis(database, analysis_id=analysis_id, owner=BOB) is None
    assert delete_analysis(database, analysis_id=analysis_id, owner=BOB) is False
    assert set_feedback(database, analysis_id=analysis_id, owner=BOB, helpful=False) is False
    assert get_analysis(database, analysis_id=analysis_id, owner=ALICE) is not None


def test_a_user_does_not_see_guest_analyses_of_the_same_id_space(database: Database) -> None:
    user_id = add_user(database, 'a@example.com')
    guest_id = save(database, ALICE)
    assert get_analysis(database, analysis_id=guest_id, owner=Caller(user_id=user_id)) is None
    assert list_analyses(database, owner=Caller(user_id=user_id)) == []


def test_history_is_newest_first_and_searchable(database: Database) -> None:
    save(database, ALICE, 'first.log', '2026-01-01 10:00:00 ERROR disk full on /var\n')
    save(database, ALICE, 'second.log', '2026-01-01 10:00:00 ERROR OutOfMemoryError: Java heap space\n')
    save(database, BOB, 'bob.log', '2026-01-01 10:00:00 ERROR disk full on /home\n')
    assert [record.file_name for record in list_analyses(database, owner=ALICE)] == ['second.log', 'first.log']
    assert [record.file_name for record in list_analyses(database, owner=ALICE, query='DISK')] == ['first.log']
    assert [record.file_name for record in list_analyses(database, owner=ALICE, query='second')] == ['second.log']
    assert [record.file_name for record in list_analyses(database, owner=ALICE, query='heap java')] == ['second.log']
    assert list_analyses(database, owner=ALICE, query='100%_') == []


CRASH = (
    '2026-01-01 10:00:00 ERROR Unhandled exception while serving /api/cart\n'
    'Traceback (most recent call last):\n'
    '  File "/srv/cart.py", line 12, in add\n'
    '    item = items[key]\n'
    "KeyError: 'sku-42'\n"
)


def test_history_search_finds_exception_names_and_fingerprints_among_ones_own(database: Database) -> None:
    alice = Caller(user_id=add_user(database, 'alice@example.com'))
    bob = Caller(user_id=add_user(database, 'bob@example.com'))
    crashed = save(database, alice, 'checkout.log', CRASH)
    save(database, alice, 'quiet.log')
    save(database, bob, 'bobs-checkout.log', CRASH)
    record = get_analysis(database, analysis_id=crashed, owner=alice)
    assert record is not None
    fingerprint = next(group['fingerprint'] for group in record.groups if group['exception'] == 'KeyError')

    def found(owner: Caller, query: str) -> list[str]:
        return [record.file_name for record in list_analyses(database, owner=owner, query=query)]

    assert found(alice, 'KeyError') == ['checkout.log']  # the header line does not name it; the trace does
    assert found(alice, fingerprint) == ['checkout.log']
    assert found(bob, 'keyerror') == ['bobs-checkout.log']
    assert found(bob, 'quiet') == []


def test_a_second_user_and_a_stale_session_cannot_delete(database: Database) -> None:
    alice = Caller(user_id=add_user(database, 'alice@example.com'))
    bob = Caller(user_id=add_user(database, 'bob@example.com'))
    analysis_id = save(database, ALICE)
    claim_guest_analyses(database, guest_id='browser-alice', user_id=alice.user_id or 0)
    # The browser id Alice had as a guest is stale once she signed in: it no longer owns what it analyzed.
    assert delete_analysis(database, analysis_id=analysis_id, owner=ALICE) is False
    assert delete_analysis(database, analysis_id=analysis_id, owner=bob) is False
    assert get_analysis(database, analysis_id=analysis_id, owner=alice) is not None


def test_delete_removes_it(database: Database) -> None:
    analysis_id = save(database, ALICE)
    assert delete_analysis(database, analysis_id=analysis_id, owner=ALICE) is True
    assert get_analysis(database, analysis_id=analysis_id, owner=ALICE) is None
    assert delete_analysis(database, analysis_id=analysis_id, owner=ALICE) is False


def test_feedback_is_one_vote_per_person(database: Database) -> None:
    analysis_id = save(database, ALICE)
    assert get_feedback(database, analysis_id=analysis_id, owner=ALICE) is None
    assert set_feedback(database, analysis_id=analysis_id, owner=ALICE, helpful=True)
    assert set_feedback(database, analysis_id=analysis_id, owner=ALICE, helpful=False, comment='wrong service')
    assert get_feedback(database, analysis_id=analysis_id, owner=ALICE) is False


def test_guest_analyses_become_the_users_after_sign_in(database: Database) -> None:
    user_id = add_user(database, 'alice@example.com')
    analysis_id = save(database, ALICE)
    assert claim_guest_analyses(database, guest_id='browser-alice', user_id=user_id) == 1
    assert get_analysis(database, analysis_id=analysis_id, owner=Caller(user_id=user_id)) is not None
    assert get_analysis(database, analysis_id=analysis_id, owner=ALICE) is None


def test_deleting_a_user_deletes_their_analyses(database: Database) -> None:
    user_id = add_user(database, 'gone@example.com')
    analysis_id = save(database, Caller(user_id=user_id))
    with database.write() as session:
        session.delete(session.get(User, user_id))
    assert get_analysis(database, analysis_id=analysis_id, owner=Caller(user_id=user_id)) is None


def test_exports_carry_the_summary_groups_and_diagnosis(database: Database, fixtures_dir: Path) -> None:
    text = (fixtures_dir / 'app.log').read_text()
    record = get_analysis(database, analysis_id=save(database, ALICE, 'app.log', text), owner=ALICE)
    assert record is not None
    exported = json.loads(json.dumps(export_json(record)))
    assert exported['summary']['lines'] == 16
    assert exported['groups'][0]['template']
    assert exported['diagnosis'] is None
    markdown = export_markdown(record)
    assert markdown.startswith('# app.log\n')
    assert '16 lines, 8 events' in markdown
    assert '| Count | Level |' in markdown


def test_no_secret_from_the_log_is_stored(database: Database) -> None:
    text = '2026-01-01 10:00:01 ERROR login failed for ann@example.com with password=hunter22\n'
    record = save_analysis(database, owner=Caller(guest_id='g'), file_name='a.log', size_bytes=len(text),
                           analysis=analyzed(text))
    columns = (record.groups, record.summary, record.kept_lines, record.timeline)
    stored = ''.join(json.dumps(column) for column in columns) + record.search_text
    assert 'hunter22' not in stored and 'ann@example.com' not in stored
    assert '<PASSWORD_1>' in json.dumps(record.kept_lines)


def test_a_kept_log_is_decoded_and_redacted(tmp_path: Path) -> None:
    path = tmp_path / 'app.log.gz'
    with gzip.open(path, 'wt', encoding='utf-8') as out:
        out.write('2026-01-01 10:00:00 ERROR login failed for ops-lead@acme-corp.com\n2026-01-01 10:00:01 INFO ok\n')
    kept = redacted_log(path, read_limits(Settings()))
    assert kept == '2026-01-01 10:00:00 ERROR login failed for <EMAIL_1>\n2026-01-01 10:00:01 INFO ok'
