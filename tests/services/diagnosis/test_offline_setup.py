"""The offline analyzer on failures of a machine's or a project's setup: a tool older than the Java it runs on, a
unit's user that does not exist, a folder the container engine may not create, a binary for another CPU, a C library
that needs a newer kernel, passwords a server no longer takes, a stale PID file, a cluster ID from another cluster,
a damaged archive, no broker to reach, a path too long, an interrupted earlier run. Each is phrased as several
programs print it. Every log here is synthetic."""

import pytest

from tests.services.diagnosis.test_offline_causes import summary
from tests.services.diagnosis.test_offline_reasoning import diagnose


@pytest.mark.parametrize(('log', 'major'), [
    ("* What went wrong:\nCould not compile build file '/src/shop/build.gradle'.\n> startup failed:\n"
     '  General error during conversion: Unsupported class file major version 65\n', '65'),
    ('2026-11-26 10:00:00.000 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed\n'
     'org.springframework.core.NestedIOException: ASM ClassReader failed to parse class file - probably due to a new '
     'Java class file version that is not supported yet: file [/app/classes/Cart.class]; nested exception is '
     'java.lang.IllegalArgumentException: Unsupported class file major version 61\n', '61'),
    ('java.lang.instrument.IllegalClassFormatException: Error while instrumenting com/acme/Ledger.\n'
     'Caused by: java.lang.IllegalArgumentException: Unsupported class file major version 63\n'
     '\tat org.objectweb.asm.ClassReader.<init>(ClassReader.java:199)\n', '63'),
])
async def test_a_bytecode_reader_older_than_the_jdk_is_told_to_upgrade_the_tool_or_use_an_older_jdk(
        log: str, major: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id == 'bytecode-reader-too-old', diagnosis.markdown
    assert f'(class file major version {major})' in summary(diagnosis)
    assert 'gradle-wrapper.properties' in diagnosis.markdown and 'older JDK' in diagnosis.markdown


async def test_a_class_built_for_a_newer_java_is_still_the_runtime_being_too_old() -> None:
    diagnosis = await diagnose('Exception in thread "main" java.lang.UnsupportedClassVersionError: com/acme/App has '
                               'been compiled by a more recent version of the Java Runtime (class file version 65.0), '
                               'this version of the Java Runtime only recognizes class file versions up to 55.0\n')
    assert diagnosis.signature_id == 'java-class-version', diagnosis.markdown


@pytest.mark.parametrize(('log', 'unit'), [
    ('Mar 02 09:00:01 nas systemd[811]: backup.service: Failed to determine user credentials: No such process\n'
     'Mar 02 09:00:01 nas systemd[811]: backup.service: Failed at step USER spawning /usr/local/bin/backup: No such '
     'process\nMar 02 09:00:01 nas systemd[1]: backup.service: Main process exited, code=exited, status=217/USER\n',
     'backup.service'),
    ('systemd[1]: Starting Media indexer...\n'
     'systemd[904]: indexer.service: Failed to determine group credentials: No such process\n'
     'systemd[1]: indexer.service: Main process exited, code=exited, status=216/GROUP\n'
     "systemd[1]: indexer.service: Failed with result 'exit-code'.\n", 'indexer.service'),
    ('relay.service - Packet relay\n   Loaded: loaded (/etc/systemd/system/relay.service; enabled)\n'
     '   Active: failed (Result: exit-code) since Mon 2026-11-23 10:00:00 UTC\n'
     '  Process: 77 ExecStart=/usr/bin/relay (code=exited, status=217/USER)\n', 'relay.service'),
])
async def test_a_unit_whose_user_or_group_does_not_exist_is_told_to_fix_the_unit(log: str, unit: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id == 'systemd-unit-user-missing', diagnosis.markdown
    assert summary(diagnosis).startswith(f'**systemd cannot run {unit}: the user or group')
    assert 'Group=nogroup' in diagnosis.markdown and 'DynamicUser=yes' in diagnosis.markdown


@pytest.mark.parametrize('log', [
    "ERROR: for web  Cannot start service web: error while creating mount source path '/srv/shop/data': "
    'mkdir /srv/shop: read-only file system\n',
    "docker: Error response from daemon: error while creating mount source path '/data/pg': mkdir /data: read-only "
    'file system.\n',
    " Container grafana-1  Error response from daemon: error while creating mount source path '/opt/grafana/lib': "
    'mkdir /opt/grafana: read-only file system\n',
])
async def test_a_bind_mount_folder_the_daemon_cannot_create_names_the_snap_and_macos(log: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id == 'bind-mount-source-read-only', diagnosis.markdown
    assert 'Confidence: **medium**' in diagnosis.markdown
    assert 'sudo snap remove docker' in diagnosis.markdown and 'Docker Desktop on macOS' in diagnosis.markdown


async def test_a_read_only_file_system_outside_a_mount_is_still_the_file_systems() -> None:
    diagnosis = await diagnose("OSError: [Errno 30] Read-only file system: '/var/log/shop/app.log'\n")
    assert diagnosis.signature_id == 'read-only-filesystem', diagnosis.markdown


@pytest.mark.parametrize('log', [
    '$ ./install.sh\nbash: line 40: /Users/dev/.tool/bin/tool.new: Bad CPU type in executable\n',
    'zsh: bad CPU type in executable: ./bin/protoc\n',
    "OSError: [Errno 86] Bad CPU type in executable: '/Users/ci/.cache/lint/bin/lint'\n",
])
async def test_a_binary_for_another_cpu_on_a_mac_is_told_to_install_rosetta_or_get_a_native_build(log: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id == 'bad-cpu-type', diagnosis.markdown
    assert 'softwareupdate --install-rosetta' in diagnosis.markdown and 'universal build' in diagnosis.markdown


@pytest.mark.parametrize('log', [
    '$ docker run --rm shop/api:latest\nFATAL: kernel too old\n',
    'api-1  | FATAL: kernel too old\napi-1 exited with code 139\n',
    '2026-11-26 10:00:00 ERROR runner: step "lint" failed: /opt/tools/node/bin/node: FATAL: kernel too old\n',
])
async def test_a_c_library_that_needs_a_newer_kernel_compares_the_kernel_with_the_image(log: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id == 'kernel-too-old', diagnosis.markdown
    assert 'uname -r' in diagnosis.markdown and 'older base image' in diagnosis.markdown


@pytest.mark.parametrize(('log', 'confidence'), [
    ('remote: Support for password authentication was removed. Please use a personal access token instead.\n'
     "fatal: Authentication failed for 'https://git.example.com/acme/shop.git/'\n", 'low'),
    ('remote: This server stopped supporting account passwords for Git over HTTPS; use an app password.\n'
     "fatal: unable to access 'https://code.example.org/acme/shop.git/': The requested URL returned error: 403\n",
     'low'),
    ('2026-11-26 10:00:00 ERROR tracker: 401 Unauthorized: basic authentication with passwords is deprecated\n',
     'medium'),
    ('remote: HTTP Basic: Access denied. If a password was provided for Git authentication, the password was '
     "incorrect or you're required to use a token instead of a password.\n"
     "fatal: Authentication failed for 'https://git.example.net/acme/shop.git/'\n", 'low'),
])
async def test_a_server_that_no_longer_takes_passwords_is_told_to_use_a_token(log: str, confidence: str) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id == 'password-auth-removed', diagnosis.markdown
    assert f'Confidence: **{confidence}**' in diagnosis.markdown
    assert 'personal access token' in diagnosis.markdown and 'git remote set-url' in diagnosis.markdown
    assert 'has expired, was revoked' in diagnosis.markdown  # a stale token is answered with the same words


# (log, the start of the class's title, what the answer must say besides)
CLASSES = [
    # A PID file taken for a running instance.
    ('=> Booting Puma\n=> Run `server -h` for more startup options\n'
     'A server is already running. Check /app/tmp/pids/server.pid.\nExiting\n',
     'A PID file says the program is already running: /app/tmp/pids/server.pid', ['rm -f /app/tmp/pids/server.pid']),
    ('2026-11-26 10:00:00 ERROR relayd: pid file /run/relayd.pid exists, is another instance running?\n',
     'A PID file says the program is already running: /run/relayd.pid', ['ps -p']),
    ('collector: daemon already running (found /var/run/collector.pid with pid 4121)\n',
     'A PID file says the program is already running: /var/run/collector.pid', ['stale']),
    # A node whose stored cluster ID is not the cluster's.
    ('2026-11-26 10:00:00 ERROR [broker] startup aborted: the cluster ID 7fQ2xw does not match the cluster ID '
     'Zk3aPq stored in /var/lib/queue/meta.properties\n',
     "A node's stored cluster ID does not match the cluster it joins", ['ZooKeeper', 'persistent volume']),
    ('2026-11-26 10:00:00,000 WARN common.Storage: Failed to add storage directory /hadoop/dfs/data\n'
     'java.io.IOException: Incompatible clusterIDs in /hadoop/dfs/data: namenode clusterID = CID-11; datanode '
     'clusterID = CID-22\n', "A node's stored cluster ID does not match the cluster it joins", ['VERSION']),
    ('{"level":"fatal","msg":"failed to start member","error":"cluster ID mismatch: local 9e8f, remote 1a2b"}\n',
     "A node's stored cluster ID does not match the cluster it joins", ['remove its stale data']),
    # A zip archive that cannot be read, with no path to a dependency cache.
    ('[ERROR] Failed to execute goal org.example.plugins:bundle-plugin:3.1:bundle (make) on project shop: '
     'Error packing the bundle: invalid LOC header (bad signature) -> [Help 1]\n',
     'A zip or jar archive is damaged', ['~/.m2/repository', 'downloaded afresh']),
    ('> Could not transform shop-lib-2.1.jar to match attributes\n   > java.util.zip.ZipException: zip END header not '
     'found\n', 'A zip or jar archive is damaged', ['--refresh-dependencies']),
    ('java.util.zip.ZipException: invalid CEN header (bad entry name)\n'
     '\tat java.base/java.util.zip.ZipFile$Source.zerror(ZipFile.java:1600)\n',
     'A zip or jar archive is damaged', ['unzip -tq']),
    # No broker of a message cluster reachable.
    ('Traceback (most recent call last):\n  File "/app/producer.py", line 8, in <module>\n'
     "    producer = Producer(bootstrap_servers='queue:9092')\n"
     'queue.errors.NoBrokersAvailable: NoBrokersAvailable\n',
     'The client reaches no broker of the message cluster', ['advertised listeners']),
    ('%3|1764150000.001|ERROR|rdkafka#consumer-1| [thrd:app]: rdkafka#consumer-1: 3/3 brokers are down\n',
     'The client reaches no broker of the message cluster', ['nc -vz']),
    ('2026-11-26 10:00:00 WARN [Producer clientId=orders] Connection to node -1 (queue/10.0.0.5:9092) could not be '
     'established. Broker may not be available.\n', 'The client reaches no broker of the message cluster',
     ['not ready yet']),
    # A path longer than allowed.
    ('error: unable to create file src/generated/model/deep/VeryLongName.java: Filename too long\n'
     "fatal: cannot create directory at 'src/generated/model': Filename too long\n",
     'A file path or name is longer than', ['core.longpaths true']),
    ("OSError: [Errno 36] File name too long: '/home/ci/.cache/build/report-0123456789abcdef.json'\n",
     'A file path or name is longer than', ['255 bytes']),
    ('Unhandled exception. System.IO.PathTooLongException: The specified path, file name, or both are too long.\n',
     'A file path or name is longer than', ['LongPathsEnabled']),
    # An earlier run cut off, which the tool wants finished first.
    ("E: dpkg was interrupted, you must manually run 'sudo dpkg --configure -a' to correct the problem.\n",
     'An earlier run was interrupted and must be finished first', ["> you must manually run 'sudo dpkg"]),
    ('2026-11-26 10:00:00 ERROR installer: the previous installation was interrupted; run `setup --resume` to '
     'complete it\n', 'An earlier run was interrupted and must be finished first', ['tmux']),
]


@pytest.mark.parametrize(('log', 'title', 'says'), CLASSES, ids=[log[:40] for log, _, _ in CLASSES])
async def test_a_setup_failure_is_named_by_what_the_message_says(log: str, title: str, says: list[str]) -> None:
    diagnosis = await diagnose(log)
    assert diagnosis.signature_id is None, diagnosis.markdown
    assert summary(diagnosis).startswith(f'**{title}'), diagnosis.markdown
    for words in says:
        assert words in diagnosis.markdown, words


async def test_a_user_just_added_to_the_docker_group_is_told_to_restart_what_runs_as_it() -> None:
    diagnosis = await diagnose('+ docker build -t shop .\n'
                               'Cannot connect to the Docker daemon. Is the docker daemon running on this host?\n')
    assert diagnosis.signature_id == 'docker-daemon-unreachable', diagnosis.markdown
    assert 'newgrp docker' in diagnosis.markdown and 'restart the services that run as that user' in diagnosis.markdown
