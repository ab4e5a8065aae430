"""Process state: the memory store and the Redis store behave alike, and two instances on one Redis share it."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator

import pytest
import redis
from limits.storage import MemoryStorage, RedisStorage

from services.accounts.interface import UNAVAILABLE, AccountError, Identity, SignIn
from services.accounts.throttle import LoginThrottle
from services.config import Settings
from services.redis_unavailable import RedisUnavailable
from services.state import open_state
from services.state.memory import MemoryStore
from services.state.redis_store import RedisStore
from services.state.sign_ins import SignIns
from services.state.store import Store

ADA = SignIn(Identity('uid-ada', 'ada@example.com', time.time() + 3600, 1, 0), id_token='id', refresh_token='refresh')

MakeStore = Callable[[], Store]  # a new handle on one store: another instance of the app, for Redis



@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    prefix = f'logsentry-test-{secrets.token_hex(4)}:'  # other test runs may share this Redis
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f'{prefix}*'):
        client.delete(key)


@pytest.fixture(params=['memory', 'redis'])
def make_store(request: pytest.FixtureRequest) -> MakeStore:
    if request.param == 'memory':
        store = MemoryStore(max_records=100)
        return lambda: store
    url, prefix = request.getfixturevalue('redis_url'), request.getfixturevalue('redis_prefix')
    return lambda: RedisStore(redis.Redis.from_url(url), prefix=prefix)


def test_a_record_expires_after_its_time_to_live(make_store: MakeStore) -> None:
    store = make_store()
    store.put('short', {'n': 1}, 0.3)
    store.put('long', {'n': 2}, 60)
    assert store.get('short') == {'n': 1}
    time.sleep(0.5)
    assert store.get('short') is None
    assert store.get('long') == {'n': 2}


def test_take_hands_a_record_out_once(make_store: MakeStore) -> None:
    one, other = make_store(), make_store()
    one.put('token', {'browser_id': 'b1'}, 60)
    assert other.take('token') == {'browser_id': 'b1'}
    assert one.take('token') is None
    assert one.get('token') is None


def test_delete_and_a_changed_copy_leave_nothing_behind(make_store: MakeStore) -> None:
    store = make_store()
    store.put('key', {'items': [1]}, 60)
    store.get('key')['items'].append(2)  # type: ignore[index]
    assert store.get('key') == {'items': [1]}
    store.delete('key')
    assert store.get('key') is None


def test_the_memory_store_is_bounded_dropping_expired_records_then_the_oldest() -> None:
    store = MemoryStore(max_records=100)
    for number in range(50):
        store.put(f'expiring{number}', {}, 0.1)
    for number in range(50):
        store.put(f'kept{number}', {}, 60)
    time.sleep(0.2)
    store.put('new', {}, 60)  # full: the expired records go, the live ones stay
    assert all(store.get(f'kept{number}') == {} for number in range(50))
    for number in range(50, 99):
        store.put(f'kept{number}', {}, 60)
    store.put('newest', {}, 60)  # 100 live records: the oldest one goes
    assert store.get('kept0') is None
    assert store.get('kept1') == {} and store.get('newest') == {} and store.get('new') == {}


def test_a_handoff_is_claimed_once_and_only_by_the_browser_that_asked(make_store: MakeStore) -> None:
    page, route = SignIns(make_store()), SignIns(make_store())  # the route may run on another instance
    token = page.hand_off('browser-1', ADA, '/history')
    assert route.claim(token, 'browser-2') is None  # someone else's browser: and the handoff is spent
    assert route.claim(token, 'browser-1') is None
    token = page.hand_off('browser-1', ADA, '/history')
    handoff = route.claim(token, 'browser-1')
    assert handoff is not None and handoff.sign_in == ADA and handoff.redirect_to == '/history'
    assert route.claim(token, 'browser-1') is None
    logout = route.claim(page.hand_off('browser-1', None, '/'), 'browser-1')
    assert logout is not None and logout.sign_in is None


def test_a_sign_in_moves_with_the_new_browser_id_and_its_storage_follows_once(make_store: MakeStore) -> None:
    one, other = SignIns(make_store()), SignIns(make_store())
    one.keep('old', ADA)
    one.move('old', 'new', ADA, {'dark_mode': True})
    assert other.get('old') is None
    held = other.get('new')
    assert held is not None and held.sign_in == ADA and time.time() - held.checked_at < 5
    assert other.take_pending('new') == {'dark_mode': True}
    assert one.take_pending('new') is None
    other.forget('new')
    assert one.get('new') is None


def test_a_sign_in_is_kept_only_until_it_expires(make_store: MakeStore) -> None:
    sign_ins = SignIns(make_store())
    expiring = SignIn(Identity('uid-bo', 'bo@example.com', time.time() + 1.2, 2, 0))
    sign_ins.keep('browser', expiring)
    assert sign_ins.get('browser') is not None
    time.sleep(1.5)
    assert sign_ins.get('browser') is None


def test_without_redis_the_state_stays_in_memory() -> None:
    state = open_state(Settings())
    assert isinstance(state.counters, MemoryStorage)
    token = state.sign_ins.hand_off('browser', ADA, '/')
    assert open_state(Settings()).sign_ins.claim(token, 'browser') is None  # another instance knows nothing of it
    assert state.sign_ins.claim(token, 'browser') is not None


def test_with_redis_two_instances_share_sign_ins_handoffs_and_counters(redis_url: str, redis_prefix: str) -> None:
    settings = Settings(redis_url=redis_url, redis_key_prefix=redis_prefix)
    one, other = open_state(settings), open_state(settings)
    assert isinstance(one.counters, RedisStorage)
    token = one.sign_ins.hand_off('browser', ADA, '/')
    handoff = other.sign_ins.claim(token, 'browser')
    assert handoff is not None and handoff.sign_in == ADA
    one.sign_ins.keep('browser', ADA)
    held = other.sign_ins.get('browser')
    assert held is not None and held.sign_in == ADA
    one.counters.incr('counter', 60)
    assert other.counters.get('counter') == 1
    keys = redis.Redis.from_url(redis_url).keys(f'{redis_prefix}*')
    assert keys and not any(b'refresh' in key or b'ada@' in key for key in keys)  # tokens only in values


def test_an_unreachable_redis_is_named_and_stops_logins(unreachable_redis_url: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('REDIS_URL', unreachable_redis_url)
    settings = Settings()
    state = open_state(settings)
    for call in (lambda: state.sign_ins.get('browser'), lambda: state.sign_ins.keep('browser', ADA)):
        with pytest.raises(RedisUnavailable, match=r'^The session store is unreachable right now') as raised:
            call()
        assert 'Connection refused' in raised.value.reason
    throttle = LoginThrottle.from_settings(settings, state.counters)
    for call in (lambda: throttle.check('ada@example.com', '198.51.100.7'),
                 lambda: throttle.failed('ada@example.com', '198.51.100.7')):
        with pytest.raises(AccountError) as refused:
            call()
        assert str(refused.value) == UNAVAILABLE
