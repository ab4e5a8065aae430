"""Free diagnoses, counted in the database: per guest browser, per client address a day, optionally per user a day.

A diagnosis first reserves its uses (one atomic transaction that either takes every counter it needs or none),
then commits them when the answer arrived or releases them when it failed.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from services.config import Settings
from services.identity import Caller
from services.store.database import Database, insert_or_ignore
from services.store.tables import QuotaCounter, QuotaReservation, utcnow

STALE_RESERVATION = timedelta(minutes=30)  # longer than any diagnosis may take


@dataclass(frozen=True, slots=True)
class Limits:
    guest_free: int
    guest_daily_per_address: int
    user_daily: int | None  # None: registered users are unlimited

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(settings.guest_free_analyses, settings.guest_daily_cap_per_address, settings.user_daily_cap)


@dataclass(frozen=True, slots=True)
class Reservation:
    id: str | None  # None: nothing was counted (an unlimited user)


class QuotaExceeded(Exception):
    """No free diagnosis is left; the message is meant for the person."""

    def __init__(self, message: str, *, guest: bool) -> None:
        super().__init__(message)
        self.guest = guest


def reserve(database: Database, *, caller: Caller, limits: Limits, today: date | None = None) -> Reservation:
    """Take one use from every counter that applies, atomically; raises QuotaExceeded when one is spent."""
    counters = _counters(caller, limits, today or utcnow().date())
    if not counters:
        return Reservation(None)
    with database.write() as session:
        for key, limit, message in counters:
            if not _take(session, key, limit):
                raise QuotaExceeded(message, guest=caller.user_id is None)  # rolls back the counters taken
        reservation = QuotaReservation(counter_keys=[key for key, _, _ in counters])
        session.add(reservation)
    return Reservation(reservation.id)


def commit(database: Database, *, reservation: Reservation) -> None:
    """The diagnosis succeeded: its uses stay counted."""
    if reservation.id is None:
        return
    with database.write() as session:
        session.execute(delete(QuotaReservation).where(QuotaReservation.id == reservation.id))


def release(database: Database, *, reservation: Reservation) -> None:
    """Give the uses back (the diagnosis failed); a reservation is released at most once."""
    if reservation.id is None:
        return
    with database.write() as session:
        _release(session, reservation.id)


def release_stale(database: Database, *, older_than: timedelta = STALE_RESERVATION) -> int:
    """Give back reservations left open by a process that stopped mid-diagnosis; run at start-up."""
    with database.write() as session:
        stale = session.scalars(
            select(QuotaReservation.id).where(QuotaReservation.created_at < utcnow() - older_than)
        ).all()
        for reservation_id in stale:
            _release(session, reservation_id)
        return len(stale)


def remaining(database: Database, *, caller: Caller, limits: Limits, today: date | None = None) -> int | None:
    """Diagnoses left for this caller now; None when unlimited."""
    counters = _counters(caller, limits, today or utcnow().date())
    if not counters:
        return None
    keys = [key for key, _, _ in counters]
    with database.read() as session:
        rows = session.execute(select(QuotaCounter.key, QuotaCounter.used).where(QuotaCounter.key.in_(keys)))
        used = {key: count for key, count in rows}
    return max(0, min(limit - used.get(key, 0) for key, limit, _ in counters))


def client_address(peer: str | None) -> str:
    """The key a client address is counted under: the server's proxy-header handling has already settled the
    address (X-Forwarded-For believed only from TRUSTED_PROXIES), so this takes the peer as it is."""
    return _address_key(peer or 'unknown')


def _address_key(address: str) -> str:
    # One IPv6 host usually holds a whole /64; counting per address would let it rotate freely.
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f'{parsed}/64', strict=False))
    return str(parsed.ipv4_mapped or parsed) if parsed.version == 6 else str(parsed)


def _counters(caller: Caller, limits: Limits, today: date) -> list[tuple[str, int, str]]:
    if caller.user_id is not None:
        if limits.user_daily is None:
            return []
        return [(f'user:{caller.user_id}:{today}', limits.user_daily,
                 f"You have used today's {limits.user_daily} diagnoses; more are available tomorrow.")]
    if not caller.guest_id:
        raise ValueError('a guest needs a browser id')
    return [
        (f'guest:{caller.guest_id}', limits.guest_free,
         f'You have used your {limits.guest_free} free diagnoses. Register for unlimited diagnoses.'),
        (f'address:{caller.address}:{today}', limits.guest_daily_per_address,
         'The free diagnoses for your network are used up for today. Register for unlimited diagnoses.'),
    ]


def _take(session: Session, key: str, limit: int) -> bool:
    insert_or_ignore(session, QuotaCounter, {'key': key, 'used': 0, 'updated_at': utcnow()})
    # The condition is checked under the row's write lock, so concurrent requests cannot both take the last use.
    result = session.execute(
        update(QuotaCounter)
        .where(QuotaCounter.key == key, QuotaCounter.used < limit)
        .values(used=QuotaCounter.used + 1, updated_at=utcnow())
    )
    return bool(getattr(result, 'rowcount', 0))


def _release(session: Session, reservation_id: str) -> None:
    reservation = session.get(QuotaReservation, reservation_id)
    if reservation is None:  # committed or released already
        return
    session.execute(
        update(QuotaCounter)
        .where(QuotaCounter.key.in_(reservation.counter_keys), QuotaCounter.used > 0)
        .values(used=QuotaCounter.used - 1, updated_at=utcnow())
    )
    session.execute(delete(QuotaReservation).where(QuotaReservation.id == reservation_id))
