"""The offline analyzer's classes of failure, phrased by what a message says rather than by the program that prints
it, and signatures held to the context their cause needs. Each class is tried on the words of several programs.
Every log here is synthetic."""

import pytest

from tests.services.diagnosis.test_offline_causes import summary
from tests.services.diagnosis.test_offline_reasoning import diagnose


@pytest.mark.parametrize('log', [
    '[2026-11-26 10:00:00] index: startup failed\n- StoreException[could not create data folder]\n'
    '\tAccessDeniedException[/var/lib/index/nodes/0]\n',
    '2026-11-26 10:00:00 ERROR cache: AccessDeniedException while creating /srv/cache/blobs (running as uid 1000)\n',
])
async def test_a_refusal_named_like_a_cloud_providers_is_a_files_without_that_provider(log: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id is None, diagnosis.markdown
    assert summary(diagnosis).startswith('**Permission or ownership problem on /')
    assert 'chown' in diagnosis.markdown


@pytest.mark.parametrize(('log', 'signature'), [
    ('2026-11-26 10:00:00 ERROR upload: s3 put failed: AccessDenied: Access Denied (bucket acme-exports)\n',
     'aws-access-denied'),
    ('2026-11-26 10:00:00 ERROR deploy: PERMISSION_DENIED: request to googleapis.com refused\n',
     'gcp-permission-denied'),
])
async def test_a_cloud_providers_refusal_is_its_own_with_that_provider_in_the_log(log: str, signature: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id == signature, diagnosis.markdown


async def test_a_grpc_permission_denied_is_no_cloud_providers_without_one() -> None:
    diagnosis = await diagnose('2026-11-26 10:00:00 ERROR rpc: call to ledger.Store/Put failed: PERMISSION_DENIED: '
                               'caller lacks the writer role\n')
    assert diagnosis.signature_id is None, diagnosis.markdown


# (log, the start of the title, what the answer must say besides)
CLASSES = [
    # A private key encrypted with a passphrase, in the words of a web server's TLS library and of an application.
    ('2026/11/26 10:00:00 [emerg] 12#12: cannot load certificate key "/etc/ssl/private/shop.key": '
     'PEM_read_bio_PrivateKey() failed (SSL: error:1C800064:Provider routines::bad decrypt)\n',
     'The private key /etc/ssl/private/shop.key is encrypted',
     ['openssl pkey', 'ssl_password_file', 'remove the passphrase']),
    ('2026-11-26T10:00:00Z ERROR api: TLS setup failed: private key /srv/tls/api.pem is encrypted and no passphrase '
     'was given\n', 'The private key /srv/tls/api.pem is encrypted', ['no terminal']),
    # Unmet peer dependencies, as three package managers print them.
    ('npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE could not resolve\nnpm ERR! While resolving: shop-ui@2.0.0\n'
     'npm ERR! Found: react@17.0.2\nnpm ERR! Could not resolve dependency:\n'
     'npm ERR! peer react@"^18.0.0" from react-widgets@5.1.0\n',
     'react-widgets@5.1.0 needs react ^18.0.0 as a peer dependency', ['--legacy-peer-deps', 'react@17.0.2']),
    ('warning " > lint-rules-vue@9.0.0" has incorrect peer dependency "lint-core@^8.0.0".\n'
     'error Command failed with exit code 1.\n',
     'A package needs a peer dependency version the project does not have', ['previous major release']),
    # A module or plugin the configuration uses but the program has not loaded.
    ("[2026-11-26T10:00:00,000][ERROR][pipeline.registry] Couldn't find any filter plugin named 'geoip2'. Are you "
     'sure this is correct?\n', 'The configuration uses the module or plugin geoip2, which is not loaded', ['a2enmod']),
    ('2026-11-26 10:00:00 ERROR app: cannot open the database: the extension "pdo_pgsql" is not loaded\n',
     'The configuration uses the module or plugin pdo_pgsql', ['extension=NAME']),
    ('[2026-11-26T10:00:00,000][ERROR][node] unknown setting [search.vectors.mode] please check that any required '
     'plugins are installed, or check the breaking changes documentation\n',
     'The configuration uses a module or plugin that is not loaded or enabled', ['remove the setting']),
    # A table marked as crashed, as a server logs it and as a client reports it.
    ("2026-11-26T10:00:00.000000Z 12 [ERROR] [MY-013134] [Server] Table './shop/orders' is marked as crashed and "
     'should be repaired\n', 'The table ./shop/orders is marked as crashed', ['mysqlcheck --repair', 'unclean']),
    ("2026-11-26 10:00:00 ERROR report: query failed: Incorrect key file for table './app/users.MYI'; try to "
     'repair it\n', 'The table ./app/users.MYI is marked as crashed', ['REPAIR TABLE']),
    # A lock held by another run of the same tool.
    ('2026-11-26 10:00:00 ERROR build: Timeout waiting to lock the artifact cache (/home/ci/.cache/build). It is '
     'currently in use by another build process.\n', 'A lock is held by another build process', ['still running']),
]


@pytest.mark.parametrize(('log', 'title', 'says'), CLASSES, ids=[title for _, title, _ in CLASSES])
async def test_a_class_of_failure_is_named_by_what_the_message_says(log: str, title: str, says: list[str]) -> None:
    diagnosis = await diagnose(log)
    assert summary(diagnosis).startswith(f'**{title}'), diagnosis.markdown
    for words in says:
        assert words in diagnosis.markdown, words


async def test_an_illegal_instruction_on_an_arm_machine_names_its_architecture_revision() -> None:
    diagnosis = await diagnose('$ ./sensor-agent --once\nIllegal instruction (core dumped)\n$ uname -m\narmv6l\n')
    assert diagnosis.signature_id == 'cpu-instruction-set'
    assert 'This is an ARM machine (armv6l)' in diagnosis.markdown
    assert '-march=armv6' in diagnosis.markdown


async def test_an_illegal_instruction_elsewhere_says_nothing_of_arm() -> None:
    diagnosis = await diagnose('$ ./sensor-agent --once\nIllegal instruction (core dumped)\n$ uname -m\nx86_64\n')
    assert diagnosis.signature_id == 'cpu-instruction-set'
    assert 'ARM machine' not in diagnosis.markdown


@pytest.mark.parametrize(('log', 'migration'), [
    ('  Applying shop.0012_backfill_prices...Traceback (most recent call last):\n'
     '  File "/srv/app/venv/lib/python3.11/site-packages/framework/db/backends/utils.py", line 84, in _execute\n'
     '    return self.cursor.execute(sql, params)\n'
     'framework.db.utils.ProgrammingError: column shop_product.currency does not exist\n',
     'shop.0012_backfill_prices'),
    ('Migrating: 2026_01_10_000000_fill_user_roles ... SQLSTATE[42S22]: Column not found: 1054 Unknown column '
     "'role_id' in 'field list'\n", '2026_01_10_000000_fill_user_roles'),
])
async def test_a_missing_column_while_migrations_run_is_their_order(log: str, migration: str) -> None:
    diagnosis = await diagnose(log)
    assert summary(diagnosis).startswith(f'**The migration {migration} uses a column or table that is not yet '
                                         'created'), diagnosis.markdown
    assert 'git pull' in diagnosis.markdown


async def test_a_missing_column_while_serving_is_a_schema_behind_the_code() -> None:
    diagnosis = await diagnose('2026-11-26 10:00:00 ERROR web: GET /cart failed: no such column: cart.coupon_code\n')
    assert summary(diagnosis).startswith('**Database schema not at the revision the code expects**')


async def test_two_migrations_creating_one_table_are_named_as_a_cause() -> None:
    diagnosis = await diagnose('Migrating: 2026_02_01_000000_create_accounts_table\n'
                               'ERROR: migration failed: SQLSTATE[42S01]: Base table or view already exists: '
                               "1050 Table 'accounts' already exists\n")
    assert summary(diagnosis).startswith("**A migration creates 'accounts' that the database already has**")
    assert 'two migrations create the same object' in diagnosis.markdown
    assert 'remove (or merge) the duplicate one' in diagnosis.markdown


async def test_applied_migrations_whose_files_are_missing_are_state_not_damage() -> None:
    diagnosis = await diagnose('Error: migration check failed: the applied migration files are missing: '
                               '20260110_add_invoices.js\n')
    assert summary(diagnosis).startswith('**Database schema not at the revision the code expects**'), \
        diagnosis.markdown
    assert 'branch' in diagnosis.markdown


@pytest.mark.parametrize('log', [
    "WARNING: Retrying (Retry(total=2, connect=None, read=None)) after connection broken by 'ReadTimeoutError("
    '"index read timed out")\': /simple/requests/\n'
    'ERROR: Could not find a version that satisfies the requirement requests (from versions: none)\n'
    'ERROR: No matching distribution found for requests\n',
])
async def test_no_release_at_all_is_the_index_out_of_reach_not_a_version_conflict(log: str) -> None:
    diagnosis = await diagnose(log)
    assert summary(diagnosis).startswith('**No release of requests was found in the package index**')
    assert 'MTU' not in diagnosis.markdown  # only inside a container build
    in_build = await diagnose(log + "The command '/bin/sh -c pip install requests' returned a non-zero code: 1\n")
    assert 'daemon.json' in in_build.markdown


async def test_a_container_that_exits_cleanly_is_restarted_as_a_failure() -> None:
    diagnosis = await diagnose('  Warning  BackOff  12s (x6 over 1m)  kubelet  Back-off restarting failed container\n')
    assert diagnosis.signature_id == 'k8s-crashloop'
    assert 'keep running' in diagnosis.markdown and 'as a Job' in diagnosis.markdown
