"""Who is asking, the one type for it in the pages, the API and the services."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Caller:
    """A registered user (their row's id), or a guest known by the browser id in their signed cookie; and the
    client address they come from, which the guests' daily quota is counted by."""

    user_id: int | None = None
    guest_id: str | None = None
    address: str = 'unknown'

    def __post_init__(self) -> None:
        if self.user_id is None and not self.guest_id:
            raise ValueError('a caller is a user id or a guest id')

    @property
    def key(self) -> str:
        """The caller's name where something is kept per person (a vote): the same from any address."""
        return f'user:{self.user_id}' if self.user_id is not None else f'guest:{self.guest_id}'
