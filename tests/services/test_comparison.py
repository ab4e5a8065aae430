from __future__ import annotations

from parsers.compare import Change
from services.comparison import compare_saved, compare_with_log
from services.config import Settings
from services.identity import Caller
from services.parsing import analyze_text, read_limits
from services.store.database import Database
from services.store.saved_analyses import get_analysis, save_analysis
from tests.services.store.test_saved_analyses import add_user

GOOD = ''.join(f'2026-01-01 10:{minute:02d}:00 INFO GET /health 200\n' for minute in range(30))
BAD = GOOD + '2026-01-01 10:31:00 ERROR ledger write failed: disk quota exceeded\n'


def save(database: Database, owner: Caller, text: str) -> str:
    analysis = analyze_text(text, read_limits(Settings()))
    return save_analysis(database, owner=owner, file_name='app.log', size_bytes=len(text), analysis=analysis).id


def test_two_analyses_of_one_owner_are_compared(database: Database) -> None:
    alice = Caller(user_id=add_user(database, 'alice@example.com'))
    good, bad = save(database, alice, GOOD), save(database, alice, BAD)
    comparison = compare_saved(database, analysis_id=bad, baseline_id=good, owner=alice, similarity=0.7)
    assert comparison is not None
    first = comparison.ordered()[0]
    assert (first.change, first.level) == (Change.NEW, 'ERROR')
    assert first.template == 'ledger write failed: disk quota exceeded'
    assert first.log.first_line == 31
    backwards = compare_saved(database, analysis_id=good, baseline_id=bad, owner=alice, similarity=0.7)
    assert backwards is not None
    assert [row.template for row in backwards.gone] == ['ledger write failed: disk quota exceeded']


def test_neither_side_may_be_someone_elses(database: Database) -> None:
    alice = Caller(user_id=add_user(database, 'alice@example.com'))
    bob = Caller(user_id=add_user(database, 'bob@example.com'))
    guest = Caller(guest_id='browser-1')
    alices, bobs, guests = save(database, alice, BAD), save(database, bob, GOOD), save(database, guest, GOOD)
    for mine, theirs, owner in ((alices, bobs, alice), (bobs, alices, bob), (alices, guests, alice),
                                (guests, alices, guest), (alices, 'no-such-id', alice)):
        assert compare_saved(database, analysis_id=mine, baseline_id=theirs, owner=owner, similarity=0.7) is None
        assert compare_saved(database, analysis_id=theirs, baseline_id=mine, owner=owner, similarity=0.7) is None
    assert compare_saved(database, analysis_id=alices, baseline_id=alices, owner=alice, similarity=0.7) is not None


def test_a_log_read_just_now_is_redacted_before_it_is_shown(database: Database) -> None:
    owner = Caller(guest_id='browser-1')
    record = get_analysis(database, analysis_id=save(database, owner, GOOD), owner=owner)
    assert record is not None
    secret = GOOD + '2026-01-01 10:31:00 ERROR login refused for ops@acme-corp.com password=Tr0ub4dor-3\n'
    comparison = compare_with_log(record, analyze_text(secret, read_limits(Settings())), similarity=0.7)
    [gone] = comparison.gone
    assert 'Tr0ub4dor-3' not in gone.template + gone.example
    assert 'ops@acme-corp.com' not in gone.template + gone.example
    assert gone.example.startswith('2026-01-01 10:31:00 ERROR login refused for <EMAIL_1>')
