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
