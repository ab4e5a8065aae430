from __future__ import annotations

import httpx
import pytest
from nicegui.testing import User

from services.accounts.api_keys import create_api_key
from services.config import Settings
from services.store.database import Database
from services.store.tables import User as Account
from tests.upload_samples import png_image

LOG = '2026-01-01 10:00:00 ERROR write failed: No space left on device\n'


def new_key(email: str) -> str:
    database = Database(Settings().database_location)
    with database.write() as session:
        account = Account(email=email)
        session.add(account)
        session.flush()
        user_id = account.id
    key = create_api_key(database, user_id=user_id, name='tests').key
    database.dispose()
    return key


def bearer(key: str) -> dict[str, str]:
    return {'Authorization': f'Bearer {key}'}


async def test_calls_without_a_valid_token_are_refused(user: User) -> None:
    client = user.http_client
    missing = await client.post('/api/v1/analyses', json={'text': LOG})
    assert missing.status_code == 401
    assert missing.headers['www-authenticate'] == 'Bearer'
    wrong = await client.post('/api/v1/analyses', json={'text': LOG}, headers=bearer('lsk_not-a-real-key'))
    assert wrong.status_code == 401
    assert (await client.get('/api/v1/analyses/anything', headers=bearer('garbage'))).status_code == 401


async def test_text_and_files_are_analyzed_saved_and_read_back(user: User) -> None:
    key = new_key('dev@example.com')
    client = user.http_client
    created = await client.post('/api/v1/analyses', json={'text': LOG, 'file_name': 'ci.log'}, headers=bearer(key))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body['file_name'] == 'ci.log'
    assert body['summary']['lines'] == 1
    assert body['diagnosis'] is None
    assert body['url'] == f'/analysis/{body["id"]}'
    fetched = await client.get(f'/api/v1/analyses/{body["id"]}', headers=bearer(key))
    assert fetched.status_code == 200
    assert fetched.json()['groups'] == body['groups']
    uploaded = await client.post('/api/v1/analyses', files={'file': ('app.log', LOG.encode(), 'text/plain')},
                                 headers=bearer(key))
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()['file_name'] == 'app.log'


async def test_diagnose_on_request(user: User) -> None:
    key = new_key('dev@example.com')
    answer = await user.http_client.post('/api/v1/analyses?diagnose=true', json={'text': LOG}, headers=bearer(key))
    assert answer.status_code == 201, answer.text
    diagnosis = answer.json()['diagnosis']
    assert diagnosis['model'] == 'offline'
    assert 'Disk full' in diagnosis['markdown']


async def test_another_users_analysis_is_not_found(user: User) -> None:
    owner, stranger = new_key('owner@example.com'), new_key('stranger@example.com')
    created = await user.http_client.post('/api/v1/analyses', json={'text': LOG}, headers=bearer(owner))
    peek = await user.http_client.get(f'/api/v1/analyses/{created.json()["id"]}', headers=bearer(stranger))
    assert peek.status_code == 404


async def test_bad_input_is_a_clear_error(user: User) -> None:
    key = new_key('dev@example.com')
    client = user.http_client
    wrong_shape = await client.post('/api/v1/analyses', json={'log': LOG}, headers=bearer(key))
    assert wrong_shape.status_code == 422
    assert 'Send JSON like' in wrong_shape.json()['detail']
    plain = {**bearer(key), 'content-type': 'text/plain'}
    wrong_type = await client.post('/api/v1/analyses', content=LOG, headers=plain)
    assert wrong_type.status_code == 415
    binary_file = {'file': ('x.bin', bytes(range(256)) * 8)}
    binary = await client.post('/api/v1/analyses', files=binary_file, headers=bearer(key))
    assert binary.status_code == 422
    assert 'binary' in binary.json()['detail']
    for name, data, message in (('shot.png', png_image(), 'this looks like a PNG image, not a text log'),
                                ('app.log', b'', 'the file is empty')):
        refused = await client.post('/api/v1/analyses', files={'file': (name, data)}, headers=bearer(key))
        assert (refused.status_code, refused.json()['detail']) == (422, message)


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('MAX_UPLOAD_MB', '1')
    monkeypatch.setenv('USER_DAILY_CAP', '1')


async def test_uploads_over_the_limit_are_refused(small_limits: None, user: User) -> None:
    key = new_key('dev@example.com')
    big = ('2026-01-01 10:00:00 INFO filler line\n' * 40_000).encode()
    assert len(big) > 1024 * 1024
    as_file = await user.http_client.post('/api/v1/analyses', files={'file': ('big.log', big)}, headers=bearer(key))
    assert as_file.status_code == 413
    assert as_file.json()['detail'] == 'The log is larger than 1 MB.'
    as_text = await user.http_client.post('/api/v1/analyses', json={'text': big.decode()}, headers=bearer(key))
    assert as_text.status_code == 413


async def test_offline_diagnoses_do_not_count_against_the_daily_cap(small_limits: None, user: User) -> None:
    key = new_key('dev@example.com')
    for number in range(5):
        answer = await diagnose_new_error(user, key, number)
        assert answer.status_code == 201, answer.text
        assert answer.json()['diagnosis']['model'] == 'offline'


async def diagnose_new_error(user: User, key: str, number: int) -> httpx.Response:
    """Analyze and diagnose a log whose error is new for every number, so no answer comes from the cache."""
    text = f'2026-01-01 10:00:00 ERROR worker {number} failed: No space left on device\n'
    return await user.http_client.post('/api/v1/analyses?diagnose=true', json={'text': text}, headers=bearer(key))


async def test_the_api_is_documented(user: User) -> None:
    schema = (await user.http_client.get('/openapi.json')).json()
    assert {'/api/v1/analyses', '/api/v1/analyses/{analysis_id}'} <= set(schema['paths'])
    assert (await user.http_client.get('/docs')).status_code == 200


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('ANALYSIS_TIMEOUT_SECONDS', '0.05')


async def test_an_analysis_past_its_time_is_a_clear_error(short_timeout: None, user: User) -> None:
    key = new_key('dev@example.com')
    big = ''.join(f'2026-01-01 10:00:{n % 60:02d} INFO request {n} served\n' for n in range(300_000)).encode()
    answer = await user.http_client.post('/api/v1/analyses', files={'file': ('big.log', big)}, headers=bearer(key))
    assert answer.status_code == 422
    assert answer.json()['detail'] == 'the analysis took longer than 0.05 seconds and was stopped; try a smaller log'
