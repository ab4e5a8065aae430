"""What a message itself says: the remedy it gives in an imperative sentence, the cause a program printed before the
exit code that only reports it, and the line of a message that says what went wrong. Every log here is
synthetic."""

import pytest

from tests.services.diagnosis.test_offline_causes import summary
from tests.services.diagnosis.test_offline_reasoning import diagnose


@pytest.mark.parametrize(('log', 'quoted'), [
    ('2026-11-26 10:00:00 ERROR deps: the lock file lists no build for this machine. Add the missing platform '
     'with `deps lock --platform linux-arm64` and run again.\n',
     'Add the missing platform with \\`deps lock --platform linux-arm64\\` and run again.'),
    ('2026-11-26 10:00:00 ERROR sync: the schema cache is stale. Run `sync --rebuild-cache` before the next '
     'import.\n', 'Run \\`sync --rebuild-cache\\` before the next import.'),
    ('2026-11-26 10:00:00 ERROR installer: conflicting requirements for ui-kit, or retry this command with '
     '--ignore-conflicts\n', 'retry this command with --ignore-conflicts'),
])
async def test_an_imperative_the_message_gives_is_quoted(log: str, quoted: str) -> None:
    markdown = (await diagnose(log)).markdown
    assert f'## What the message says to do\n> {quoted}' in markdown, markdown


@pytest.mark.parametrize('log', [
    # A sentence that opens with a verb but acts on nothing is a report, not a remedy.
    '2026-11-26 10:00:00 ERROR updater: check failed. Update available for 3 packages, download refused.\n',
    # The statement a database error quotes is what failed.
    '2026-11-26 10:00:00 ERROR migrate: relation "orders" already exists (SQL: create table orders (id int))\n',
])
async def test_a_report_or_a_quoted_statement_is_no_remedy(log: str) -> None:
    assert 'What the message says to do' not in (await diagnose(log)).markdown


async def test_a_process_exit_points_at_the_output_before_it_that_says_what_to_do() -> None:
    diagnosis = await diagnose(
        'resolving packages for this machine...\n'
        '  the lock file was written for darwin-arm64 only; your machine is linux-x64.\n'
        '  Add your platform to the lock file with `pkgtool lock --add linux-x64` and try again.\n'
        'Error: The step /usr/bin/pkgtool failed with exit code 3\n'
    )
    assert summary(diagnosis).startswith('**A process exited with an error**')
    assert 'your machine is linux-x64. ` (line 2), says what went wrong and what to do' in diagnosis.markdown
    assert '> Add your platform to the lock file with' in diagnosis.markdown


async def test_a_process_exit_with_nothing_said_before_it_quotes_nothing() -> None:
    diagnosis = await diagnose('starting the nightly export\nError: The step /usr/bin/export failed with exit code 3\n')
    assert 'says what went wrong and what to do' not in diagnosis.markdown
    assert 'What the message says to do' not in diagnosis.markdown


async def test_an_unknown_message_is_cited_by_its_line_that_says_what_went_wrong() -> None:
    diagnosis = await diagnose('backup-runner --config /etc/backup.conf\n--target=/mnt/archive --keep=7\n'
                               'ERR_VAULT_SEALED: the vault refused the snapshot token\n')
    assert summary(diagnosis).startswith('**Unrecognized error**')
    assert 'whose line 3 says ` ERR_VAULT_SEALED: the vault refused the snapshot token `' in summary(diagnosis)


async def test_what_the_message_says_one_has_to_do_is_quoted() -> None:
    diagnosis = await diagnose('2026-11-26 10:00:00 ERROR compose: the name "/cache" is already in use by another '
                               'container. You have to remove (or rename) that container to reuse the name.\n')
    markdown = diagnosis.markdown
    assert '> You have to remove (or rename) that container to reuse the name.' in markdown
