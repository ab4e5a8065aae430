"""Who is calling the API: `Authorization: Bearer <token>` resolved to a registered user.

Each way of proving identity is an Authenticator; the composition root lists them (personal API keys always,
Firebase ID tokens when Firebase accounts are configured) and the first one that recognizes a token wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from services.accounts.api_keys import user_for_api_key
from services.store.database import Database


class Authenticator(Protocol):
    def authenticate(self, token: str) -> int | None:
        """The id of the user the token proves, or None when this authenticator does not accept it. May block."""
        ...


class ApiKeyAuthenticator:
    def __init__(self, database: Database) -> None:
        self.database = database

    def authenticate(self, token: str) -> int | None:
        user = user_for_api_key(self.database, key=token)
        return user.id if user else None


class AnyOf:
    """Tries each authenticator in order."""

    def __init__(self, authenticators: Sequence[Authenticator]) -> None:
        self.authenticators = tuple(authenticators)

    def authenticate(self, token: str) -> int | None:
        for authenticator in self.authenticators:
            if (user_id := authenticator.authenticate(token)) is not None:
                return user_id
        return None
