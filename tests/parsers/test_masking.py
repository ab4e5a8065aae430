"""Values become one wildcard each, as Drain masks them, and the words around them stay readable."""

import pytest

from parsers.masking import mask
from parsers.templates import TemplateMiner


@pytest.mark.parametrize(
    ('message', 'masked'),
    [
        ('calvisitor-10-105-160-95 kernel[0]: route = 0x0 port = 11',
         '<*> kernel[<*>]: route = <*> port = <*>'),
        ('[req-38101a0b-2096-447d-96ea-a692162415ae 113d3a99c3da401fbd62cc2caa5b96d2 - - -] done',
         '[<*> <*> - - -] done'),
        ('block blk_-6952295868487656571 of job_1445144423722_0020 from node-17.rack3:50010',
         'block <*> of <*> from <*>'),
        ('acquire lock=233570404, flags=0x1, name=com.example.ui, ws=null, uid=10037',
         'acquire lock=<*>, flags=<*>, name=<*>, ws=<*>, uid=<*>'),
        ('authentication failure; logname= uid=0 tty=ssh ruser= rhost=218.188.2.4',
         'authentication failure; logname= uid=<*> tty=<*> ruser= rhost=<*>'),
        ('opened /usr/sbin/sshd and ./conf/app.yml and C:\\Windows\\x.dll at https://example.org/a?b=1',
         'opened <*> and <*> and <*> at <*>'),
        ('token dGhpcyBpcyBhIHNlY3JldCB2YWx1ZQ1= expired after 12.5s', 'token <*> expired after <*>'),
        ('Callback<0>(0x1f)::listener fired', 'Callback<<*>>(<*>)::listener fired'),
        ('setTotalSteps=1514038530000##7007##548 and 10.0.0.0/24', 'setTotalSteps=<*> and <*>'),
    ],
)
def test_a_value_is_one_wildcard(message: str, masked: str) -> None:
    assert mask(message) == masked
    assert '<*><*>' not in mask(message)


def test_host_names_and_request_ids_do_not_split_a_template() -> None:
    miner = TemplateMiner()
    first = miner.add('host-10-1-2 request 5f3a9c2e77 took 12ms')
    second = miner.add('web-33-9-120 request 0e1d88aa90b1 took 7ms')
    assert first is second
    assert first.template == '<*> request <*> took <*>'


def test_a_long_word_without_digits_is_masked_in_linear_time() -> None:
    word = 'a' * 200_000
    assert mask(f'{word} {word}1') == f'{word} <*>'


def test_one_unmasked_value_in_a_long_message_does_not_split_its_template_at_any_similarity() -> None:
    miner = TemplateMiner(similarity=0.9)
    first = miner.add('Invalid user webmaster from 10.0.0.1 port 22')
    assert miner.add('Invalid user admin from 10.0.0.2 port 22') is first
    assert first.template == 'Invalid user <*> from <*> port <*>'
    assert miner.add('Connection closed') is not miner.add('Connection opened')
