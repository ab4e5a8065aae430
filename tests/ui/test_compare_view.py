from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from sqlalchemy import delete

from services.config import Settings
from services.store.database import open_database
from services.store.tables import User as UserRow
from tests.ui.test_account_pages import WAIT, register
from tests.ui.test_saved_analyses import analyze

COMPARE = 'Compare with…'


def table_rows(user: User) -> list[list[str]]:
    """The comparison table as a person reads it: one list of cell texts per row, header first."""
    rows = []
    for row in sorted((element for element in user.find(ui.element).elements if element.tag == 'tr'),
                      key=lambda element: element.id):
        cells = [cell for cell in row.default_slot.children if cell.tag in ('th', 'td')]
        rows.append([cell.default_slot.children[0].text for cell in cells])
    return rows


def option(user: User) -> str:
    """The one earlier analysis the select offers."""
    [select] = user.find(COMPARE).elements
    [label] = select.options.values()
    return str(label)


async def test_a_new_error_is_listed_first_and_highlighted(user: User, fixtures_dir: Path) -> None:
    await analyze(user, (fixtures_dir / 'good_run.log').read_text())
    bad = await analyze(user, (fixtures_dir / 'bad_run.log').read_text())
    await user.open(bad)
    user.find(COMPARE).click()
    choice = option(user)
    # A paste is named by its first error and when it happened.
    assert choice.startswith('token refresh failed for client mobile-app: upstream timeout · 2026-11-26 08:00:30 · ')
    assert choice.endswith(' · 79 lines')
    user.find(choice).click()
    await user.should_see('1 new, 1 gone, 1 growing, 0 shrinking, 2 unchanged; new errors: 1', retries=20)
    await user.should_see('Counts are compared as rates per hour of log')
    header, first, *others = table_rows(user)
    assert header == ['Change', 'Level', 'Here', 'Before', 'First seen', 'Message']
    assert first == ['New', 'ERROR', '3', '0', 'line 77, 2026-11-26 14:40:10',
                     'ledger write failed: disk quota exceeded on <*>']
    assert [row[:3] for row in others] == [['Growing', 'WARN', '40'], ['Gone', 'INFO', '0']]
    assert others[0][3] == '4 (≈ 4 at this size)'
    rows = sorted((element for element in user.find(ui.element).elements if element.tag == 'tr'),
                  key=lambda element: element.id)
    assert 'bg-red-100' in rows[1].classes and 'bg-red-100' not in rows[2].classes


async def test_only_the_persons_own_analyses_are_offered(user: User, create_user: Callable[[], User]) -> None:
    stranger = create_user()
    await analyze(stranger, '2026-01-01 10:00:00 ERROR the stranger log\n')
    path = await analyze(user, '2026-01-01 10:00:00 ERROR disk full\n')
    await user.open(path)
    await user.should_see('Choose an earlier analysis of a good run of the same system, or upload its log')
    await user.should_not_see(COMPARE)
    await analyze(user, '2026-01-01 10:00:00 INFO all good\n')
    await user.open(path)
    user.find(COMPARE).click()
    assert option(user).endswith(' · 1 lines')
    user.find(option(user)).click()
    await user.should_see('1 new, 1 gone, 0 growing, 0 shrinking, 0 unchanged; new errors: 1', retries=20)


async def test_a_sign_in_that_ended_compares_nothing(user: User, fixtures_dir: Path) -> None:
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    await analyze(user, (fixtures_dir / 'good_run.log').read_text())
    bad = await analyze(user, (fixtures_dir / 'bad_run.log').read_text())
    await user.open(bad)
    user.find(COMPARE).click()
    choice = option(user)
    database = open_database(Settings().database_location)  # the account ends in another tab
    with database.write() as rows:
        rows.execute(delete(UserRow))
    database.dispose()
    user.find(choice).click()
    await user.should_see('Log in to LogSentry', retries=WAIT)
    await user.should_not_see('new errors:')


async def test_a_good_run_uploaded_on_the_page_becomes_the_baseline(user: User, fixtures_dir: Path) -> None:
    bad = await analyze(user, (fixtures_dir / 'bad_run.log').read_text())
    await user.open(bad)
    await user.should_not_see(COMPARE)  # nothing earlier to choose from
    upload = user.find(marker='baseline-upload').elements.pop()
    assert isinstance(upload, ui.upload)
    data = (fixtures_dir / 'good_run.log').read_bytes()
    await upload.handle_uploads([SmallFileUpload('good_run.log', 'text/plain', data)])
    await user.should_see('1 new, 1 gone, 1 growing, 0 shrinking, 2 unchanged; new errors: 1', retries=WAIT)
    await user.should_see('Against good_run.log')
    assert table_rows(user)[1][:2] == ['New', 'ERROR']
    # It is saved like any upload: the next visit offers it.
    await user.open(bad)
    user.find(COMPARE).click()
    assert option(user).startswith('good_run.log · ')


async def test_a_baseline_that_is_not_a_log_says_why(user: User) -> None:
    path = await analyze(user, '2026-01-01 10:00:00 ERROR disk full\n')
    await user.open(path)
    upload = user.find(marker='baseline-upload').elements.pop()
    assert isinstance(upload, ui.upload)
    await upload.handle_uploads([SmallFileUpload('photo.png', 'image/png', b'\x89PNG\r\n\x1a\n' + bytes(4096))])
    await user.should_see('Error: this looks like a PNG image, not a text log', retries=WAIT)
    await user.should_not_see('1 new')
