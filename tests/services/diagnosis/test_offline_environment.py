"""The offline analyzer on failures that come from where a program runs rather than from its code: a CPU without an
instruction set it was built for, a Python older than its type hints, a package registry set in a user's
configuration, a unit whose program is not where it says, a full temporary directory, an outdated CA bundle and
relative paths under another working directory. Each failure is told as two or three different programs print it;
every log here is synthetic. None of these messages proves one cause, so none is answered with high confidence."""

import pytest

from tests.services.diagnosis.test_offline_reasoning import diagnose

# (log, the answer's title, the signature or None for a class of failure, what the answer must say besides)
CASES = [
    # A CPU without the instruction set extension a binary was built for.
    ('$ ./solver --input grid.dat\nzsh: illegal hardware instruction  ./solver --input grid.dat\n',
     'The CPU lacks an instruction the program was built for', 'cpu-instruction-set',
     ['from source', 'older version', '/proc/cpuinfo']),
    ('Nov 26 10:00:00 node7 kernel: traps: worker[4242] trap invalid opcode ip:7f3a10 sp:7ffd20 error:0 in '
     'libvec.so[7f3a00+2000]\n',
     'The CPU lacks an instruction the program was built for', 'cpu-instruction-set', ['instruction set']),
    ('2026-11-26 10:00:00 ERROR loader: the vector kernels were compiled to use AVX2 instructions, but these are '
     'not available on this machine\nIllegal instruction (core dumped)\n',
     'The CPU lacks an instruction the program was built for', 'cpu-instruction-set', ['compiled for AVX2']),
    ('Fatal glibc error: CPU does not support x86-64-v2\n',
     'The CPU lacks an instruction the program was built for', 'cpu-instruction-set', ['compiled for x86-64-v2']),
    # Type hints that a newer Python than the one running them evaluates.
    ('Traceback (most recent call last):\n'
     '  File "/srv/app/.venv/lib/python3.8/site-packages/reportkit/model.py", line 40, in <module>\n'
     '    def totals(rows: list[Row]) -> dict[str, int]:\n'
     "TypeError: 'type' object is not subscriptable\n",
     'Type hints need a newer Python than 3.8', 'python-builtin-generic', ['3.9', 'PEP 585', 'typing.List']),
    ('2026-11-26 10:00:00,000 ERROR [worker] task import failed: TypeError: unsupported operand type(s) for |: '
     "'type' and 'NoneType'\n",
     'Type hints need a newer Python than the one running it', 'python-builtin-generic', ['3.10', 'PEP 604']),
    # A package registry that wants credentials, named in a user's configuration.
    ('npm ERR! code E401\nnpm ERR! Unable to authenticate, need: Bearer authorization_uri="https://npm.corp.example"\n',
     'The package registry refused the request without valid credentials (401)', 'registry-unauthorized',
     ['.npmrc', '--registry', 'log in']),
    ('ERROR: 401 Client Error: Unauthorized for url: https://pkgs.corp.example/simple/requests/\n',
     'The package registry refused the request without valid credentials (401)', 'registry-unauthorized',
     ['pip.conf', 'remove or override']),
    ('error An unexpected error occurred: "https://npm.corp.example/left-pad: Request failed '
     '\\"401 Unauthorized\\"".\n',
     'The package registry refused the request without valid credentials (401)', 'registry-unauthorized',
     ['registry']),
    # A service unit whose program is not at the path it names.
    ('Nov 26 10:00:00 host systemd[1]: backupd.service: Failed at step EXEC spawning /usr/bin/backupd: No such file '
     'or directory\n'
     'Nov 26 10:00:00 host systemd[1]: backupd.service: Main process exited, code=exited, status=203/EXEC\n',
     'systemd could not execute the program of backupd.service (status 203/EXEC)', 'systemd-exec-failed',
     ['/usr/bin/backupd', '/usr/local/bin', 'daemon-reload']),
    ("Nov 26 10:00:00 host systemd[1]: relay.service: Unable to locate executable '/opt/relay/bin/relay': No such "
     'file or directory\n',
     'systemd could not execute the program of relay.service (status 203/EXEC)', 'systemd-exec-failed',
     ['/opt/relay/bin/relay', 'unit file']),
    ('● syncer.service - Sync daemon\n'
     '   Active: failed (Result: exit-code) since Thu 2026-11-26 10:00:00 UTC; 5s ago\n'
     '  Process: 812 ExecStart=/usr/bin/syncer --daemon (code=exited, status=203/EXEC)\n',
     'systemd could not execute the program of syncer.service (status 203/EXEC)', 'systemd-exec-failed',
     ['/usr/bin/syncer', 'installed']),
    # A full temporary directory beside a data disk with room.
    ("2026-11-26 10:00:00 0 [ERROR] mysqld: Disk is full writing '/tmp/#sql_1f_2.MAI' (Errcode: 28 \"No space left "
     'on device")\n',
     'The temporary directory is full (/tmp/#sql_1f_2.MAI)', 'temp-dir-full', ['tmpdir', 'enlarge']),
    ('2026-11-26 10:00:00 UTC [311] ERROR:  could not write to file "base/pgsql_tmp/pgsql_tmp311.7": No space left '
     'on device\n',
     'The temporary directory is full (/pgsql_tmp/pgsql_tmp311.7)', 'temp-dir-full', ['temporary tables']),
    ("OSError: [Errno 28] No space left on device: '/var/tmp/upload-8f3k2/part.bin'\n",
     'The temporary directory is full (/var/tmp/upload-8f3k2/part.bin)', 'temp-dir-full', ['TMPDIR']),
    # A client whose CA bundle is older than the roots servers chain to now.
    ("fatal: unable to access 'https://git.example.org/team/app.git/': SSL certificate problem: certificate has "
     'expired\n',
     'A client rejected the certificate chain as expired', 'tls-client-chain-expired',
     ['ca-certificates', 'DST Root CA X3', 'rebuild the image']),
    ("requests.exceptions.SSLError: HTTPSConnectionPool(host='api.example.org', port=443): Max retries exceeded "
     "(Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
     "certificate has expired (_ssl.c:1131)')))\n",
     'A client rejected the certificate chain as expired', 'tls-client-chain-expired', ['certifi']),
    ('Err:3 https://repo.example.org/apt stable InRelease\n'
     '  Certificate verification failed: The certificate is NOT trusted. The certificate chain uses expired '
     'certificate.  Could not handshake: Error in the certificate verification.\n',
     'A client rejected the certificate chain as expired', 'tls-client-chain-expired', ['libgnutls30']),
    # Relative paths resolved from a working directory the script did not expect.
    ('/opt/jobs/nightly.sh: line 4: ./lib/common.sh: No such file or directory\n',
     'A relative path does not resolve from the working directory (./lib/common.sh)', None,
     ['cron', 'WorkingDirectory=', 'cd "$(dirname "$0")"']),
    ("/home/ops/report.sh: 7: .: Can't open ./env.sh\n",
     'A relative path does not resolve from the working directory (./env.sh)', None, ['cron']),
    ("python3: can't open file 'scripts/rollup.py': [Errno 2] No such file or directory\n",
     'A relative path does not resolve from the working directory (scripts/rollup.py)', None,
     ['home directory', 'absolute paths']),
]


@pytest.mark.parametrize(('log', 'title', 'signature_id', 'says'), CASES)
async def test_a_failure_of_the_surroundings_is_named_with_its_checks_and_fixes(
        log: str, title: str, signature_id: str | None, says: list[str]) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.markdown.split('\n')[1].startswith(f'**{title}')
    assert diagnosis.signature_id == signature_id
    assert 'Confidence: **high**' not in diagnosis.markdown
    for words in says:
        assert words in diagnosis.markdown


@pytest.mark.parametrize('log', [
    # A full data disk is not a full temporary directory, nor is a file whose name starts with the word.
    "2026-11-26 10:00:00 ERROR writer: could not write '/srv/data/tmpl_cache.db': No space left on device\n",
    # A server that cannot load its own expired certificate is not a client's CA bundle.
    '2026-11-26 10:00:00 ERROR tls: x509: certificate has expired or is not yet valid: current time '
    '2026-11-26T10:00:00Z is after 2026-11-01T00:00:00Z\n',
    # A module that is not installed, an absolute path that is missing: no relative path is at fault.
    '/usr/bin/python3: No module named reportkit\n/etc/cron.daily/report: line 3: /opt/report/run: No such file or '
    'directory\n',
    # A subscript on a function is a plain bug, not a Python version.
    "TypeError: 'builtin_function_or_method' object is not subscriptable\n",
])
async def test_look_alike_messages_are_not_taken_for_these_failures(log: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id not in {'temp-dir-full', 'tls-client-chain-expired', 'python-builtin-generic'}
    assert 'A relative path does not resolve' not in diagnosis.markdown
