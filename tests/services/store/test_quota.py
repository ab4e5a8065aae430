from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from services.identity import Caller
from services.store import quota
from services.store.database import Database
from services.store.quota import Limits, QuotaExceeded, client_address

LIMITS = Limits(guest_free=3, guest_daily_per_address=10, user_daily=None)


def guest(browser: str = 'browser-1', address: str = '203.0.113.7') -> Caller:
    return Caller(guest_id=browser, address=address)


def use(database: Database, caller: Caller, limits: Limits = LIMITS) -> None:
    quota.commit(database, reservation=quota.reserve(database, caller=caller, limits=limits))


def test_a_guest_gets_three_free_diagnoses(database: Database) -> None:
    assert quota.remaining(database, caller=guest(), limits=LIMITS) == 3
    for _ in range(3):
        use(database, guest())
    assert quota.remaining(database, caller=guest(), limits=LIMITS) == 0
    with pytest.raises(QuotaExceeded, match='used your 3 free diagnoses') as refused:
        quota.reserve(database, caller=guest(), limits=LIMITS)
    assert refused.value.guest


def test_a_new_browser_from_the_same_address_hits_the_daily_cap(database: Database) -> None:
    limits = Limits(guest_free=3, guest_daily_per_address=4, user_daily=None)
    for _ in range(3):
        use(database, guest('old-browser'), limits)
    use(database, guest('new-browser'), limits)
    assert quota.remaining(database, caller=guest('new-browser'), limits=limits) == 0
    with pytest.raises(QuotaExceeded, match='for your network'):
        quota.reserve(database, caller=guest('new-browser'), limits=limits)
    # Another address is not affected, and the cap starts again the next day.
    use(database, guest('new-browser', '198.51.100.1'), limits)
    tomorrow = date.today() + timedelta(days=1)
    quota.reserve(database, caller=guest('newer-browser'), limits=limits, today=tomorrow)


def test_a_refused_reservation_takes_nothing(database: Database) -> None:
    limits = Limits(guest_free=3, guest_daily_per_address=1, user_daily=None)
    use(database, guest('a'), limits)
    with pytest.raises(QuotaExceeded):
        quota.reserve(database, caller=guest('b'), limits=limits)
    # The browser counter of 'b' was not touched by the refused attempt.
    other_address = guest('b', '198.51.100.9')
    assert quota.remaining(database, caller=other_address, limits=limits) == 1


def test_a_released_reservation_gives_the_use_back_once(database: Database) -> None:
    reservation = quota.reserve(database, caller=guest(), limits=LIMITS)
    assert quota.remaining(database, caller=guest(), limits=LIMITS) == 2
    quota.release(database, reservation=reservation)
    quota.release(database, reservation=reservation)
    assert quota.remaining(database, caller=guest(), limits=LIMITS) == 3


def test_a_committed_reservation_cannot_be_released(database: Database) -> None:
    reservation = quota.reserve(database, caller=guest(), limits=LIMITS)
    quota.commit(database, reservation=reservation)
    quota.release(database, reservation=reservation)
    assert quota.remaining(database, caller=guest(), limits=LIMITS) == 2


def test_reservations_left_by_a_stopped_process_are_given_back(database: Database) -> None:
    quota.reserve(database, caller=guest(), limits=LIMITS)
    assert quota.release_stale(database, older_than=timedelta(hours=1)) == 0
    assert quota.release_stale(database, older_than=timedelta(seconds=-1)) == 1
    assert quota.remaining(database, caller=guest(), limits=LIMITS) == 3


def test_registered_users_are_unlimited_unless_a_daily_cap_is_set(database: Database) -> None:
    user = Caller(user_id=7, address='203.0.113.7')
    assert quota.remaining(database, caller=user, limits=LIMITS) is None
    for _ in range(20):
        use(database, user)
    capped = Limits(guest_free=3, guest_daily_per_address=10, user_daily=2)
    use(database, user, capped)
    use(database, user, capped)
    with pytest.raises(QuotaExceeded, match="today's 2 diagnoses") as refused:
        quota.reserve(database, caller=user, limits=capped)
    assert not refused.value.guest


def test_five_concurrent_requests_on_the_last_free_use_give_one_diagnosis(database: Database) -> None:
    for _ in range(2):
        use(database, guest())
    start = threading.Barrier(5)
    outcomes: list[str] = []

    def attempt() -> None:
        start.wait()
        try:
            quota.reserve(database, caller=guest(), limits=LIMITS)
            outcomes.append('reserved')
        except QuotaExceeded:
            outcomes.append('refused')

    threads = [threading.Thread(target=attempt) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ['refused'] * 4 + ['reserved']
    assert quota.remaining(database, caller=guest(), limits=LIMITS) == 0


def test_a_client_is_counted_under_its_address_and_an_ipv6_client_under_its_64() -> None:
    assert client_address('203.0.113.7') == '203.0.113.7'
    assert client_address(None) == 'unknown'
    assert client_address('2001:db8:1:2:3:4:5:6') == '2001:db8:1:2::/64'
    assert client_address('::ffff:203.0.113.7') == '203.0.113.7'
