"""The JSON API takes a Firebase ID token as its bearer token, and refuses forged, expired and foreign ones."""

from __future__ import annotations

import base64
import json
import time
import urllib.request

import firebase_admin
from firebase_admin import auth
from nicegui.testing import User

from tests.firebase_emulator import API_KEY, Emulator

LOG = '2026-01-01 10:00:00 ERROR write failed: No space left on device\n'


async def test_a_firebase_id_token_opens_the_api(firebase_env: Emulator, user: User) -> None:
    token = sign_up(firebase_env, 'ada@example.com')
    created = await user.http_client.post('/api/v1/analyses', json={'text': LOG}, headers=bearer(token))
    assert created.status_code == 201, created.text
    fetched = await user.http_client.get(f'/api/v1/analyses/{created.json()["id"]}', headers=bearer(token))
    assert fetched.status_code == 200


async def test_tampered_expired_foreign_and_revoked_tokens_are_refused(firebase_env: Emulator, user: User) -> None:
    # The emulator's tokens are unsigned, and in emulator mode firebase-admin checks no signature at all; against
    # production Firebase it also verifies the signature with Google's certificates, which no test here can reach.
    token = sign_up(firebase_env, 'ada@example.com')
    refused = {
        'cut short': token[:60],
        'expired': with_claims(token, exp=int(time.time()) - 60, iat=int(time.time()) - 3660),
        'other project': with_claims(token, aud='demo-other', iss='https://securetoken.google.com/demo-other'),
        'garbage': 'not.a.token',
    }
    for name, bad in refused.items():
        answer = await user.http_client.post('/api/v1/analyses', json={'text': LOG}, headers=bearer(bad))
        assert answer.status_code == 401, name

    time.sleep(1.1)  # revocation counts whole seconds
    admin = firebase_admin.initialize_app(options={'projectId': firebase_env.project_id}, name=f'api-{time.time()}')
    try:
        auth.revoke_refresh_tokens(auth.get_user_by_email('ada@example.com', app=admin).uid, app=admin)
    finally:
        firebase_admin.delete_app(admin)
    answer = await user.http_client.post('/api/v1/analyses', json={'text': LOG}, headers=bearer(token))
    assert answer.status_code == 401


def sign_up(emulator: Emulator, email: str) -> str:
    """An account and its ID token straight from the emulator, as a script outside the browser would get one."""
    url = f'http://{emulator.host}/identitytoolkit.googleapis.com/v1/accounts:signUp?key={API_KEY}'
    body = json.dumps({'email': email, 'password': 'correct horse battery', 'returnSecureToken': True}).encode()
    request = urllib.request.Request(url, data=body, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the local emulator
        return str(json.load(response)['idToken'])


def with_claims(token: str, **claims: object) -> str:
    """The token with some claims changed and its signature kept: what a forger can make of a real token."""
    header, payload, signature = token.split('.')
    data = json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))
    data.update(claims)
    encoded = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b'=').decode()
    return f'{header}.{encoded}.{signature}'


def bearer(token: str) -> dict[str, str]:
    return {'Authorization': f'Bearer {token}'}
