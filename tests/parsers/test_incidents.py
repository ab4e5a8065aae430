from collections.abc import Iterator

import pytest

from parsers import Analysis, Group, analyze_lines, rank, shows_failure, top_incidents
from parsers.incidents import CAUSE_WORDS


def _service_log(lines: int = 5_000) -> Iterator[str]:
    """Routine traffic with a frequent routine error; after a burst of warnings at 80%, one new error."""
    for i in range(lines):
        stamp = f'2026-01-01 10:{i // 600 % 60:02d}:{i // 10 % 60:02d}'
        if i == 4_000:
            yield f'{stamp} ERROR cannot open /var/lib/app/queue.db: Permission denied'
        if 3_990 <= i < 4_030:
            yield f'{stamp} WARN queue {i} stalled, retrying'
        if i % 50 == 7:
            yield f'{stamp} ERROR payment {i} declined by issuer'
        yield f'{stamp} INFO request {i} served in {i % 97} ms'


def test_a_rare_new_error_after_a_burst_outranks_a_frequent_routine_error() -> None:
    analysis = analyze_lines(_service_log())
    top = top_incidents(analysis)
    assert top[0].template.endswith('cannot open <*> Permission denied')
    reasons = top[0].incident_reasons
    assert {'severity', 'rare', 'new', 'cause'} <= reasons.keys()
    assert reasons['cause'] == 'worded like a cause: "cannot", "permission", "denied"'
    assert reasons['rare'] == 'rare: once in 5,141 events'
    routine = next(group for group in analysis.groups if 'declined' in group.template)
    assert routine.count == 100 and routine.incident_score < top[0].incident_score
    assert 'rare' not in routine.incident_reasons and 'new' not in routine.incident_reasons
    stalled = next(group for group in analysis.groups if 'stalled' in group.template)
    assert stalled.incident_reasons['burst'] == 'a burst: 40 occurrences within lines 4,071-4,151'
    # the engine's own output carries the scores, also in JSON
    data = top[0].to_dict()
    assert data['incident_score'] == top[0].incident_score > 0
    assert data['incident_reasons'] == reasons


def test_the_first_of_a_cascade_and_the_line_before_a_crash_stand_out() -> None:
    lines = [f'2026-01-01 10:00:{i % 60:02d} INFO tick {i}' for i in range(2_000)]
    lines[1_500:1_500] = [
        '2026-01-01 10:30:00 WARN disk usage 97% on /data',
        '2026-01-01 10:30:01 ERROR write to /data/segment failed',
        '2026-01-01 10:30:02 ERROR compaction aborted',
        '2026-01-01 10:30:03 FATAL shutting down: storage unavailable',
    ]
    analysis = analyze_lines(lines)
    warn = next(group for group in analysis.groups if group.level == 'WARN')
    assert warn.incident_reasons['first_of_burst'].startswith('first of a burst: 3 other warning or error kinds')
    write = next(group for group in analysis.groups if 'write to' in group.template)
    assert write.incident_reasons['before_crash'] == 'just before a crash at line 1,504'


def test_a_routine_log_has_no_incident_and_nothing_frequent_is_chosen() -> None:
    analysis = analyze_lines(f'2026-01-01 10:00:{i % 60:02d} INFO request {i} served' for i in range(500))
    assert top_incidents(analysis) == []


def test_another_programs_message_among_routine_records_is_the_top_incident() -> None:
    lines = [f'2026-01-01 10:00:{i % 60:02d} INFO request {i} served' for i in range(300)]
    lines[200:200] = ['E: Could not get lock /var/lib/app/lock. It is held by process 42']
    analysis = analyze_lines(lines)
    stray = top_incidents(analysis)[0]
    assert stray.count == 1 and stray.first_line == 201
    assert stray.example == 'E: Could not get lock /var/lib/app/lock. It is held by process 42'
    assert next(group for group in analysis.groups if group.count == 300).template.endswith('request <*> served')


def test_an_analysis_saved_before_scoring_is_scored_when_asked() -> None:
    error = Group(id=1, template='db connection refused', level='ERROR', count=1, first_line=9,
                  example='ERROR db connection refused')
    info = Group(id=2, template='ok', level='INFO', count=8, first_line=1, example='INFO ok')
    analysis = Analysis(lines=9, events=9, level_counts={'ERROR': 1, 'INFO': 8}, formats={}, groups=[info, error])
    assert top_incidents(analysis) == [error]
    assert error.incident_reasons['cause'] == 'worded like a cause: "refused"'
    assert rank(analysis)[0] is error


def test_a_long_event_keeps_its_deep_cause_within_the_example_size() -> None:
    frames = [f'\tat org.example.Factory{i}.create(Factory{i}.java:{i})' for i in range(150)]
    lines = ['2026-01-01 10:01:00 ERROR context failed to start', *frames,
             'Caused by: java.net.ConnectException: Connection refused', *frames[:5]]
    group = analyze_lines(lines).groups[0]
    assert len('\n'.join(lines)) > 8192 >= len(group.example)
    kept = group.example.split('\n')
    assert kept[0] == lines[0]
    assert 'Caused by: java.net.ConnectException: Connection refused' in kept
    assert kept[1] == frames[0] and kept[-1] == frames[4]
    assert '[... ' in group.example and ' line(s) left out ...]' in group.example


def test_a_warning_is_a_candidate_but_shows_a_failure_only_in_its_words() -> None:
    analysis = analyze_lines(['2026-01-01 10:00:00 INFO started', '2026-01-01 10:00:01 WARN cache is cold, warming up',
                              '2026-01-01 10:00:02 WARN disk: write to /srv/out failed: No space left on device'])
    shown = {group.template: shows_failure(group) for group in top_incidents(analysis)}
    assert shown == {'cache is cold, warming up': False, 'disk: write to <*> failed: No space left on device': True}
    crash = top_incidents(analyze_lines(["terminate called after throwing an instance of 'std::bad_alloc'"]))
    assert [shows_failure(group) for group in crash] == [True]


@pytest.mark.parametrize(('message', 'words'), [
    ('Another app is currently holding the yum lock; waiting for it to exit...', ['holding the yum lock']),
    ('./libsample.so: wrong ELF class: ELFCLASS32', ['wrong elf class']),
    ('the package requires php ^8.1 but your php version (8.0.30) does not satisfy that requirement',
     ['does not satisfy']),
    ('found plugin-api[2.1.0] but it does not match the constraint', ['does not match']),
    ("Permissions 0644 for '/home/ci/.ssh/deploy_key' are too open.", ['too open']),
    ('Load key "/home/ci/.ssh/deploy_key": bad permissions', ['bad permissions']),
])
def test_a_held_lock_a_wrong_binary_class_an_unmet_constraint_and_loose_permissions_are_worded_like_causes(
        message: str, words: list[str]) -> None:
    assert [word.lower() for word in CAUSE_WORDS.findall(message)] == words


@pytest.mark.parametrize(('message', 'words'), [
    ('sudo: a terminal is required to read the password; either use the -S option or configure an askpass helper',
     ['a terminal is required']),
    ('the input device is not a TTY', ['not a tty']),
    ('sudo: no tty present and no askpass program specified', ['no tty present']),
    ('ORA-12541: TNS:no listener', ['no listener']),
    ("E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem.",
     ['was interrupted']),
    ('A server is already running. Check /app/tmp/pids/server.pid.', ['already running']),
    ('zsh: bad CPU type in executable: ./bin/protoc', ['bad cpu type']),
    ('producer: No brokers available for bootstrap servers queue:9092', ['no brokers available']),
    ('error: unable to create file src/gen/Model.java: Filename too long', ['unable to', 'too long']),
    ('remote: password authentication is no longer supported for Git operations', ['no longer supported']),
])
def test_a_missing_terminal_listener_or_broker_a_second_instance_and_cut_off_work_are_worded_like_causes(
        message: str, words: list[str]) -> None:
    assert [word.lower() for word in CAUSE_WORDS.findall(message)] == words


@pytest.mark.parametrize('message', [
    'sudo: a terminal is required to read the password',
    'the input device is not a TTY',
    'ORA-12541: TNS:no listener',
    "E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem.",
    'A server is already running. Check /srv/app/tmp/pids/server.pid.',
    'bash: /usr/local/bin/fmt: Bad CPU type in executable',
])
def test_such_a_message_among_routine_records_is_the_top_incident(message: str) -> None:
    lines = [f'2026-01-01 10:00:{i % 60:02d} INFO job {i} done' for i in range(300)]
    lines.insert(200, message)
    top = top_incidents(analyze_lines(lines))
    assert top and top[0].example.strip() == message
    assert shows_failure(top[0])
