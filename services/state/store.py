"""The one interface per-process state goes through: small JSON records under keys, each with its own lifetime."""

from __future__ import annotations

from typing import Any, Protocol

Record = dict[str, Any]  # JSON: a record crosses processes when the store is Redis


class Store(Protocol):
    """Every record expires after its time to live; a store holds a bounded number of them."""

    def put(self, key: str, record: Record, ttl_seconds: float) -> None: ...

    def get(self, key: str) -> Record | None: ...

    def take(self, key: str) -> Record | None:
        """Get and delete in one step: of callers racing for one record, only one gets it."""
        ...

    def delete(self, key: str) -> None: ...
