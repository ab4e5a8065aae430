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
    # A lock file an earlier run left behind, in the words of a database and of a queue's spool.
    ('2026-11-26T10:00:00.000+0000 [initandlisten] exception in initAndListen: 12596 old lock file, terminating\n',
     'A lock file left by an earlier run that did not shut down cleanly', ['remove the stale lock file', '--repair']),
    ('2026-11-26 10:00:00 ERROR spool: found /srv/spool/queue.lock from an unclean shutdown, refusing to start\n',
     'A lock file left by an earlier run that did not shut down cleanly: /srv/spool/queue.lock',
     ['rm /srv/spool/queue.lock']),
    # A program that refuses what others may write: not a lack of access but too much of it.
    ('2026-11-26 10:00:00 rotate[90]: error: skipping "/srv/app/logs/*.log" because parent directory has insecure '
     'permissions\n', 'The program refuses /srv/app/logs/*.log: it or its directory is writable by others',
     ['chmod go-w', '`su USER GROUP`']),
    ("2026-11-26 10:00:00 WARN db: World-writable config file '/etc/db/extra.cnf' is ignored\n",
     'The program refuses /etc/db/extra.cnf', ['chmod go-w']),
    ('2026-11-26 10:00:00.000 UTC [1] FATAL:  data directory "/srv/db/data" has group or world access\n',
     'The program refuses /srv/db/data', ['chmod 700']),
    # A setting that reaches the program as an empty string, as two validators word it.
    ("  FEATURE_FLAGS_MODE: Invalid enum value. Expected 'on' | 'off', received ''\n",
     'The setting FEATURE_FLAGS_MODE reaches the program empty',
     ['uncomment', "docker compose config | grep -n 'NAME'"]),
    ('2026-11-26 10:00:00 ERROR mail_relay: SMTP_PORT must be a number, got ""\n',
     'The setting SMTP_PORT reaches the program empty', ['explicit value']),
    ('2026-11-26 10:00:00 ERROR boot: config invalid: "SESSION_SECRET" is not allowed to be empty\n',
     'The setting SESSION_SECRET reaches the program empty', ['uncomment']),
    ('settings.ValidationError: 1 validation error for Settings\nworker_mode\n'
     "  Input should be 'fast' or 'safe' [type=enum, input_value='', input_type=str]\n",
     'A setting reaches the program empty', ['explicit value']),
    # Windows refusing a port (WSAEACCES): a reserved range or a service holding it, whatever the program.
    ('2026-11-26 10:00:00 ERROR proxy: listen tcp :7890: bind: An attempt was made to access a socket in a way '
     'forbidden by its access permissions.\n',
     'Windows refused port 7890: it is reserved or held exclusively by another service',
     ['excludedportrange', 'PID 4']),
    ('2026/11/26 10:00:00 [emerg] 4#4: bind() to 0.0.0.0:443 failed (10013: An attempt was made to access a socket '
     'in a way forbidden by its access permissions)\n', 'Windows refused port 443', ['net stop W3SVC']),
    # An address the machine does not have (yet) at start: not a wrong setting in general.
    ('Nov 26 10:00:00 mx1 relayd[812]: listen tcp 203.0.113.7:587: bind: cannot assign requested address\n',
     'The address 203.0.113.7 is not on this machine (yet)', ['network-online.target']),
    ('2026-11-26 10:00:00 FATAL api: could not bind [2001:db8::5]:8443: EADDRNOTAVAIL\n',
     'The address [2001:db8::5] is not on this machine (yet)', ['ip -brief address']),
    ('2026-11-26 10:00:00 ERROR server: java.net.BindException: Cannot assign requested address (10.9.8.7:9300)\n',
     'The address 10.9.8.7 is not on this machine (yet)', ['0.0.0.0']),
    # Locking memory refused: a capability a container lacks, though the words say memory is short.
    ('Error initializing core: Failed to lock memory: cannot allocate memory\n',
     'Locked memory limit too low (memlock)', ['--cap-add IPC_LOCK', 'no memory is short']),
    # A migration that an interrupted run half applied, in the words of an embedded database.
    ('2026-11-26 10:00:00 ERROR app :: startup FAILED\norg.db.jdbc.SQLException: Duplicate column name "OWNER_ID"; '
     'SQL statement:\nALTER TABLE PUBLIC.report ADD owner_id INT;\n',
     'A migration creates OWNER_ID that the database already has', ['drop the column']),
    # A migration history written by another version's files: an old database under a new release.
    ("2026-11-26 10:00:00 ERROR migrate: Migration orders.0003_refunds is applied before its dependency "
     "billing.0001_initial on database 'default'.\n",
     'The database records a migration history this version of the application does not expect',
     ['existing database from an earlier version', 'reset the database', '--fake']),
    ('2026-11-26 10:00:00 FATAL migrate: migration history is inconsistent with the files of this release\n',
     'The database records a migration history', ['delete the database file']),
    # Stored data that cannot be read back at start: damaged, and a cluster member rebuilds it from its peers.
    ('2026-11-26 10:00:00 FATAL [main] store: Unable to load snapshot from disk\n'
     'Caused by: java.io.IOException: Unreasonable length = 734003\n',
     'Corrupt or damaged data', ['data directory', 'persistent volume claim']),
    ('2026-11-26T10:00:00Z ERROR raft: failed to replay the write-ahead log from disk: record 88 ends early\n',
     'Corrupt or damaged data', ['resyncs']),
    # An HTTP login's "Access denied" is a refusal of the credentials (a password where a token is wanted), no file's.
    ('2026-11-26 10:00:00 ERROR fetch: remote: HTTP Basic: Access denied\n', 'Authentication failed',
     ['stopped accepting account passwords']),
    ('2026-11-26 10:00:00 ERROR push: remote: You must use a personal access token for pushes over HTTPS\n',
     'Authentication failed', ['app password']),
    # A configuration line the program refuses: a misspelled directive, or arguments that belong to another one.
    ("[ALERT] parsing [/etc/edge/proxy.cfg:12] : 'frontend' cannot handle unexpected argument '0.0.0.0:443'.\n"
     "[ALERT] parsing [/etc/edge/proxy.cfg:12] : please use the 'bind' keyword for listening addresses.\n",
     'The configuration line `frontend` is refused', ['names bind to use instead']),
    ("2026-11-26 10:00:00 FATAL cache: unknown directive 'evicton-policy' in /etc/cache/cache.conf line 7\n",
     'The configuration line `evicton-policy` is refused', ['a typo', 'names no other directive']),
    # A compiler killed mid-build: a parallel build against the machine's memory, not the code.
    ('src/render/scene.cpp:1: virtual memory exhausted: Cannot allocate memory\n',
     'The compiler was killed for lack of memory', ['fewer parallel jobs']),
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


# (log, the start of the title, what the answer must say besides): the classes of a machine's surroundings, each in
# the words of more than one program.
SURROUNDINGS = [
    ('RuntimeError: CUDA out of memory. Tried to allocate 512.00 MiB (GPU 0; 7.79 GiB total capacity)\n',
     'The GPU ran out of memory', ['nvidia-smi', 'batch size']),
    ('2026-11-26 10:00:00 ERROR trainer: Out of memory while trying to allocate 2.1GiB on the device\n',
     'The GPU ran out of memory', []),
    ('bash: line 1:  4242 Killed                  python train.py --epochs 40\n', 'Out of memory', ['dmesg']),
    ('Unable to negotiate with 198.51.100.7 port 2222: no matching key exchange method found. Their offer: '
     'diffie-hellman-group1-sha1\n', 'The SSH client and server share no key exchange method', ['KexAlgorithms']),
    ("System has not been booted with systemd as init system (PID 1). Can't operate.\n",
     'systemd is not running here', ['wsl.conf', 'in the foreground']),
    ('Failed to connect to bus: Host is down\n', 'systemd is not running here', []),
    ("ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)\n",
     'The server socket /run/mysqld/mysqld.sock does not exist', ['ss -xlp']),
    ('psql: error: connection to server on socket "/tmp/.s.PGSQL.5432" failed: No such file or directory\n',
     'The server socket /tmp/.s.PGSQL.5432 does not exist', ['127.0.0.1']),
    ('Error: error:0308010C:digital envelope routines::unsupported\n'
     '    at new Hash (node:internal/crypto/hash:71:19)\n',
     'A legacy hash or cipher is disabled by the OpenSSL 3', ['--openssl-legacy-provider', 'Node.js 16']),
    ('2026-11-26 10:00:00 ERROR auth: ntlm handshake failed: ValueError: unsupported hash type md4\n',
     'A legacy hash or cipher is disabled by the OpenSSL 3', ['OPENSSL_CONF']),
    ('Error [ERR_REQUIRE_ESM]: require() of ES Module /srv/app/node_modules/colorize/index.js from /srv/app/cli.js '
     'not supported.\n', 'An ES module and CommonJS code are loaded the wrong way round', ['PREVIOUS-MAJOR']),
    ('/srv/app/server.js:1\nimport express from "express";\n^^^^^^\n\nSyntaxError: Cannot use import statement outside '
     'a module\n', 'An ES module and CommonJS code are loaded the wrong way round', ['"type": "module"']),
    ("AttributeError: module 'imagekit' has no attribute 'imread'\n",
     'The installed imagekit has no imread', ['pip show imagekit', 'Pin the release']),
    ('  error: subprocess-exited-with-error\n  × Building wheel for pyyaml (pyproject.toml) did not run '
     'successfully.\n', 'pyyaml had to be compiled from source', ['python3-dev']),
    ('build/temp/_cffi.c:12:10: fatal error: ffi.h: No such file or directory\n',
     'The C header ffi.h is missing', ['apt-file search ffi.h', 'libffi-dev']),
    ("ext/native.c:3:10: fatal error: 'Python.h' file not found\n#include <Python.h>\n",
     'The C header Python.h is missing', ['python3-dev']),
    ('src/tls.c:41:10: fatal error: openssl/ssl.h: No such file or directory\ncompilation terminated.\n'
     'make: *** [Makefile:88: src/tls.o] Error 1\n', 'The C header openssl/ssl.h is missing', ['libssl-dev']),
    ('[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile: Fatal error '
     'compiling: error: invalid target release: 17\n', 'The JDK compiling the code is older than the Java release it '
     'targets (17)', ['JAVA_HOME']),
    ("* What went wrong:\nExecution failed for task ':core:compileJava'.\n> error: release version 21 not supported\n",
     'The JDK compiling the code is older than the Java release it targets (21)', ['toolchain']),
    ('gyp ERR! build error\ngyp ERR! stack Error: `make` failed with exit code: 2\n',
     'A package had to be compiled from source', []),
    ('E: Unable to locate package libvips-tools\n', 'The package libvips-tools is not in the repositories searched',
     ['apt-get update && apt-cache policy libvips-tools']),
    ('[ERROR] Failed to execute goal on project billing: Could not find artifact org.acme:ledger-api:jar:4.1.0 in '
     'nexus (https://nexus.example.org/repository/maven)\n',
     'The package org.acme:ledger-api:jar:4.1.0 is not in the repositories searched', ['mvn help:effective-settings']),
    ('npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.example.org/left-padd - Not found\n',
     'The package left-padd is not in the repositories searched', ['npm config get registry']),
    ('Error: Unable to find a match: No match for argument: htop-ng\n',
     'The package htop-ng is not in the repositories searched', []),
    ('The following packages have unmet dependencies:\n libvips42 : Depends: libheif1 (>= 1.12) but 1.11.0-1 is to '
     'be installed\nE: Unable to correct problems, you have held broken packages.\n',
     'The package manager found no set of versions', ['apt-cache policy']),
    ('ERROR: Cannot install api-client==2.0 and ledger==1.4 because these package versions have conflicting '
     'dependencies.\nERROR: ResolutionImpossible: for help visit the resolver documentation\n',
     'The package manager found no set of versions', ['pipdeptree']),
    ('Err:5 http://mirror.example.org/debian buster/main amd64 Packages\n  404  Not Found\nE: The repository '
     "'http://mirror.example.org/debian buster Release' does not have a Release file.\n",
     "The distribution's package repository no longer serves this release", ['archive mirror']),
    ("Error: Failed to download metadata for repo 'baseos': Cannot prepare internal mirrorlist: No URLs in "
     'mirrorlist\n', "The distribution's package repository no longer serves this release", ['base image']),
    ('W: GPG error: https://repo.example.net/apt focal InRelease: The following signatures were invalid: '
     'EXPKEYSIG 9DC858229FC7DD38 Example Repo <repo@example.net>\n',
     "A package repository's signing key is missing or expired", ['signed-by', '9DC858229FC7DD38']),
    ('./collector: error while loading shared libraries: libcrypto.so.1.1: cannot open shared object file: No '
     'such file or directory\n', 'The shared library libcrypto.so.1.1 is not installed', ['ldd', 'OpenSSL 3']),
    ('ImportError: libgomp.so.1: cannot open shared object file: No such file or directory\n',
     'The shared library libgomp.so.1 is not installed', ['apt-file search libgomp.so.1']),
    ('/usr/local/bin/start.sh: line 7: pnpm: command not found\n',
     'The command pnpm is not installed or not on the PATH', ['command -v pnpm', 'crontab']),
    ("'terraform' is not recognized as an internal or external command,\n",
     'The command terraform is not installed or not on the PATH', []),
    ('2026-11-26T10:00:00Z ERROR runner: exec: "kubectl": executable file not found in $PATH\n',
     'The command kubectl is not installed or not on the PATH', []),
    ('RangeError: Maximum call stack size exceeded\n    at serialize (/srv/app/lib/json.js:40:12)\n',
     'The call stack overflowed', ['circular reference']),
    ('InternalError: too much recursion\n', 'The call stack overflowed', []),
    ('2026-11-26T10:00:00.000000Z 0 [ERROR] [MY-012574] [InnoDB] Unable to lock ./ibdata1 error: 11\n',
     'A lock is held by another process', ['still running']),
]


@pytest.mark.parametrize(('log', 'title', 'says'), SURROUNDINGS, ids=[log[:40] for log, _, _ in SURROUNDINGS])
async def test_a_failure_of_the_surroundings_is_named_by_its_class(log: str, title: str, says: list[str]) -> None:
    diagnosis = await diagnose(log)
    assert summary(diagnosis).startswith(f'**{title}'), diagnosis.markdown
    assert diagnosis.signature_id is None
    for words in says:
        assert words in diagnosis.markdown, words


@pytest.mark.parametrize(('bytes_', 'signature'), [('2048', 'php-memory-limit-misread'),
                                                   ('536870912', 'php-memory-limit')])
async def test_a_tiny_php_memory_limit_is_a_misread_setting_and_a_real_one_a_limit(bytes_: str, signature: str) -> None:
    diagnosis = await diagnose(f'PHP Fatal error:  Allowed memory size of {bytes_} bytes exhausted (tried to allocate '
                               '8192 bytes) in /srv/site/index.php on line 4\n')
    assert diagnosis.signature_id == signature


async def test_a_programs_memory_error_is_no_kill_by_the_kernel() -> None:
    diagnosis = await diagnose('Traceback (most recent call last):\n  File "/srv/etl/load.py", line 9, in <module>\n'
                               '    rows = list(reader)\nMemoryError\n')
    assert diagnosis.signature_id is None
    assert summary(diagnosis).startswith('**Out of memory**')


@pytest.mark.parametrize(('log', 'not_named'), [
    ('2026-11-26 10:00:00 ERROR api: module "billing" reported an unknown plugin state\n', 'module or plugin'),
    ('2026-11-26 10:00:00 ERROR report: the export needs repair of its template before Friday\n', 'marked as crashed'),
    ('2026-11-26 10:00:00 ERROR db: Migrating users to the new plan failed: column "plan_id" does not exist\n',
     'The migration'),
    ('2026-11-26 10:00:00 ERROR cache: session abc123: not found\n', 'not on the PATH'),
    ('2026-11-26 10:00:00 INFO worker: Killed idle connection 42\n', 'Out of memory'),
    ("app/models/order.rb:12:in `total': wrong number of arguments (given 2, expected 1) (ArgumentError)\n",
     'configuration'),
])
async def test_words_near_a_class_do_not_make_its_failure(log: str, not_named: str) -> None:
    assert not_named not in summary(await diagnose(log))


LIMITS_AND_ACCESS = [
    ('2026-11-26 10:00:00 ERROR db: PacketTooBigException: Packet for query is too large (9,437,184 > 4,194,304)\n',
     'A message or request is larger than the limit', ['max_allowed_packet']),
    ('2026-11-26 10:00:00 ERROR producer: send failed: the record is 3145728 bytes, which exceeds the maximum '
     'request size\n', 'A message or request is larger than the limit', ['smaller batches']),
    ('2026-11-26 10:00:00 ERROR ci: pull failed: toomanyrequests: anonymous pull limit reached for this address\n',
     'A service refused requests over its rate limit', ['docker login', 'back-off']),
    ('2026-11-26 10:00:00 WARN sync: GET /repos/acme/site/releases: 403 API rate limit exceeded\n',
     'A service refused requests over its rate limit', ['Authenticate']),
    ("Error: You installed esbuild for another platform than the one you're currently using.\n",
     'A native module was installed for another platform', ['.dockerignore', 'npm ci']),
    ('2026-11-26 10:00:00 ERROR api: token refresh failed: invalid_grant (the refresh token has been revoked)\n',
     'Authentication failed', []),
    ("2026-11-26 10:00:00 ERROR orm: Can't reach database server at db.internal:5432\n", 'Connection refused', []),
    ('psql: error: connection to server on socket "/run/postgresql/.s.PGSQL.5432" failed: FATAL:  password '
     'authentication failed for user "etl"\n', 'PostgreSQL password authentication failed', []),
]


@pytest.mark.parametrize(('log', 'title', 'says'), LIMITS_AND_ACCESS, ids=[log[:40] for log, _, _ in LIMITS_AND_ACCESS])
async def test_limits_and_access_are_named_by_their_words(log: str, title: str, says: list[str]) -> None:
    diagnosis = await diagnose(log)
    assert summary(diagnosis).startswith(f'**{title}'), diagnosis.markdown
    for words in says:
        assert words in diagnosis.markdown, words


RUNTIME_SURROUNDINGS = [
    ('2026-11-26 10:00:00 ERROR release: signing the tag failed: gpg: signing failed: Inappropriate ioctl for '
     'device\n', 'A command asked for input, and there is no terminal', ['--non-interactive']),
    ('2026-11-26 10:00:00 ERROR deploy: sudo: a terminal is required to read the password\n',
     'A command asked for input, and there is no terminal', ['NOPASSWD']),
    ('Error: Could not find or load main class org.example.billing.Main\n',
     'Java could not find or load the main class org.example.billing.Main', ['Main-Class']),
    ("2026-11-26 10:00:00 ERROR export: UnicodeEncodeError: 'ascii' codec can't encode character in position 7\n",
     'The process runs without a UTF-8 locale', ['LANG=C.UTF-8']),
    ('bash: warning: setlocale: LC_ALL: cannot change locale (de_DE.UTF-8)\n2026-11-26 10:00:00 ERROR report failed\n',
     'The process runs without a UTF-8 locale', ['locale-gen']),
    ('g++: fatal error: Killed signal terminated program cc1plus\ncompilation terminated.\n',
     'The compiler was killed for lack of memory', ['make -j1', 'swap']),
    ('Error: spawn convert ENOENT\n    at ChildProcess._handle.onexit (node:internal/child_process:284:19)\n',
     'The command convert is not installed or not on the PATH', []),
    ('Exception in thread "main" java.lang.UnsatisfiedLinkError: no sqlitejdbc in java.library.path\n',
     'The shared library sqlitejdbc is not installed', []),
    ('2026-11-26 10:00:00 ERROR tls: java.io.IOException: Keystore was tampered with, or password was incorrect\n',
     'A private key is encrypted and could not be read without its passphrase', []),
    ('  File "/opt/tools/sync.py", line 12\n    print "done"\n    ^\nSyntaxError: Missing parentheses in call to '
     "'print'. Did you mean print(...)?\n", 'Code written for Python 2 is run by Python 3', ['2to3']),
    ("2026-11-26 10:00:00 ERROR fetch: NameError: name 'unicode' is not defined\n",
     'Code written for Python 2 is run by Python 3', []),
]


@pytest.mark.parametrize(('log', 'title', 'says'), RUNTIME_SURROUNDINGS,
                         ids=[log[:40] for log, _, _ in RUNTIME_SURROUNDINGS])
async def test_a_runtime_surrounding_is_named_by_its_class(log: str, title: str, says: list[str]) -> None:
    diagnosis = await diagnose(log)
    assert summary(diagnosis).startswith(f'**{title}'), diagnosis.markdown
    for words in says:
        assert words in diagnosis.markdown, words


@pytest.mark.parametrize(('relation', 'signature'), [('before', 'clock-skew'), ('after', 'certificate-expired')])
async def test_a_certificate_not_yet_valid_is_a_clock_behind_not_an_expiry(relation: str, signature: str) -> None:
    diagnosis = await diagnose('2026-11-26T10:00:00Z ERROR fetch: Get "https://api.example.org/": x509: certificate '
                               f'has expired or is not yet valid: current time 2026-11-26T10:00:00Z is {relation} '
                               '2026-12-01T00:00:00Z\n')
    assert diagnosis.signature_id == signature


@pytest.mark.parametrize(('log', 'title'), [
    ('/usr/local/bin/docker-entrypoint: line 9: /srv/app/start-worker.sh: Permission denied\n',
     '/srv/app/start-worker.sh cannot be run: it lacks the execute permission'),
    ('exec /app/bin/server: permission denied\n', '/app/bin/server cannot be run: it lacks the execute permission'),
    ('standard_init_linux.go:211: exec user process caused "permission denied"\n',
     'A program or script cannot be run: it lacks the execute permission'),
    ('Error: spawn /srv/site/node_modules/.bin/bundler EACCES\n',
     '/srv/site/node_modules/.bin/bundler cannot be run: it lacks the execute permission'),
])
async def test_a_program_refused_at_its_start_lacks_its_execute_permission(log: str, title: str) -> None:
    diagnosis = await diagnose(log)
    assert summary(diagnosis).startswith(f'**{title}**'), diagnosis.markdown
    assert 'chmod +x' in diagnosis.markdown and 'noexec' in diagnosis.markdown


async def test_a_file_the_program_cannot_write_is_still_ownership() -> None:
    diagnosis = await diagnose("2026-11-26 10:00:00 ERROR backup: could not open '/srv/backup/today.tar' for writing: "
                               'Permission denied\n')
    assert summary(diagnosis).startswith('**Permission or ownership problem on /srv/backup/today.tar**')


@pytest.mark.parametrize(('log', 'says'), [
    ('2026-11-26 10:00:00 ERROR push: remote: authentication failed for https://git.example.org/team/site.git\n',
     ['app password', 'git credential reject', 'URL-encode']),
    ('2026-11-26 10:00:00 ERROR export: write /var/lib/exports/day.csv: No space left on device\n',
     ['lsof +L1', 'docker system df', 'journalctl --vacuum-size']),
    ('2026-11-26 10:00:00 ERROR feed: dial tcp 198.51.100.20:443: i/o timeout\n', ['HTTPS_PROXY', 'IPv6']),
    ('2026-11-26 10:00:00 ERROR feed: handshake with partner feed failed: peer certificate rejected\n',
     ['intercepts TLS', 'ca-certificates', 'never turn verification off']),
])
async def test_a_broad_class_names_its_usual_causes_and_their_remedies(log: str, says: list[str]) -> None:
    markdown = (await diagnose(log)).markdown
    for words in says:
        assert words in markdown, words


async def test_a_tools_mark_on_every_line_does_not_break_the_remedy_it_wraps() -> None:
    diagnosis = await diagnose(
        'Step 5/9 : RUN pkg ci\n'
        'pkg ERR! code EUSAGE\n'
        'pkg ERR! The `ci` command needs an existing lock file. Run an install with a\n'
        'pkg ERR! newer client to write the lock file, then try again.\n'
        "The command '/bin/sh -c pkg ci' returned a non-zero code: 1\n"
    )
    assert ('> Run an install with a newer client to write the lock file, then try again.' in diagnosis.markdown), \
        diagnosis.markdown
    assert '> RUN pkg ci' not in diagnosis.markdown  # a build file's instruction, echoed


async def test_an_out_of_memory_is_a_browsers_shared_memory_only_in_chromiums_own_log_shape() -> None:
    browser = await diagnose('[7:9:1126/100000.000001:FATAL:memory.cc(22)] Out of memory. size=65536\n')
    other = await diagnose('2026-11-26 10:00:00 FATAL worker: Out of memory. size=65536\n')
    assert browser.signature_id == 'browser-shared-memory', browser.markdown
    assert other.signature_id != 'browser-shared-memory'
    assert '/dev/shm' not in other.markdown.split('## Evidence')[0]


async def test_a_bind_refused_for_an_address_is_not_a_port_held_by_another_process() -> None:
    diagnosis = await diagnose('Nov 26 10:00:00 mx1 relayd[812]: listen tcp 203.0.113.7:25: bind: cannot assign '
                               'requested address\n')
    assert 'already in use' not in summary(diagnosis)
    assert 'relayd[812]' not in summary(diagnosis)  # a process id in brackets is no IPv6 address
