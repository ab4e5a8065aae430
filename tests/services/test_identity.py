import pytest

from services.identity import Caller


def test_a_caller_is_a_user_or_a_guest() -> None:
    with pytest.raises(ValueError, match='a user id or a guest id'):
        Caller(address='203.0.113.7')
    assert Caller(user_id=0).key == 'user:0'  # user ids start wherever the database starts them


def test_a_callers_key_names_the_person_not_the_address() -> None:
    at_home, at_work = Caller(guest_id='browser-1', address='203.0.113.7'), Caller(guest_id='browser-1')
    assert at_home.key == at_work.key == 'guest:browser-1'
    assert Caller(user_id=7, guest_id='browser-1').key == 'user:7'
