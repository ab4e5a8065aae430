import json
from collections.abc import Callable

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlalchemy.orm import undefer

from services.config import Settings
from services.store.database import Database
from services.store.tables import AnalysisRecord
from tests.ui.test_account_pages import WAIT, register

SECRET_LOG = (
    '2026-01-01 10:00:00 ERROR login failed for ops-lead@acme-corp.com password=Tr0ub4dor-3\n'
    '2026-01-01 10:00:01 ERROR login failed for ops-lead@acme-corp.com password=Tr0ub4dor-3\n'
)


async def analyze(user: User, text: str) -> str:
    """Analyze pasted text and return the results page's path."""
    await user.open('/')
    user.find('Or paste log text').type(text)
    user.find(marker='analyze').click()
    await user.should_see('Problem to diagnose', retries=WAIT)
    path = user.back_history[-1]
    assert path.startswith('/analysis/')
    return path


async def test_another_browser_cannot_open_or_delete_an_analysis(
    user: User, create_user: Callable[[], User],
) -> None:
    path = await analyze(user, '2026-01-01 10:00:00 ERROR disk full\n')
    stranger = create_user()
    await stranger.open(path)
    await stranger.should_see('This analysis does not exist or is not yours.')
    await stranger.should_not_see('Problem to diagnose')
    await user.open(path)
    await user.should_see('1 lines, 1 events')


async def test_history_lists_newest_first_searches_and_deletes(user: User) -> None:
    first = await analyze(user, '2026-01-01 10:00:00 ERROR disk full on /var\n')
    second = await analyze(user, '2026-01-01 10:00:00 ERROR OutOfMemoryError: Java heap space\n')
    await user.open('/history')
    await user.should_see('2 analyses')
    in_page_order = sorted(user.find(ui.link).elements, key=lambda link: link.id)
    links = [link.props['href'] for link in in_page_order if link.props['href'].startswith('/analysis/')]
    assert links == [second, first]
    user.find('Search file names and errors').type('heap')
    await user.should_see('1 analyses', retries=20)
    user.find('Search file names and errors').clear().type('nothing like this')
    await user.should_see('Nothing matches your search.', retries=20)
    user.find('Search file names and errors').clear()
    await user.should_see('2 analyses', retries=20)
    first_name = 'disk full on /var · 2026-01-01 10:00:00'  # a paste is named by its first error and its time
    user.find(marker=f'delete-{first.rsplit("/", 1)[1]}').click()
    await user.should_see(f'Delete the analysis of {first_name}? This cannot be undone.')
    user.find('Keep it').click()
    await user.should_see('2 analyses')  # nothing is gone without a yes
    user.find(marker=f'delete-{first.rsplit("/", 1)[1]}').click()
    user.find(marker='delete-confirm').click()
    await user.should_see(f'Deleted {first_name}.', retries=20)
    await user.should_see('1 analyses', retries=20)
    await user.open(first)
    await user.should_see('This analysis does not exist or is not yours.')


async def test_pastes_are_named_by_their_first_error_and_found_by_exception(user: User) -> None:
    await analyze(user, '2026-01-01 10:00:00 INFO started\n2026-01-01 10:00:05 ERROR disk full on /var\n')
    await analyze(user, (
        '2026-01-01 11:00:00 ERROR Unhandled exception while serving /api/cart\n'
        'Traceback (most recent call last):\n'
        '  File "/srv/cart.py", line 12, in add\n'
        '    item = items[key]\n'
        "KeyError: 'sku-42'\n"
    ))
    await user.open('/history')
    await user.should_see('disk full on /var · 2026-01-01 10:00:05')
    await user.should_see('KeyError: Unhandled exception while serving … · 2026-01-01 11:00:00')
    user.find('Search file names and errors').type('keyerror')
    await user.should_see('1 analyses', retries=20)
    await user.should_not_see('disk full on /var')


async def test_the_search_is_remembered(user: User) -> None:
    await analyze(user, '2026-01-01 10:00:00 ERROR disk full\n')
    await user.open('/history')
    user.find('Search file names and errors').type('disk')
    await user.should_see('1 analyses', retries=20)
    await user.open('/history')
    assert user.find('Search file names and errors').elements.pop().value == 'disk'


async def test_share_link_shows_a_redacted_view_until_revoked(user: User, create_user: Callable[[], User]) -> None:
    await analyze(user, SECRET_LOG)
    user.find(marker='share').click()
    await user.should_see('Share link', retries=20)
    link = user.find('Share link').elements.pop().value
    token_path = '/share/' + link.rsplit('/share/', 1)[1]
    visitor = create_user()
    await visitor.open(token_path)
    await visitor.should_see('2 lines, 2 events')
    table = visitor.find(ui.table).elements.pop()
    template = table.rows[0]['template']
    assert 'ops-lead@acme-corp.com' not in template and 'Tr0ub4dor-3' not in template
    assert '<EMAIL_1>' in template
    user.find(marker='stop-sharing').click()
    await user.should_see('The share link no longer works.', retries=20)
    await visitor.open(token_path)
    await visitor.should_see('This share link does not exist or was revoked by its owner.')


async def test_exports_download_markdown_and_json(user: User) -> None:
    await analyze(user, '2026-01-01 10:00:00 ERROR write failed: No space left on device\n')
    await user.should_see('Disk full', retries=WAIT)
    user.find(marker='export-md').click()
    markdown = (await user.download.next()).text
    assert markdown.startswith('# write failed: No space left on device · 2026-01-01 10:00:00\n')
    assert '## Diagnosis (offline)' in markdown
    user.find(marker='export-json').click()
    exported = json.loads((await user.download.next()).text)
    assert exported['summary']['lines'] == 1
    assert exported['diagnosis']['model'] == 'offline'
    assert exported['raw_log'] is None  # uploads are not kept unless KEEP_UPLOADS is on


async def test_deleting_from_the_results_page(user: User) -> None:
    path = await analyze(user, '2026-01-01 10:00:00 ERROR disk full\n')
    user.find(marker='delete').click()
    user.find(marker='delete-confirm').click()
    await user.should_see('No analyses yet: analyze a log first.', retries=20)
    await user.open(path)
    await user.should_see('This analysis does not exist or is not yours.')


@pytest.fixture
def keep_uploads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('KEEP_UPLOADS', 'true')


async def test_kept_uploads_are_stored_redacted(keep_uploads: None, user: User) -> None:
    path = await analyze(user, SECRET_LOG)
    database = Database(Settings().database_location)
    with database.read() as session:
        record = session.get(AnalysisRecord, path.rsplit('/', 1)[1], options=[undefer(AnalysisRecord.raw_log)])
    database.dispose()
    assert record is not None and record.raw_log is not None
    assert 'ops-lead@acme-corp.com' not in record.raw_log and 'Tr0ub4dor-3' not in record.raw_log
    assert record.raw_log.startswith('2026-01-01 10:00:00 ERROR login failed for <EMAIL_1> password=<PASSWORD_1>')
    user.find(marker='export-json').click()  # the JSON export carries the kept upload, as stored
    assert json.loads((await user.download.next()).text)['raw_log'] == record.raw_log


async def test_a_members_analyses_follow_the_account(user: User, create_user: Callable[[], User]) -> None:
    await analyze(user, '2026-01-01 10:00:00 ERROR seen while still a guest\n')
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    path = await analyze(user, '2026-01-01 10:00:00 ERROR seen as a member\n')
    await user.should_see('Offline diagnoses are free and unlimited')
    await user.open('/history')
    await user.should_see('2 analyses')  # what the guest analyzed came along on registering
    stranger = create_user()
    await stranger.open(path)
    await stranger.should_see('This analysis does not exist or is not yours.')


async def test_feedback_is_kept(user: User) -> None:
    path = await analyze(user, '2026-01-01 10:00:00 ERROR write failed: No space left on device\n')
    await user.should_see('Disk full', retries=WAIT)
    user.find(marker='up').click()
    await user.should_see('Thanks: marked helpful.', retries=20)
    await user.open(path)
    await user.should_see('Thanks: marked helpful.')
