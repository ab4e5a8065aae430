"""Values become one wildcard each, as Drain masks them, and the words around them stay readable."""

import pytest

from parsers.masking import TokenMasker, mask
from parsers.templates import MAX_PER_BUCKET, TemplateMiner


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
        ('=ALARM REPORT==== 3-Mar-2024::10:00:01 === a==b', '=ALARM REPORT==== <*> === a==<*>'),
        ('Loading clip: Mods/Sounds/doorOpen', 'Loading clip: <*>'),
        ('compiled src/widgets/button and assets/icons/dark/', 'compiled <*> and <*>'),
        ('no I/O on TCP/IP without read/write access', 'no I/O on TCP/IP without read/write access'),
        ('rate 1m/5m 12.5 n/a, peer N/A', 'rate <*> <*> <*>, peer <*>'),
        ('an/a is not a placeholder, nor is n/ab', 'an/a is not a placeholder, nor is n/ab'),
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


@pytest.mark.parametrize(
    ('message', 'tokens'),
    [
        # A word of values and punctuation alone is one value, whatever its shape.
        ('2018/05/18 [::1]:64961 false PARSING_ERROR', ['<*>', 'false', 'PARSING_ERROR']),
        ('Entering Passive Mode (192,0,2,208,180,139).', ['Entering', 'Passive', 'Mode', '<*>']),
        # File names with a common extension vary without holding a digit.
        ('chrome.exe - proxy.example.org:5070 open through proxy HTTPS', ['<*>', 'open', 'through', 'proxy', 'HTTPS']),
        ('cp packetbeat.yml /build/packetbeat-win.yml', ['cp', '<*>']),
        ('cp conf/app.template.json /build/app.json', ['cp', '<*>']),
        # A MAC address is one value, as a word holding a digit.
        ('link de:ad:be:ef:00:01 up', ['link', '<*>', 'up']),
        # A quoted value is one wildcard, but a request keeps its verb.
        ('10.0.0.1 "GET /v2/servers/detail HTTP/1.1" status: 200', ['<*>', '"GET', '<*>"', 'status:', '<*>']),
        ('database "users" does not exist', ['database', '<*>', 'does', 'not', 'exist']),
        # Only a request's method is kept: another capital first word is part of the value.
        ('FTP command: "USER anonymous" then "PASV"', ['FTP', 'command:', '<*>', 'then', '<*>']),
        ("client 'PROPFIND /dav/ HTTP/1.1' done", ['client', "'PROPFIND", "<*>'", 'done']),
        # Values side by side, a dash between them too, are one value once a word has been read; a message of
        # values alone keeps its length.
        ('WeChat.exe *64 - proxy.example.org:5070 close', ['<*>', 'close']),
        ('onExtend:1514038530000 14 0 4', ['<*>', '<*>', '<*>', '<*>']),
        # A set of flags joined by commas, and a media type, are values without a digit.
        ('reply ok flags=none rd,ra,cd sent', ['reply', 'ok', 'flags=<*>', '<*>', 'sent']),
        ('served text/html to alice, then image/svg+xml', ['served', '<*>', 'to', 'alice,', 'then', '<*>']),
        # A mapping with quoted keys is one value whatever its keys; braces around other words are words.
        ('sent ping, payload: {"uptime": 5, "tags": {"a": "b c"}} now', ['sent', 'ping,', 'payload:', '<*>', 'now']),
        ('touch Event { action=UP }', ['touch', 'Event', '{', 'action=<*>', '}']),
        # The word before a version in parentheses names what has it; before another value it is a word.
        ('upgraded libfoo (1.2.0-3)', ['upgraded', '<*>', '(<*>)']),
        ('retry setting (2)', ['retry', 'setting', '(<*>)']),
        # A host name under a common domain is a value without a digit; a namespace in capitals is not a host.
        ('lease renewed for printer.office.example.com,ok via System.IO',
         ['lease', 'renewed', 'for', '<*>,ok', 'via', 'System.IO']),
        # Not a list: a sentence with its space after the comma.
        ('done, retrying later', ['done,', 'retrying', 'later']),
    ],
)
def test_the_words_a_message_is_matched_by(message: str, tokens: list[str]) -> None:
    assert TokenMasker(100).tokens(message)[:2] == (tokens, ' '.join(tokens))


@pytest.mark.parametrize(
    ('message', 'tokens', 'joined'),
    [
        ('10.0.0.7 - - 200 hit NONE/- 512', ['<*>', 'hit', '<*>'], 4),
        ('10.0.0.7 8 200 miss ROUTE/10.0.0.9 text/plain', ['<*>', 'miss', '<*>'], 3),
        # A dash between words is punctuation, and a message of values and dashes alone keeps them.
        ('retrying - attempt 3 of 5', ['retrying', '-', 'attempt', '<*>', 'of', '<*>'], 0),
        ('- 12 - 14', ['-', '<*>', '-', '<*>'], 0),
    ],
)
def test_empty_fields_of_a_record_are_values(message: str, tokens: list[str], joined: int) -> None:
    assert TokenMasker(100).tokens(message) == (tokens, ' '.join(tokens), joined)


def test_a_record_of_many_values_may_differ_in_one_word() -> None:
    miner = TemplateMiner()
    first = miner.add('10.0.0.7:5353 - 4411 "A IN example.org. udp" OK qr,rd 66 0.0012s')
    assert miner.add('10.0.0.8:5354 - 4412 "MX IN example.net. udp" NOTFOUND qr,aa,rd 12 0.2s') is first
    assert first.template == '<*> <*> <*>'
    # Three words, two of them values written as one: not long enough to differ in a word.
    assert miner.add('10.0.0.7 OK') is not miner.add('10.0.0.7 FAILED')


def test_a_value_of_several_words_does_not_split_a_template() -> None:
    miner = TemplateMiner()
    first = miner.add('Listening on 10.0.0.1 10.0.0.2 port 80 for carol')
    assert miner.add('Listening on 10.0.0.3 port 8080 for carol') is first
    assert first.template == 'Listening on <*> port <*> for carol'


def test_a_value_between_pipes_may_hold_spaces() -> None:
    tokens = TokenMasker(100).tokens
    assert tokens('action=EXEC|args=xpcproxy com.example.daily|cn=Software Signing|pid=7')[0] == [
        'action=<*>|args=<*>|cn=<*>|pid=<*>']
    # Not a record of piped fields: the words after a value stay words.
    assert tokens('x | status=ok took 5ms | y')[0] == ['x', '|', 'status=<*>', 'took', '<*>', '|', 'y']


def test_a_long_piped_value_is_masked_in_linear_time() -> None:
    spaces = ' x' * 200_000
    tokens = TokenMasker(100).tokens
    assert tokens(f'|a={spaces}|b=c')[0] == ['|a=<*>|b=<*>']
    assert len(tokens(f'|a={spaces}|b c')[0]) == 200_002


@pytest.mark.parametrize(
    ('messages', 'template'),
    [
        pytest.param(['duration: 37.1 ms  statement: SELECT d.datname as "Name", pg_get_userbyid(d.datdba)',
                      'duration: 9.4 ms  statement: select * from clients;', 'duration: 9.4 ms  statement:'],
                     'duration: <*> ms statement: <*>', id='a statement after its key is one value'),
        pytest.param(['spawned 4 args: /usr/bin/worker -d -q 5m -p /run/worker.pid',
                      'spawned 2 args: /usr/bin/worker -q'],
                     'spawned <*> args: <*>', id='a command line after its key is one value'),
        pytest.param(['FTP command: Client 10.0.0.1, login', '[anonymous] FTP command: Client 10.0.0.2, login',
                      '[Transaction Marker Manager 0]: [ftp] FTP command: Client 10.0.0.3, login'],
                     'FTP command: Client <*>, login', id='a bracketed prefix says where, not what'),
        pytest.param(['FTP command: Client 10.0.0.1, login', 'FTP command: Server 10.0.0.1, login'],
                     'FTP command: <*> <*>, login', id='a word other than a key may differ'),
        pytest.param(['loaded module [aggs-matrix-stats]', 'loaded module [analysis-common]',
                      'loaded module [ingest-user-agent]'], 'loaded module <*>', id='an enclosed name is a value'),
        pytest.param(['option retry_max = 0', 'option show_digests = DISABLED', "option cert_file = 'x.pem'"],
                     'option <*> = <*>', id='the word after a spaced = is a value'),
        pytest.param(['db_cluster.primary: Refreshing state... (ID: db-main)',
                      'net_route.edge_2: Refreshing state... (ID: rt-42)'],
                     '<*> Refreshing state... (ID: <*>)', id='a dotted name opening a message is its subject'),
        pytest.param(['File not found: /srv/www/a.png, referer: http://example.org/', 'File not found: /srv/www/b.png',
                      'File not found: /srv/www/c.png, referrer: "http://example.org/x"'],
                     'File not found: <*>', id='the referring page is not part of the event'),
        pytest.param(['Starting TrustedUpdater initialization.', 'Starting DiskWorker initialization.'],
                     'Starting <*> initialization.', id='a name in camel case is a value'),
        pytest.param(['Settings file  : /srv/app/settings.js', 'User directory : /srv/app',
                      'Flows file     : /srv/app/flows.json'], '<*> : <*>', id='a table of fields is one event'),
        pytest.param(['begin: boot/probe-disk: probing for disks from ProbeDisk',
                      'begin: boot/probe-net: probing for disks from ProbeNet'],
                     'begin: <*>: probing for disks from <*>', id='a path before a colon is not a key'),
        pytest.param(['Starting (kafka.server.ClientQuotaManager)', 'Starting (kafka.coordinator.TransactionManager)'],
                     'Starting <*>', id='a logger in parentheses is a value'),
        pytest.param(['Quick variant of task queue enabled.', 'Lazy variant of task queue enabled.',
                      'Eager variant of task queue enabled.'],
                     '<*> variant of task queue enabled.', id='a long message may differ in its first word'),
        pytest.param(['Disk usage:', 'Memory usage:'], '<*> usage:', id='a heading may differ in its first word'),
        pytest.param(['drop IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TTL=50 DF PROTO=TCP SPT=33642 DPT=22 SYN',
                      'drop IN=eth0 OUT= SRC=10.0.0.9 DST=10.0.0.2 LEN=40 TTL=240 PROTO=TCP SPT=51638 DPT=80 ACK FIN',
                      'drop IN=eth1 OUT= SRC=10.0.0.7 DST=10.0.0.2 LEN=40 TTL=64 PROTO=UDP SPT=5353 DPT=5353'],
                     'drop IN=<*> OUT= SRC=<*> DST=<*> LEN=<*> TTL=<*> PROTO=<*> SPT=<*> DPT=<*>',
                     id='flags among key=value fields come and go'),
        pytest.param(['Login OK: [alice] (from client vpn port 14)', 'Login OK: [bob] (from client vpn port 15)',
                      'Login OK: [carol] (from client vpn port 16)'],
                     'Login OK: <*> (from client vpn port <*>)', id='a word in brackets after a key is its value'),
        pytest.param(['user: [alice] signed in from the web', 'user: [bob] signed in from the web'],
                     'user: <*> signed in from the web', id='a bracketed user after a key'),
        pytest.param(['Adding sink File Sink[audit]', 'Adding sink Console Sink[c]', 'Adding sink Null Sink[drop]'],
                     'Adding sink <*> Sink[<*>]', id='a name in brackets glued to a word'),
        pytest.param(['publish to queue[orders]: 3 messages', 'publish to queue[payments]: 8 messages'],
                     'publish to queue[<*>]: <*> messages', id='a queue named in brackets'),
        pytest.param(['--------', '----------------------', '---'], '---', id='a rule drawn at any length'),
        pytest.param(['setting: --listen-port="8080"', 'setting: --cache-dir=""', 'setting: --verbose="true"'],
                     'setting: <*>', id='an option set on a command line'),
    ],
)
def test_messages_of_one_event(messages: list[str], template: str) -> None:
    miner = TemplateMiner()
    first = miner.add(messages[0])
    assert [miner.add(message) for message in messages[1:]] == [first] * (len(messages) - 1)
    assert first.template == template


@pytest.mark.parametrize(
    ('first', 'second'),
    [
        pytest.param('open failed: disk full', 'open failed: permission denied',
                     id='only a statement key makes the rest one value'),
        pytest.param('[done]', '[failed]', id='a message of brackets alone keeps them'),
        pytest.param('REPORT : 7 steps', 'STATUS : 7 steps', id='a field name of one word may be the event'),
        pytest.param('db.primary: Refreshing state...', 'db.primary: Creating...', id='what follows the subject'),
        pytest.param('[ftp] FTP command: Client 10.0.0.1, <password>',
                     '[ftp] FTP response: Client 10.0.0.1, <password>', id='messages that differ in a key'),
        pytest.param('onReceive action: android.intent.action.SCREEN_ON',
                     'onReceive action: android.intent.action.SCREEN_OFF', id='a bare dotted name may be the event'),
        pytest.param('loaded module [true]', 'loaded module [false]', id='a bracketed word may be the event'),
        pytest.param('disk cache write status 0x40 on sda', 'disk cache write disabled 0x41 on sda',
                     id='a participle says what happened'),
        pytest.param('host 10.0.0.1 => Registering mdns service...', 'host 10.0.0.1 => Unregistering mdns service...',
                     id='participles of one verb and its opposite'),
        pytest.param('* BEGIN * Queueing scan [Caller = backup  Id = 12]',
                     '* END * Queueing scan [Caller = backup  Id = 12]',
                     id='a word that marks a start or an end'),
        pytest.param('<<< [rpc][status] POST https://api.example.org/v1/jobs 200',
                     '<<< [rpc][body] POST https://api.example.org/v1/jobs {"id": 7}', id='a tag in brackets'),
        pytest.param('Trace:', 'Platform:', id='a heading of one word'),
        pytest.param('client 7 <<- [PING] from peer', 'client 7 <<- [PONG] from peer', id='a tag standing alone'),
        pytest.param('Before merge: pending 4 queued 2', 'After merge: pending 4 queued 2',
                     id='a first word that marks a start or an end'),
        pytest.param('loadItems() count = 4, took = 2', 'saveItems() count = 4, took = 2',
                     id='a first word that names the code'),
        pytest.param('user=ana action=LOGIN result=OK SECURE', 'user=ana action=LOGIN result=OK',
                     id='a flag is dropped only among four fields or more'),
        pytest.param('========', '--------', id='rules drawn with different marks'),
        pytest.param('setting: --listen-port', 'setting: --cache-dir', id='an option without its value'),
    ],
)
def test_messages_of_different_events(first: str, second: str) -> None:
    miner = TemplateMiner()
    assert miner.add(first) is not miner.add(second)


def test_keys_do_not_grow_a_bucket_past_its_bound() -> None:
    miner = TemplateMiner()
    for number in range(MAX_PER_BUCKET * 2):
        miner.add(f'set {"".join(chr(97 + int(digit)) for digit in str(number))}: on')
    assert len(miner.clusters) == MAX_PER_BUCKET


def test_a_request_template_keeps_its_verb() -> None:
    miner = TemplateMiner()
    first = miner.add('10.0.0.1 "GET /v2/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.24')
    assert miner.add('10.0.0.3 "GET /v2/flavors HTTP/1.1" status: 404 len: 12 time: 0.1') is first
    assert first.template == '<*> "GET <*>" status: <*> len: <*> time: <*>'


def test_a_message_without_values_seen_again_keeps_its_template() -> None:
    miner = TemplateMiner()
    first = miner.add('job finished')
    assert miner.add('job finished') is first
    assert miner.add('job 12 finished') is not first
    assert miner.add('job finished') is first
