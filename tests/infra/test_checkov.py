"""checkov's policies over the Terraform, the Dockerfile and the workflows: nothing fails, and every skip says why."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

FRAMEWORKS = ('terraform', 'dockerfile', 'github_actions')


def checkov_reports(checkov: str, directory: Path) -> dict[str, dict[str, Any]]:
    """One checkov run over a directory, its reports by framework."""
    result = subprocess.run(
        [checkov, '--skip-download', '--directory', str(directory), '--framework', *FRAMEWORKS, '--output', 'json'],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode in {0, 1}, result.stderr[-2000:]
    reports = json.loads(result.stdout)
    return {report['check_type']: report for report in (reports if isinstance(reports, list) else [reports])}


def failed(report: dict[str, Any]) -> list[str]:
    return sorted(f'{c["check_id"]} {c["resource"]}' for c in report['results']['failed_checks'])


@pytest.fixture(scope='module')
def reports(checkov: str, deployment_files: Path) -> dict[str, dict[str, Any]]:
    return checkov_reports(checkov, deployment_files)


@pytest.mark.parametrize('framework', FRAMEWORKS)
def test_checkov_passes_with_every_skip_explained(reports: dict[str, dict[str, Any]], framework: str) -> None:
    report = reports[framework]
    assert report['summary']['parsing_errors'] == 0
    assert report['summary']['passed'] > 0
    assert failed(report) == []
    for skipped in report['results']['skipped_checks']:
        reason = skipped['check_result'].get('suppress_comment', '')
        assert len(reason) > 20, f'{skipped["check_id"]} on {skipped["resource"]} is skipped without a reason'


def test_checkov_fails_a_broken_copy(checkov: str, repo_copy: Path) -> None:
    main_tf = repo_copy / 'infra' / 'main.tf'
    main_tf.write_text(main_tf.read_text() + """
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.web.id
  description       = "SSH"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/0"
}
""")
    iam_tf = repo_copy / 'infra' / 'iam.tf'
    iam_tf.write_text(
        iam_tf.read_text().replace('resources = [aws_secretsmanager_secret.app.arn]', 'resources = ["*"]', 1)
    )
    dockerfile = repo_copy / 'Dockerfile'
    dockerfile.write_text(dockerfile.read_text().replace('USER 10001:10001', 'USER root'))
    ci = repo_copy / '.github' / 'workflows' / 'ci.yml'
    ci.write_text(ci.read_text().replace('permissions:\n  contents: read\n', 'permissions: write-all\n'))

    reports = checkov_reports(checkov, repo_copy)

    terraform = failed(reports['terraform'])
    assert 'CKV_AWS_24 aws_vpc_security_group_ingress_rule.ssh' in terraform  # port 22 open to the world
    assert 'CKV_AWS_356 aws_iam_policy_document.app' in terraform  # `*` resource for a restrictable action
    assert failed(reports['dockerfile']) == ['CKV_DOCKER_8 /Dockerfile.USER']  # the image runs as root
    assert [f for f in failed(reports['github_actions']) if f.startswith('CKV2_GHA_1 ')]  # write-all


def test_every_skip_is_listed_in_the_deployment_guide(reports: dict[str, dict[str, Any]]) -> None:
    guide = (Path(__file__).parents[2] / 'docs' / 'deploy.md').read_text()
    skipped = {c['check_id'] for report in reports.values() for c in report['results']['skipped_checks']}
    assert skipped
    assert sorted(check for check in skipped if check not in guide) == []
