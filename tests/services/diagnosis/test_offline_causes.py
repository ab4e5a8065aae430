"""The offline analyzer on failures told indirectly: a chained exception is diagnosed by its innermost cause, not by
the wrappers around it; a configuration answer names the setting the message names and says to set it; a cause
printed raw by another program, with no header or level, is still recognized by its words. Every log here is
synthetic."""

import pytest

from services.diagnosis.analyzer import Diagnosis
from tests.services.diagnosis.test_offline_reasoning import diagnose

JOURNAL_DENIED = ('Caused by: java.nio.file.AccessDeniedException: /srv/ledger/journal.db\n'
                  '\tat java.base/sun.nio.fs.UnixPath.open(UnixPath.java:90)\n')
SPRING_WRAPPERS = (
    "2026-11-26 10:00:00.000 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed\n"
    "org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'ledger': Injection of "
    'autowired dependencies failed\n'
    '\tat org.springframework.beans.factory.support.AbstractBeanFactory.getBean(AbstractBeanFactory.java:208)\n'
    '\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:315)\n'
    'Caused by: com.acme.ledger.StoreException: ledger store could not be opened\n'
    '\tat com.acme.ledger.Store.open(Store.java:61)\n'
    '\t... 12 more\n'
)


def summary(diagnosis: Diagnosis) -> str:
    return diagnosis.markdown.split('\n')[1]


async def test_the_innermost_cause_of_a_java_chain_is_diagnosed_not_the_framework_wrapping_it() -> None:
    diagnosis = await diagnose(SPRING_WRAPPERS + JOURNAL_DENIED + '\t... 14 more\n')
    assert diagnosis.signature_id is None  # neither the Spring wrapper nor a cloud provider's AccessDenied
    assert summary(diagnosis).startswith('**Permission or ownership problem on /srv/ledger/journal.db**')
    assert 'innermost recognized cause in a chain of exceptions' in diagnosis.markdown
    assert '- line 8: ` Caused by: java.nio.file.AccessDeniedException: /srv/ledger/journal.db `' in diagnosis.markdown


async def test_a_lock_wait_timeout_deep_in_a_trace_is_a_held_lock() -> None:
    diagnosis = await diagnose(SPRING_WRAPPERS + 'Caused by: java.sql.SQLTransactionRollbackException: Lock wait '
                               'timeout exceeded; try restarting transaction\n'
                               '\tat com.acme.db.Driver.execute(Driver.java:120)\n')
    assert summary(diagnosis).startswith('**A lock is held by another process**')
    assert 'stale lock' in diagnosis.markdown


async def test_the_deepest_cause_the_knowledge_base_recognizes_wins_over_an_unknown_innermost_one() -> None:
    quirk = 'Caused by: com.acme.ledger.Quirk: journal said goodbye\n\tat com.acme.ledger.Quirk.raise(Quirk.java:9)\n'
    diagnosis = await diagnose(SPRING_WRAPPERS + JOURNAL_DENIED + quirk)
    assert summary(diagnosis).startswith('**Permission or ownership problem on /srv/ledger/journal.db**')


async def test_a_chain_whose_causes_name_no_failure_is_diagnosed_by_its_wrapper() -> None:
    diagnosis = await diagnose(SPRING_WRAPPERS + 'Caused by: com.acme.ledger.Quirk: journal said goodbye\n')
    assert diagnosis.signature_id == 'spring-bean-creation'
    assert 'innermost recognized cause' not in diagnosis.markdown


@pytest.mark.parametrize('chained', ['The above exception was the direct cause of the following exception:',
                                     'During handling of the above exception, another exception occurred:'])
async def test_the_first_traceback_of_a_python_chain_is_its_cause(chained: str) -> None:
    diagnosis = await diagnose(
        '2026-11-26 10:00:00,000 ERROR worker: nightly sync failed\n'
        'Traceback (most recent call last):\n'
        '  File "/app/store.py", line 12, in open_store\n'
        '    raise LedgerBusy(path)\n'
        'store.LedgerBusy: could not acquire lock on /srv/store/ledger.lock\n'
        '\n'
        f'{chained}\n'
        '\n'
        'Traceback (most recent call last):\n'
        '  File "/app/worker.py", line 40, in run\n'
        '    store = open_store()\n'
        '  File "/app/framework.py", line 88, in start\n'
        '    raise StartupError("the worker could not start") from exc\n'
        'framework.StartupError: the worker could not start: connection to the store was reset\n'
    )
    # The outer exception's "connection ... reset" would name another class of failure.
    assert summary(diagnosis).startswith('**A lock is held by another process**')
    assert 'innermost recognized cause' in diagnosis.markdown


async def test_an_unresolved_placeholder_is_a_missing_setting_named_back_not_a_host_name() -> None:
    diagnosis = await diagnose(SPRING_WRAPPERS + "Caused by: java.lang.IllegalArgumentException: Could not resolve "
                               "placeholder 'billing.endpoint' in value \"${billing.endpoint}\"\n")
    assert summary(diagnosis).startswith('**Missing or wrong configuration**')
    assert 'here billing.endpoint' in diagnosis.markdown
    assert 'does not resolve' not in diagnosis.markdown


async def test_a_configuration_answer_says_to_set_the_missing_setting_it_names() -> None:
    diagnosis = await diagnose('2026-11-26 10:00:00 ERROR mailer: required option smtp.relay-host is missing from '
                               '/etc/mailer/mailer.toml\n')
    assert 'here smtp.relay-host' in diagnosis.markdown
    fix = diagnosis.markdown.split('## Fix\n')[1]
    assert fix.startswith('Look up smtp.relay-host')
    assert 'If it is missing or empty, set it' in fix


async def test_a_cause_printed_raw_before_a_process_exit_is_recognized_by_its_words() -> None:
    diagnosis = await diagnose(
        '2026-11-26 10:00:00,000 INFO  scheduler - running job export-nightly\n'
        'export: reading 1200 rows\n'
        'export: /data/exports/.export.lock is held by the run that started at 02:00\n'
        'export: 0 rows written\n'
        '2026-11-26 10:00:01,000 ERROR scheduler - job export-nightly exited with code 2\n'
    )
    assert summary(diagnosis).startswith('**A lock is held by')
    assert 'reports a consequence (A process exited with an error)' in diagnosis.markdown
    cited = '- line 3: ` export: /data/exports/.export.lock is held by the run that started at 02:00 `'
    assert cited in diagnosis.markdown


async def test_the_matched_line_names_the_path_before_the_command_that_ran_it() -> None:
    diagnosis = await diagnose('2026-11-26 10:00:00 INFO deploy - running /usr/local/bin/rotate-keys --dir /srv/keys\n'
                               'open /srv/keys/current.pem: permission denied\n'
                               '2026-11-26 10:00:01 ERROR deploy - rotate-keys exited with status 1\n')
    assert summary(diagnosis).startswith('**Permission or ownership problem on /srv/keys/current.pem**')


async def test_a_module_compiled_against_another_version_is_a_version_mismatch() -> None:
    diagnosis = await diagnose('2026-11-26 10:00:00 ERROR loader: extension compiled against interface version 9, '
                               'the host supports version 8\n')
    assert summary(diagnosis).startswith('**Version mismatch**')
    assert 'version 9, version 8' in diagnosis.markdown
