"""The offline analyzer where no signature fits: the incident it picks, the class of failure its words name, the
remedy the message gives, and signatures held to their context. Every log here is synthetic."""

import pytest

from parsers import ReadLimits, top_incidents
from services.diagnosis.analyzer import Diagnosis
from services.diagnosis.offline import OfflineAnalyzer
from services.parsing import analyze_text


async def diagnose(log: str) -> Diagnosis:
    return await OfflineAnalyzer().diagnose(analyze_text(log, ReadLimits()))


# (log, the class's title, what the answer must say besides)
CLASSES = [
    ('2026-11-26 10:00:00 ERROR backup: could not open "/srv/backup/today.tar" for writing: Permission denied\n',
     'Permission or ownership problem on /srv/backup/today.tar', ["namei -l '/srv/backup/today.tar'"]),
    ("db-1  | chown: changing ownership of '/var/lib/db': Operation not permitted\n",
     'Permission or ownership problem on /var/lib/db', ['named volume']),
    ("terminate called after throwing an instance of 'std::bad_alloc'\n  what():  std::bad_alloc\n",
     'Out of memory', ['free -h']),
    ('2026-11-26 10:00:00 WARN proxy: file descriptor limit reached, refusing new sockets\n',
     'Open file descriptor limit reached', ['LimitNOFILE']),
    ('2026-11-26 10:00:00 ERROR export: write /data/out.csv: disk quota exceeded\n', 'Disk full',
     ['A write to /data/out.csv failed', 'df -i']),
    ('2026-11-26 10:00:00 ERROR worker: failed to allocate 268435456 bytes in /dev/shm: too small for the batch\n',
     'Shared memory exhausted (/dev/shm)', ['--shm-size']),
    ('[2026-11-26T10:00:00,000][ERROR][o.e.b.Bootstrap] max virtual memory areas vm.max_map_count [65530] is too '
     'low, increase to at least [262144]\n', 'Memory map count limit reached', ['sysctl']),
    ('2026-11-26 10:00:00 ERROR agent: inotify_init failed: Too many open files\n',
     'File watcher limit reached (inotify)', ['max_user_instances']),
    ('2026-11-26 10:00:00 ERROR build: fork: retry: Resource temporarily unavailable\n',
     'Process or thread limit reached', ['ulimit -u']),
    ('2026-11-26 10:00:00 ERROR api: connection limit of 200 reached on the broker\n',
     'Connection limit reached', ['max_connections']),
    ('2026-11-26 10:00:00 ERROR sync: could not connect to queue.internal:9000\n', 'Connection refused',
     ['Nothing accepted the connection at queue.internal:9000', 'nc -vz']),
    ('2026-11-26 10:00:00 ERROR sync: sending to 10.1.2.3: network is unreachable\n',
     'Host unreachable or connection timed out', ['ip route get']),
    ('2026-11-26 10:00:00 ERROR mailer: smtp.internal.example: could not resolve address\n',
     'Host name smtp.internal.example does not resolve', ['getent hosts smtp.internal.example']),
    ('2026-11-26 10:00:00 ERROR feed: handshake with partner feed failed: peer certificate rejected\n',
     'TLS handshake or certificate failure', ['openssl s_client']),
    ('2026-11-26 10:00:00 ERROR startup: missing required environment variable PAYMENT_URL\n',
     'Missing or wrong configuration', ['validate the configuration', 'here PAYMENT_URL', 'Look up PAYMENT_URL']),
    ('2026-11-26 10:00:00 ERROR settings: "SIGNING_KEY" must not be empty\n',
     'Missing or wrong configuration', ['here SIGNING_KEY', '`.env` file']),
    ('2026-11-26 10:00:00 ERROR worker: environment variable QUEUE_URL is not set\n',
     'Missing or wrong configuration', ['here QUEUE_URL']),
    ('2026-11-26 10:00:00 ERROR agent: dial unix /run/engine/engine.sock: connect: permission denied\n',
     'Not allowed to use the socket /run/engine/engine.sock',
     ['ls -l /run/engine/engine.sock', 'usermod -aG GROUP', 'log out and in again', 'or run the client as root']),
    ('/opt/tools/start.sh: /bin/sh^M: bad interpreter: No such file or directory\n',
     "A script's interpreter cannot be found (line endings or a missing shell)",
     ['Windows line endings (CRLF)', 'dos2unix SCRIPT', '`*.sh text eol=lf`']),
    ('error: object file .git/objects/3f/9c0e1d is empty\n', 'Corrupt or damaged data',
     ['.git/objects/3f/9c0e1d', 'empty where it should hold data', 'git fsck --full', 'clone the repository']),
    ('level=error msg="Opening storage failed" err="open DB in data/: Locked by other process"\n',
     'A lock is held by another process', ['stale lock']),
    ('2026-11-26 10:00:00 ERROR backup: pg_dump: server version mismatch (server 16.1, pg_dump 14.9)\n',
     'Version mismatch', ['upgrade or pin']),
    ('2026-11-26 10:00:00 ERROR jobs: could not acquire lock on /var/run/jobs/nightly.lock: Resource temporarily '
     'unavailable\n', 'A lock is held by another process', ['stale lock']),
    ('2026-11-26 10:00:00 ERROR cache: index file /var/cache/app/index.bin has a checksum mismatch\n',
     'Corrupt or damaged data', ['backup']),
    ('2026-11-26 10:00:00 ERROR gateway: could not bind 0.0.0.0:8443, is another gateway still up?\n',
     'Port 8443 already in use', ["ss -ltnp | grep ':8443 '"]),
    ('2026-11-26 10:00:00 ERROR loader: /opt/lib/libvec.so: wrong ELF class: ELFCLASS32\n',
     'A program built for another CPU architecture', ['uname -m']),
    ('2026-11-26 10:00:00 ERROR web: (13)Permission denied: could not bind to address 0.0.0.0:443\n',
     'Not allowed to listen on privileged port 443', ['port above 1024', 'cap_net_bind_service']),
    ('2026-11-26 10:00:00 ERROR deploy: Host key verification failed.\n',
     'SSH host key not known or changed', ['ssh-keyscan', 'known_hosts']),
    ("./agent: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by ./agent)\n",
     'A program needs a newer system library (GLIBC_2.34)', ['link statically', 'oldest system']),
    ("2026-11-26 10:00:00 ERROR migrate: Can't locate revision identified by '4f2a9c'\n",
     'Database schema not at the revision the code expects', ['run the pending migrations']),
    ('2026-11-26 10:00:00 ERROR db: SCRAM authentication requires libpq version 10 or above\n',
     'The client cannot use the authentication method SCRAM the server asks for',
     ['(libpq; 10 or newer is needed)', 'Upgrade the client library']),
    ("ERROR 2059 (HY000): Authentication plugin 'caching_sha2_password' cannot be loaded: "
     '/usr/lib/mysql/plugin/caching_sha2_password.so: cannot open shared object file\n',
     'The client cannot use the authentication method caching_sha2_password the server asks for',
     ['mysql_native_password']),
    ('Your lock file does not contain a compatible set of packages. Please run composer update.\n\n  Problem 1\n'
     '    - acme/core 2.0.0 requires php ^8.2 -> your php version (8.1.2) does not satisfy that requirement.\n',
     'A dependency needs php ^8.2; this one is 8.1.2', ['config.platform', 'Upgrade php to ^8.2']),
    ("ERROR: Package 'toolkit' requires a different Python: 3.8.10 not in '>=3.10'\n",
     'A dependency needs Python >=3.10; this one is 3.8.10', ['python --version']),
    ('verifying example.org/lib@v1.2.0: checksum mismatch\n\tdownloaded: h1:aaaa=\n\tgo.sum:     h1:bbbb=\n\n'
     'SECURITY ERROR\nThis download does NOT match an earlier download recorded in go.sum.\n',
     'A download does not match the checksum recorded for it (go.sum)',
     ['git diff -- go.sum', 'must not simply be trusted']),
    ('PG::DuplicateColumn: ERROR:  column "state" of relation "events" already exists\n',
     'A migration creates "state" of relation "events" that the database already has', ['--fake', 'never renumber']),
    ('Error response from daemon: no matching manifest for linux/arm64/v8 in the manifest list entries\n',
     'The image has no variant for this platform (linux/arm64/v8)', ['docker manifest inspect', 'uname -m']),
    ("      error: command 'x86_64-linux-gnu-gcc' failed: No such file or directory\n",
     'A build tool is not installed (x86_64-linux-gnu-gcc)', ['build-essential', 'prebuilt binary']),
    ('error: linker `cc` not found\n', 'A build tool is not installed (cc)', ['build-base']),
    ('critical: in [default] retention: the value "Invalid duration: 7" is unacceptable.\n',
     'A setting has a value without a unit or with an unknown one (7)', ['The setting retention holds']),
    ('2026-11-26 10:00:00 ERROR deploy: yaml.parser.ParserError: while parsing a block mapping\n'
     '  in "/srv/stack/services.yaml", line 12, column 3\n',
     'A file cannot be parsed: /srv/stack/services.yaml',
     ['at line 12, column 3', "head -5 '/srv/stack/services.yaml'", '<!DOCTYPE html>', 'download the raw file again',
      'indentation']),
    ('2026-11-26 10:00:00 ERROR panel: loading /etc/panel/layout.json: Unexpected token < in JSON at position 0\n',
     'A file cannot be parsed: /etc/panel/layout.json', ['jq . FILE']),
    ('2026-11-26 10:00:00 ERROR sync: mirror@files.example.org: Permission denied (publickey,password).\n',
     'The SSH server accepted none of the keys offered',
     ['ssh-keygen -t ed25519', 'clone over HTTPS', 'rather than with `sudo`']),
]


@pytest.mark.parametrize(('log', 'title', 'says'), CLASSES, ids=[title for _, title, _ in CLASSES])
async def test_a_class_of_failure_is_named_with_its_checks(log: str, title: str, says: list[str]) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id is None
    assert diagnosis.markdown.startswith(f'## Summary\n**{title}')
    assert '(class of failure: ' in diagnosis.markdown.split('\n')[1]
    assert 'Confidence: **medium**' in diagnosis.markdown
    for words in says:
        assert words in diagnosis.markdown


async def test_a_lock_names_its_holder() -> None:
    diagnosis = await diagnose(
        'E: Could not get lock /var/lib/pkgdb/lock. It is held by process 812 (nightly-sync)\n'
        'E: Unable to acquire the package database lock (/var/lib/pkgdb/lock), is another process using it?\n'
    )
    assert '**A lock is held by nightly-sync**' in diagnosis.markdown
    assert 'Wait for nightly-sync to finish, or stop it' in diagnosis.markdown
    assert 'ps -o pid,etime,cmd -p 812' in diagnosis.markdown


async def test_a_consequence_is_traced_to_the_cause_its_neighbour_names() -> None:
    log = ('2026-11-26 10:00:00 ERROR deploy: Host key verification failed.\n'
           '2026-11-26 10:00:00 ERROR deploy: fatal: Could not read from remote repository.\n')
    markdown = (await diagnose(log)).markdown
    assert markdown.startswith('## Summary\n**SSH host key not known or changed**')
    assert 'which may be its cause' in markdown and 'Confidence: **low**' in markdown


async def test_a_lock_names_its_lock_file() -> None:
    markdown = (await diagnose("2026-11-26 10:00:00 ERROR sync: Unable to create '/srv/repo/.state/index.lock': "
                               'File exists.\n')).markdown
    assert 'sudo lsof /srv/repo/.state/index.lock' in markdown
    assert 'remove the stale lock file (/srv/repo/.state/index.lock)' in markdown


async def test_a_lock_kept_as_a_record_is_cleared_by_the_tools_unlock_or_by_deleting_the_record() -> None:
    markdown = (await diagnose('2026-11-26 10:00:00 ERROR plan: Error acquiring the deploy lock: conditional write '
                               'refused\nLock ID: 7f3e2a\n')).markdown
    assert '`force-unlock` with the lock' in markdown and 'deleting that record' in markdown


async def test_a_lock_in_a_container_warns_of_a_second_instance_started_inside_it() -> None:
    log = ('2026-11-26 10:00:00 ERROR store: could not lock /data/store/.lock: another process holds it\n'
           'hint: run inside a container; see docker logs\n')
    assert 'starts a second instance on the same data directory' in (await diagnose(log)).markdown
    bare = '2026-11-26 10:00:00 ERROR store: could not lock /data/store/.lock: another process holds it\n'
    assert 'second instance on the same data directory' not in (await diagnose(bare)).markdown


async def test_a_refused_connection_inside_a_container_says_localhost_is_the_container_itself() -> None:
    refused = 'curl: (7) Failed to connect to localhost port 8000: Connection refused\n'
    inside = (await diagnose('$ podman run --rm alpine/curl http://localhost:8000\n' + refused)).markdown
    assert '`localhost` (127.0.0.1) is the container itself' in inside and 'host.docker.internal' in inside
    assert 'host.docker.internal' not in (await diagnose('$ ./check.sh\n' + refused)).markdown


async def test_a_port_class_names_the_port_and_no_timestamp_passes_for_one() -> None:
    markdown = (await diagnose('2026-11-26 10:00:00 ERROR api: failed to bind [::]:8080\n')).markdown
    assert markdown.startswith('## Summary\n**Port 8080 already in use**')
    assert "sudo ss -ltnp | grep ':8080 '" in markdown


@pytest.mark.parametrize('listing', [
    'COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n'
    'lighttpd 4121 root 4u  IPv4  90210  0t0  TCP *:8080 (LISTEN)\n',
    'tcp   LISTEN 0  511  0.0.0.0:8080  0.0.0.0:*  users:(("lighttpd",pid=4121,fd=4))\n',
])
async def test_a_port_in_use_names_the_holder_a_pasted_listener_table_shows(listing: str) -> None:
    markdown = (await diagnose('2026-11-26 10:00:00 FATAL api: listen EADDRINUSE 0.0.0.0:8080\n' + listing)).markdown
    assert markdown.startswith('## Summary\n**Port 8080 already in use by lighttpd**'), markdown
    assert 'because lighttpd already holds it' in markdown


async def test_a_port_in_use_without_a_listener_table_lists_the_usual_holders() -> None:
    markdown = (await diagnose('2026-11-26 10:00:00 FATAL api: listen EADDRINUSE 0.0.0.0:1883\n')).markdown
    assert markdown.startswith('## Summary\n**Port 1883 already in use**'), markdown
    assert 'because another process already holds it' in markdown and 'an MQTT broker on 1883' in markdown


async def test_a_version_mismatch_names_the_versions_the_message_gives() -> None:
    markdown = (await diagnose('2026-11-26 10:00:00 FATAL store: files written by version 7 are not compatible with '
                               'this server, version 9.1\n')).markdown
    assert '**Version mismatch**' in markdown
    assert 'different versions of each other (version 7, version 9.1)' in markdown


async def test_a_message_s_numbered_workarounds_are_quoted() -> None:
    markdown = (await diagnose(
        'TypeError: schema objects cannot be built directly.\n'
        'Your generated code is out of date and must be regenerated with schemac >= 4.2.0.\n'
        'If you cannot regenerate it now, the possible workarounds are:\n'
        ' 1. Downgrade the schema package to 4.1.x or lower.\n'
    )).markdown
    assert '**Version mismatch**' in markdown and 'schemac >= 4.2.0' in markdown
    assert ('> must be regenerated with schemac \\>= 4.2.0.\n> Downgrade the schema package to 4.1.x or lower.'
            in markdown)


async def test_a_remedy_is_quoted_from_a_hint_line() -> None:
    diagnosis = await diagnose(
        '2026-11-26 10:00:00.000 UTC [27] FATAL:  lock file "postmaster.pid" already exists\n'
        '2026-11-26 10:00:00.000 UTC [27] HINT:  Is another postmaster (PID 31) running in data directory '
        '"/srv/pg"?\n'
    )
    assert '**A PID file says the program is already running: postmaster.pid**' in diagnosis.markdown
    assert ('## What the message says to do\n> Is another postmaster (PID 31) running in data directory "/srv/pg"?'
            in diagnosis.markdown)


@pytest.mark.parametrize(('log', 'quoted'), [
    ('2026-11-26 10:00:00 ERROR max file descriptors [4096] for the search process is too low, increase to at least '
     '[65535]\n',
     'max file descriptors \\[4096\\] for the search process is too low, increase to at least \\[65535\\]'),
    ('2026-11-26 10:00:00 ERROR search: the map count [65530] must be increased to at least [262144]\n',
     'search: the map count \\[65530\\] must be increased to at least \\[262144\\]'),
    ('2026-11-26 10:00:00 ERROR store: bad file format reading the journal: make a backup of it, then use '
     'journal-check --fix\n', 'make a backup of it, then use journal-check --fix'),
    ("2026-11-26 10:00:00 ERROR cli: unknown command 'stauts'. Did you mean 'status'?\n", "Did you mean 'status'?"),
    ('The module /srv/app/addon.node\nwas compiled against a different runtime version. Please try re-compiling\n'
     'the module (for instance, with a rebuild).\n',
     'Please try re-compiling the module (for instance, with a rebuild).'),
    # A numbered entry's bracket and colon (`[1]: `) are no part of the remedy.
    ('indexer_1  | [1]: open files [1024] for the indexer is too low, increase to at least [65535]\n',
     'open files \\[1024\\] for the indexer is too low, increase to at least \\[65535\\]'),
])
async def test_the_remedy_the_message_gives_is_quoted(log: str, quoted: str) -> None:
    markdown = (await diagnose(log)).markdown
    assert f'## What the message says to do\n> {quoted}' in markdown


@pytest.mark.parametrize('advice', ['Try: run with --stacktrace option to get the stack trace.',
                                    'Please check the worker logs for details about the failure.'])
async def test_advice_to_get_more_output_is_no_remedy(advice: str) -> None:
    markdown = (await diagnose('2026-11-26 10:00:00 ERROR build failed: compilation error in module core.\n'
                               f'{advice}\n')).markdown
    assert 'What the message says to do' not in markdown


async def test_a_watchers_enospc_is_the_inotify_limit_not_a_full_disk() -> None:
    for line in ("Error: ENOSPC: System limit for number of file watchers reached, watch '/app/src'\n",
                 'Error: watch /app/node_modules/lodash ENOSPC\n'):
        diagnosis = await diagnose(line)
        assert diagnosis.signature_id == 'inotify-watch-limit', line
        assert 'fs.inotify.max_user_watches' in diagnosis.markdown
        assert 'Disk full' not in diagnosis.markdown


async def test_a_full_dev_shm_is_shared_memory_not_a_full_disk() -> None:
    for line in ('2026-11-26 10:00:00 ERROR trainer: write to /dev/shm/batch-17: No space left on device\n',
                 '2026-11-26 10:00:00.000 UTC [70] ERROR:  could not resize shared memory segment "/PostgreSQL.99" '
                 'to 4194304 bytes: No space left on device\n'):
        diagnosis = await diagnose(line)
        assert diagnosis.signature_id == 'shared-memory-full', line
        assert '--shm-size' in diagnosis.markdown
        assert 'Disk full' not in diagnosis.markdown


async def test_an_exec_format_error_blames_no_container_without_container_evidence() -> None:
    diagnosis = await diagnose(
        '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.363779 R02-M1-N0-C:J12-U11 RAS APP FATAL '
        'ciod: Error loading /home/user/run/a.out: invalid or missing program image, Exec format error\n'
    )
    assert diagnosis.signature_id == 'exec-format-error-binary'
    assert 'Confidence: **medium**' in diagnosis.markdown
    assert 'file /home/user/run/a.out' in diagnosis.markdown
    for claim in ('container', 'image was built', 'docker'):
        assert claim not in diagnosis.markdown.lower().split('## fix')[0]


async def test_a_message_without_a_level_is_still_an_incident() -> None:
    diagnosis = await diagnose('starting the worker\nthe state file was compiled against a different schema version\n'
                               'worker stopped\n')
    assert '**Version mismatch**' in diagnosis.markdown
    assert 'No errors' not in diagnosis.markdown


async def test_no_errors_only_when_no_event_is_an_error_or_incident_like() -> None:
    log = '2026-11-26 10:00:00 INFO started\n2026-11-26 10:00:01 WARN cache is cold, warming up\n'
    markdown = (await diagnose(log)).markdown
    assert markdown.startswith('## Summary\nNo errors and no known failure found in 2 lines. The most notable warning, '
                               '` cache is cold, warming up `')


async def test_an_unknown_error_is_stated_with_low_confidence() -> None:
    markdown = (await diagnose('2026-11-26 10:00:00 ERROR billing: invoice 8812 total does not add up\n')).markdown
    assert markdown.startswith('## Summary\n**Unrecognized error**')
    assert 'Confidence: **low**' in markdown


async def test_the_diagnosed_event_is_the_top_incident_of_the_one_ranking() -> None:
    quiet = '2026-11-26 10:00:00 INFO web: request served\n' * 60
    log = ('2026-11-26 10:00:00 ERROR web: request failed, retrying\n' * 40
           + quiet
           + '2026-11-26 10:00:03 ERROR billing: ledger total does not add up\n'
           + quiet)
    analysis = analyze_text(log, ReadLimits())
    top = top_incidents(analysis)[0]
    markdown = (await OfflineAnalyzer().diagnose(analysis)).markdown
    # the rare new error the page shows first, not the frequent one
    assert top.first_line == 101
    assert f'first at line {top.first_line}' in markdown


async def test_a_container_fact_needs_container_evidence() -> None:
    line = ('2026-11-26 10:00:00 ERROR app: could not translate host name "orders-db" to address: '
            'Name or service not known\n')
    plain = (await diagnose(line)).markdown
    composed = (await diagnose('api-1  | ' + line)).markdown
    assert 'service name' not in plain
    assert "make orders-db the other container's service name" in composed


async def test_a_catch_all_pattern_states_less_confidence_than_a_specific_one() -> None:
    specific = (await diagnose("2026-11-26 10:00:00 ERROR writer: OSError: [Errno 28] No space left on device: "
                               "'/srv/out/a.csv'\n")).markdown
    catch_all = (await diagnose('2026-11-26 10:00:00 ERROR writer: ENOSPC while flushing the buffer\n')).markdown
    assert '**Disk full**' in specific and 'Confidence: **high**' in specific
    assert '**Disk full**' in catch_all and 'Confidence: **medium**' in catch_all


async def test_a_syntax_error_in_an_installed_package_is_a_runtime_too_old() -> None:
    markdown = (await diagnose(
        '/srv/tool/node_modules/cli/index.js:12\n'
        '  const port = config?.port ?? 80;\n'
        '                     ^\n'
        "SyntaxError: Unexpected token '?'\n"
        '    at wrapSafe (internal/modules/cjs/loader.js:915:16)\n'
    )).markdown
    assert '**The runtime is older than the syntax the code uses**' in markdown
    assert 'optional chaining' in markdown and 'upgrade the runtime' in markdown
    assert 'npm view PACKAGE engines' in markdown


async def test_a_syntax_error_in_ones_own_code_is_no_runtime_version_problem() -> None:
    markdown = (await diagnose('2026-11-26 10:00:00 ERROR loader: SyntaxError: Unexpected identifier in '
                               '/srv/app/routes.js\n')).markdown
    assert 'older than the syntax' not in markdown


async def test_an_exec_of_a_present_script_that_finds_no_file_names_line_endings() -> None:
    markdown = (await diagnose('standard_init_linux.go:228: exec user process caused: no such file or directory\n'
                               )).markdown
    assert markdown.startswith("## Summary\n**A script's interpreter cannot be found")
    assert 'dos2unix' in markdown and 'Missing or wrong configuration' not in markdown


async def test_a_consequence_yields_to_the_cause_logged_before_it() -> None:
    markdown = (await diagnose(
        "Nov 26 10:00:00 web1 app[712]: ERROR could not open '/etc/app/app.conf': Permission denied\n"
        'Nov 26 10:00:00 web1 systemd[1]: app.service: Main process exited, code=exited, status=1/FAILURE\n'
        'Nov 26 10:00:00 web1 systemd[1]: Failed to start App server.\n'
    )).markdown
    assert markdown.startswith('## Summary\n**Permission or ownership problem on /etc/app/app.conf**')
    assert 'reports a consequence (systemd service app.service failed)' in markdown


async def test_a_consequence_without_a_cause_before_it_is_the_answer() -> None:
    diagnosis = await diagnose(
        'Nov 26 10:00:00 web1 systemd[1]: app.service: Main process exited, code=exited, status=1/FAILURE\n'
        "Nov 26 10:00:01 web1 app[713]: ERROR could not open '/etc/app/app.conf': Permission denied\n"
    )
    assert diagnosis.signature_id == 'systemd-unit-failed'
    assert 'reports a consequence' not in diagnosis.markdown


async def test_a_process_exit_alone_is_named_as_a_consequence_to_read_before() -> None:
    markdown = (await diagnose('2026-11-26 10:00:00 ERROR supervisor: worker exited with code 1\n')).markdown
    assert markdown.startswith('## Summary\n**A process exited with an error**')
    assert 'the consequence of a failure, not its cause' in markdown and 'journalctl -u UNIT' in markdown


async def test_a_restarting_container_yields_to_the_class_its_earlier_output_names() -> None:
    markdown = (await diagnose(
        '2026-11-26T10:00:00Z ERROR api: environment variable DATABASE_URL is not set\n'
        '2026-11-26T10:00:05Z Warning BackOff pod/api-7d9 Back-off restarting failed container api\n'
    )).markdown
    assert markdown.startswith('## Summary\n**Missing or wrong configuration**')
    assert 'here DATABASE_URL' in markdown and 'reports a consequence (Container in CrashLoopBackOff)' in markdown


async def test_a_listing_after_a_full_disk_does_not_make_it_shared_memory() -> None:
    diagnosis = await diagnose(
        '11:47:55 error: could not create a temp dir: No space left on device (os error 28) at path "/tmp/build1"\n'
        'tmpfs            16G     0   16G   0% /dev/shm\n'
    )
    assert diagnosis.signature_id == 'temp-dir-full'  # the temporary directory /tmp, not /dev/shm


async def test_an_expired_client_certificate_is_an_expired_certificate() -> None:
    diagnosis = await diagnose('E0118 17:33:58.888700 bootstrap.go:265] part of the existing bootstrap client '
                               'certificate is expired: 2020-12-06 18:55:55 +0000 UTC\n')
    assert diagnosis.signature_id == 'certificate-expired'
    assert 'For an expired client certificate, renew or rotate it' in diagnosis.markdown


async def test_an_image_build_step_is_container_context() -> None:
    diagnosis = await diagnose('Step 3/5 : RUN make\n ---> Running in 0123456789ab\n'
                               'standard_init_linux.go:190: exec user process caused "exec format error"\n')
    assert diagnosis.signature_id == 'exec-format-error'



# An exec format error in a container does not say whether the image's CPU, the host OS's word size or the file is
# at fault: the answer weighs them instead of naming one.
@pytest.mark.parametrize('log', [
    '$ docker run --rm ghcr.io/example/relay:arm64\n'
    'standard_init_linux.go:228: exec user process caused: exec format error\n',
    '2026-11-26T10:00:00Z pod/worker-7d9f container worker: exec /usr/local/bin/worker: exec format error\n',
    'Error: crun: exec container process `/app/entrypoint.sh`: Exec format error: OCI runtime error\n'
    'podman run failed for image registry.example.com/tools/sync:2.1\n',
])
async def test_an_exec_format_error_in_a_container_has_several_causes(log: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id == 'exec-format-error'
    assert 'Confidence: **medium**' in diagnosis.markdown
    assert 'the host runs a 32-bit operating system' in diagnosis.markdown
    assert 'getconf LONG_BIT' in diagnosis.markdown
    assert 'without its `#!` line' in diagnosis.markdown

QUIET = '2026-11-26 10:00:00 INFO web: request served\n' * 100
EARLY_FAILURE = '2026-11-26 10:00:00 NOTICE ledger: nightly sync attempt ended in failure\n' * 20


async def test_a_failure_ranked_below_a_warning_is_no_reason_to_say_no_errors() -> None:
    log = EARLY_FAILURE + QUIET + '2026-11-26 10:00:01 WARN ledger: totals drift by 3 cents\n'
    assert top_incidents(analyze_text(log, ReadLimits()))[0].level == 'WARN'
    markdown = (await diagnose(log)).markdown
    assert markdown.startswith('## Summary\n**Unrecognized error**: 20 occurrence(s) of ` nightly sync attempt '
                               'ended in failure `')
    assert 'It stands out as worded like a failure: "failure"' in markdown


async def test_an_unrecognized_error_points_at_the_failure_logged_before_it() -> None:
    log = EARLY_FAILURE + QUIET + '2026-11-26 10:00:01 ERROR billing: invoice 8812 total does not add up\n'
    markdown = (await diagnose(log)).markdown
    assert markdown.startswith('## Summary\n**Unrecognized error**: 1 occurrence(s) of ` invoice <*> total')
    assert ('An earlier failure, ` nightly sync attempt ended in failure ` (line 1), comes first in time and may be '
            'its cause' in markdown)


@pytest.mark.parametrize(('denial', 'says'), [
    ('SELinux is preventing /usr/bin/make from read access on the file Makefile.', [':Z', 'restorecon']),
    ('audit: type=1400 apparmor="DENIED" operation="open" profile="engine-default" name="/src/Makefile"',
     ['apparmor=unconfined', 'apparmor_parser -r']),
])
async def test_a_security_module_s_denial_in_the_log_turns_permissions_to_its_policy(denial: str,
                                                                                      says: list[str]) -> None:
    log = f'make: *** /src: Permission denied.  Stop.\n{denial}\n'
    markdown = (await diagnose(log)).markdown
    assert '**Permission or ownership problem on /' in markdown
    for words in says:
        assert words in markdown
    plain = (await diagnose('make: *** /src: Permission denied.  Stop.\n')).markdown
    assert ':Z' not in plain and 'apparmor=unconfined' not in plain
    assert 'ausearch -m avc' in plain  # the check that tells a security module from owner and mode


async def test_a_dependency_locked_to_a_version_is_no_held_lock() -> None:
    markdown = (await diagnose(
        'Your lock file does not contain a compatible set of packages. Please run composer update.\n\n  Problem 1\n'
        '    - acme/core is locked to version 2.0.0 and an update of this package was not requested.\n'
        '    - acme/core 2.0.0 requires ext-intl * -> it is missing from your system.\n')).markdown
    assert markdown.startswith('## Summary\n**') and 'A lock is held' not in markdown


async def test_a_privileged_port_is_one_below_1024() -> None:
    low = await diagnose('Error: listen EACCES: permission denied 0.0.0.0:443\n')
    high = await diagnose('Error: listen EACCES: permission denied 0.0.0.0:8080\n')
    assert low.signature_id == 'privileged-port'
    assert high.signature_id != 'privileged-port'


@pytest.mark.parametrize(('log', 'not_named'), [
    ("2026-11-26 10:00:00 ERROR ui: plugin 'fancy-theme' could not be loaded: missing manifest\n",
     'authentication method'),
    ('2026-11-26 10:00:00 ERROR init: worker@.service: invalid unit name\n', 'without a unit'),
    ('2026-11-26 10:00:00 ERROR report: dateutil.parser._parser.ParserError: String does not contain a date: "soon"\n',
     'cannot be parsed'),
])
async def test_a_class_named_by_a_narrow_message_keeps_to_it(log: str, not_named: str) -> None:
    markdown = (await diagnose(log)).markdown
    assert markdown.startswith('## Summary\n**') and not_named not in markdown.split('\n')[1]


async def test_a_host_that_does_not_resolve_is_no_missing_record_unless_the_message_says_so() -> None:
    vague = await diagnose('2026-11-26 10:00:00 ERROR fetch: curl: (6) Could not resolve host: mirror.example.net\n')
    assert vague.signature_id == 'dns-lookup-failed'
    assert 'Confidence: **medium**' in vague.markdown
    assert 'NXDOMAIN' not in vague.markdown.split('## Fix')[0]
    assert 'A container cannot' not in vague.markdown and 'daemon.json' not in vague.markdown
    told = await diagnose('2026-11-26 10:00:00 ERROR fetch: getaddrinfo ENOTFOUND mirror.example.net\n')
    assert told.signature_id == 'dns-name-not-found'


async def test_the_container_resolver_is_blamed_only_with_container_evidence() -> None:
    line = '2026-11-26 10:00:00 ERROR setup: curl: (6) Could not resolve host: pkgs.example.org\n'
    plain = await diagnose(line)
    composed = await diagnose('Creating shop_web_1 ... done\n' + line)
    assert plain.signature_id == 'dns-lookup-failed'
    assert composed.signature_id == 'container-dns'
    assert '**A container cannot resolve pkgs.example.org**' in composed.markdown
    assert 'Confidence: **medium**' in composed.markdown
    assert '/etc/docker/daemon.json' in composed.markdown and 'daemon.json' not in plain.markdown


@pytest.mark.parametrize('host', ['db', 'orders.default.svc'])
async def test_a_name_the_containers_own_network_gives_is_not_the_runtime_s_resolver(host: str) -> None:
    diagnosis = await diagnose(f'web-1  | 2026-11-26 10:00:00 ERROR curl: (6) Could not resolve host: {host}\n')
    assert diagnosis.signature_id == 'dns-lookup-failed'
    assert 'service name' in diagnosis.markdown


async def test_a_start_limit_is_the_cause_of_the_failed_start_after_it() -> None:
    markdown = (await diagnose(
        'Nov 26 10:00:00 edge-3 systemd[1]: meterd.service: Scheduled restart job, restart counter is at 5.\n'
        'Nov 26 10:00:00 edge-3 systemd[1]: meterd.service: Start request repeated too quickly.\n'
        'Nov 26 10:00:00 edge-3 systemd[1]: Failed to start Meter daemon.\n'
    )).markdown
    assert markdown.startswith('## Summary\n**systemd stopped restarting meterd.service')
    assert 'reports a consequence' in markdown and 'RestartSec=' in markdown


async def test_a_service_s_own_error_comes_before_its_start_limit() -> None:
    diagnosis = await diagnose(
        "Nov 26 10:00:00 edge-3 meterd[71]: PermissionError: [Errno 13] Permission denied: '/dev/ttyMTR0'\n"
        'Nov 26 10:00:00 edge-3 systemd[1]: meterd.service: Start request repeated too quickly.\n'
        'Nov 26 10:00:00 edge-3 systemd[1]: Failed to start Meter daemon.\n'
    )
    assert diagnosis.signature_id == 'permission-denied'
    assert '/dev/ttyMTR0' in diagnosis.markdown.split('\n')[1]


@pytest.mark.parametrize('log', [
    'Another process is holding the package lock; waiting for it to finish...\n'
    '  The other application is: pkgtool\n'
    '    State  : Stopped, pid: 4411\n',
    '2026-11-26 10:00:00 INFO store: waiting for the store lock, which is held by process 4411 (pkgtool)\n',
])
async def test_waiting_for_a_lock_names_the_holder_and_how_to_tell_stuck_from_busy(log: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id == 'lock-wait'
    assert '**Waiting for a lock that pkgtool holds**' in diagnosis.markdown
    assert 'ps -o pid,etime,stat,cmd -p 4411' in diagnosis.markdown and 'it is stuck' in diagnosis.markdown
    assert 'No errors' not in diagnosis.markdown
