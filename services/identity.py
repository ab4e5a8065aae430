"""Who is asking: a registered user or a guest, as the pages, the API and the services know them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Owner:
    """Who is asking: a registered user, or a guest known by the browser id in their signed cookie."""

    user_id: int | None = None
    guest_id: str | None = None

    def __post_init__(self) -> None:
        if self.user_id is None and not self.guest_id:
            raise ValueError('an owner is a user id or a guest id')

    @property
    def key(self) -> str:
        return f'user:{self.user_id}' if self.user_id is not None else f'guest:{self.guest_id}'
