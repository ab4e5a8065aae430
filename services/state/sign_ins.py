"""Sign-in state the pages keep between requests: the tokens behind each browser's login, and one-time handoffs."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from services.accounts.interface import Identity, SignIn
from services.state.store import Record, Store

HANDOFF_SECONDS = 60  # a handoff is claimed by the redirect that follows it at once


@dataclass(frozen=True, slots=True)
class Handoff:
    """From a page event to the route that renews the browser id: who logs in (None: logging out), and where to."""

    browser_id: str
    sign_in: SignIn | None
    redirect_to: str


@dataclass(frozen=True, slots=True)
class HeldSignIn:
    sign_in: SignIn
    checked_at: float  # wall-clock time of the last check against the account provider, comparable across instances


class SignIns:
    """Tokens per browser id, kept until the sign-in expires, and handoffs, each claimed once by the browser that
    asked for it. With a Redis store, every instance of the app shares them."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def hand_off(self, browser_id: str, sign_in: SignIn | None, redirect_to: str) -> str:
        token = secrets.token_urlsafe(32)
        record = {'browser_id': browser_id, 'redirect_to': redirect_to,
                  'sign_in': None if sign_in is None else _dump(sign_in)}
        self._store.put(f'handoff:{token}', record, HANDOFF_SECONDS)
        return token

    def claim(self, token: str, browser_id: str) -> Handoff | None:
        """The handoff, once, and only for the browser that asked for it (no logging in someone else's browser)."""
        record = self._store.take(f'handoff:{token}')
        if record is None or record['browser_id'] != browser_id:
            return None
        return Handoff(browser_id, _load(record['sign_in']), str(record['redirect_to']))

    def move(self, old_id: str, new_id: str, sign_in: SignIn | None, storage: dict[str, Any]) -> None:
        """The browser's new id takes over its sign-in and, at its next request, the storage of its old id."""
        self.forget(old_id)
        if sign_in is not None:
            self.keep(new_id, sign_in)
        self._store.put(f'pending:{new_id}', storage, HANDOFF_SECONDS)

    def take_pending(self, browser_id: str) -> dict[str, Any] | None:
        return self._store.take(f'pending:{browser_id}')

    def get(self, browser_id: str) -> HeldSignIn | None:
        record = self._store.get(f'sign-in:{browser_id}')
        sign_in = _load(record['sign_in']) if record else None
        return HeldSignIn(sign_in, float(record['checked_at'])) if record and sign_in else None

    def keep(self, browser_id: str, sign_in: SignIn) -> None:
        """Held until the sign-in expires: after that the page has logged out without it."""
        now = time.time()
        self._store.put(f'sign-in:{browser_id}', {'sign_in': _dump(sign_in), 'checked_at': now},
                        max(1.0, sign_in.identity.expires_at - now))

    def forget(self, browser_id: str) -> None:
        self._store.delete(f'sign-in:{browser_id}')


def _dump(sign_in: SignIn) -> Record:
    return {'identity': sign_in.identity.to_storage(), 'id_token': sign_in.id_token,
            'refresh_token': sign_in.refresh_token}


def _load(record: Record | None) -> SignIn | None:
    identity = Identity.from_storage(record['identity']) if record else None
    if record is None or identity is None:
        return None
    return SignIn(identity, id_token=record['id_token'], refresh_token=record['refresh_token'])
