"""The Terraform in infra/, parsed with python-hcl2: the security properties the deployment promises."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hcl2
import pytest

REPO = Path(__file__).parents[2]
WORLD = {'0.0.0.0/0', '::/0'}
WEB_PORTS = {80, 443}
# Actions AWS offers no resource-level permissions for: the only ones allowed on `*`.
STAR_RESOURCE_ACTIONS = {'ecr:GetAuthorizationToken', 'ssm:GetCommandInvocation'}
# AWS's own managed policies the roles may carry.
MANAGED_POLICIES = {'AmazonSSMManagedInstanceCore'}
SECRET_KEYS = {'GEMINI_API_KEY', 'FIREBASE_CREDENTIALS', 'STORAGE_SECRET', 'DATABASE_URL'}
_OPTIONS = hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False)

Blocks = dict[str, dict[str, dict[str, Any]]]


class Infra:
    """Every .tf file of a directory, merged: resources and data sources by type and name, variables, locals."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.resources: Blocks = {}
        self.data: Blocks = {}
        self.variables: dict[str, dict[str, Any]] = {}
        self.locals: dict[str, Any] = {}
        self.terraform: list[dict[str, Any]] = []
        for path in sorted(directory.glob('*.tf')):
            document = hcl2.loads(path.read_text(), serialization_options=_OPTIONS)
            for kind, target in (('resource', self.resources), ('data', self.data)):
                for block in document.get(kind, []):
                    for type_, named in block.items():
                        target.setdefault(type_, {}).update(named)
            for block in document.get('variable', []):
                self.variables.update(block)
            for block in document.get('locals', []):
                self.locals.update(block)
            self.terraform += document.get('terraform', [])

    def of_type(self, type_: str) -> dict[str, dict[str, Any]]:
        return self.resources.get(type_, {})


def world_open_ports(infra: Infra) -> list[str]:
    """Rules that open anything but 80 and 443 to the whole internet, in or out, or any port 22 at all."""
    problems = []
    for type_, name, rule in _rules(infra):
        cidrs = {*_as_list(rule.get('cidr_blocks')), *_as_list(rule.get('ipv6_cidr_blocks')),
                 *_as_list(rule.get('cidr_ipv4')), *_as_list(rule.get('cidr_ipv6'))}
        for low, high in _port_ranges(infra, rule):
            if low is None or high is None:
                problems.append(f'{type_}.{name}: ports {rule.get("from_port")!r} cannot be checked')
                continue
            if low <= 22 <= high:
                problems.append(f'{type_}.{name}: port 22')
            if cidrs & WORLD and not set(range(low, high + 1)) <= WEB_PORTS:
                problems.append(f'{type_}.{name}: ports {low}-{high} open to {sorted(cidrs & WORLD)}')
    return problems


def imdsv1_instances(infra: Infra) -> list[str]:
    problems = []
    for type_ in ('aws_instance', 'aws_launch_template'):
        for name, body in infra.of_type(type_).items():
            options = _first(body.get('metadata_options'))
            if options.get('http_tokens') != 'required':
                problems.append(f'{type_}.{name}: IMDSv2 not required')
    return problems


def unencrypted_volumes(infra: Infra) -> list[str]:
    problems = []
    for name, body in infra.of_type('aws_instance').items():
        if _first(body.get('root_block_device')).get('encrypted') is not True:
            problems.append(f'aws_instance.{name}: root volume not encrypted')
        for device in _as_list(body.get('ebs_block_device')):
            if device.get('encrypted') is not True:
                problems.append(f'aws_instance.{name}: EBS device not encrypted')
    for name, body in infra.of_type('aws_ebs_volume').items():
        if body.get('encrypted') is not True:
            problems.append(f'aws_ebs_volume.{name}: not encrypted')
    return problems


def broad_permissions(infra: Infra) -> list[str]:
    """Wildcard actions, `*` resources beyond the actions that need them, and managed policies not on the list."""
    problems = []
    for where, statement in _policy_statements(infra):
        actions = set(_as_list(statement.get('actions')))
        resources = set(_as_list(statement.get('resources')))
        if 'not_actions' in statement or 'not_resources' in statement:
            problems.append(f'{where}: NotAction/NotResource')
        problems += [f'{where}: wildcard action {action}' for action in sorted(actions) if '*' in action]
        if '*' in resources and not actions <= STAR_RESOURCE_ACTIONS:
            problems.append(f'{where}: `*` resource for {sorted(actions - STAR_RESOURCE_ACTIONS)}')
    for name, body in infra.of_type('aws_iam_role_policy_attachment').items():
        if body['policy_arn'].rsplit('/', 1)[-1] not in MANAGED_POLICIES:
            problems.append(f'aws_iam_role_policy_attachment.{name}: {body["policy_arn"]}')
    return problems


def loose_oidc_trust(infra: Infra) -> list[str]:
    """Web-identity trust must pin the audience and one repository's one branch, with exact matches only."""
    problems = []
    trusts = [(where, s) for where, s in _policy_statements(infra)
              if 'sts:AssumeRoleWithWebIdentity' in _as_list(s.get('actions'))]
    if not trusts:
        return ['no role trusts GitHub OIDC']
    for where, statement in trusts:
        conditions = {c['variable']: c for c in _as_list(statement.get('condition'))}
        audience = conditions.get('token.actions.githubusercontent.com:aud', {})
        subject = conditions.get('token.actions.githubusercontent.com:sub', {})
        if audience.get('test') != 'StringEquals' or audience.get('values') != ['sts.amazonaws.com']:
            problems.append(f'{where}: audience not pinned to sts.amazonaws.com')
        expected = ['repo:${var.github_repository}:ref:refs/heads/${var.github_branch}']
        if subject.get('test') != 'StringEquals' or subject.get('values') != expected:
            problems.append(f'{where}: subject not pinned to the repository and branch: {subject}')
    if infra.variables.get('github_branch', {}).get('default') != 'main':
        problems.append('github_branch does not default to main')
    return problems


def undocumented_variables(infra: Infra) -> list[str]:
    return [f'variable {name}: needs a type and a description' for name, body in infra.variables.items()
            if not body.get('type') or not str(body.get('description', '')).strip()]


def _rules(infra: Infra) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for name, body in infra.of_type('aws_security_group').items():
        for direction in ('ingress', 'egress'):
            for rule in _as_list(body.get(direction)):
                yield 'aws_security_group', f'{name}.{direction}', rule
    for type_ in ('aws_security_group_rule', 'aws_vpc_security_group_ingress_rule',
                  'aws_vpc_security_group_egress_rule'):
        for name, rule in infra.of_type(type_).items():
            yield type_, name, rule


def _port_ranges(infra: Infra, rule: dict[str, Any]) -> list[tuple[int | None, int | None]]:
    """Literal ports, or `each.value` over a literal local map; anything else cannot be checked (None)."""
    if str(rule.get('ip_protocol', rule.get('protocol'))) in {'-1', 'all'}:
        return [(0, 65535)]
    low, high = rule.get('from_port'), rule.get('to_port')
    if isinstance(low, int) and isinstance(high, int):
        return [(low, high)]
    for_each = re.fullmatch(r'\$\{local\.(\w+)\}', str(rule.get('for_each', '')))
    if low == high == '${each.value}' and for_each and isinstance(infra.locals.get(for_each.group(1)), dict):
        return [(port, port) if isinstance(port, int) else (None, None)
                for port in infra.locals[for_each.group(1)].values()]
    return [(None, None)]


def _policy_statements(infra: Infra) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, body in infra.data.get('aws_iam_policy_document', {}).items():
        for statement in _as_list(body.get('statement')):
            yield f'aws_iam_policy_document.{name}', statement
        for dynamic in _as_list(body.get('dynamic')):
            for content in _as_list(dynamic.get('statement', {}).get('content')):
                yield f'aws_iam_policy_document.{name} (dynamic)', content
    # Inline JSON policies would escape the checks above: only policy documents are allowed.
    for type_ in ('aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_role'):
        for name, body in infra.of_type(type_).items():
            for key in ('policy', 'assume_role_policy'):
                if key in body and not re.fullmatch(r'\$\{data\.aws_iam_policy_document\.\w+\.json\}', body[key]):
                    yield f'{type_}.{name}', {'actions': ['*'], 'resources': ['*'], 'not_actions': 'inline'}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(value: Any) -> dict[str, Any]:
    items = _as_list(value)
    return items[0] if items else {}


CHECKS = [world_open_ports, imdsv1_instances, unencrypted_volumes, broad_permissions, loose_oidc_trust,
          undocumented_variables]


@pytest.fixture(scope='module')
def infra() -> Infra:
    return Infra(REPO / 'infra')


@pytest.mark.parametrize('check', CHECKS, ids=[check.__name__ for check in CHECKS])
def test_the_infrastructure_passes(infra: Infra, check: Any) -> None:
    assert check(infra) == []


def test_only_the_web_ports_are_open(infra: Infra) -> None:
    ports = {port for _, _, rule in _rules(infra) for low, high in _port_ranges(infra, rule)
             for port in range(low or 0, (high or 0) + 1)}
    assert ports == WEB_PORTS


def test_there_is_no_ssh_key(infra: Infra) -> None:
    assert 'aws_key_pair' not in infra.resources
    assert all('key_name' not in body for body in infra.of_type('aws_instance').values())


def test_the_secret_comes_from_a_sensitive_variable(infra: Infra) -> None:
    version = next(iter(infra.of_type('aws_secretsmanager_secret_version').values()))
    assert version['secret_string'] == '${jsonencode(var.app_secrets)}'
    assert infra.variables['app_secrets']['sensitive'] is True
    assert 'default' not in infra.variables['app_secrets']
    assert set(re.findall(r'"([A-Z_]+)"', infra.variables['app_secrets']['validation'][0]['condition'])) == SECRET_KEYS


def test_the_instance_role_reads_only_its_own_secret(infra: Infra) -> None:
    statements = [s for _, s in _policy_statements(infra) if 'secretsmanager:GetSecretValue' in s['actions']]
    assert [s['resources'] for s in statements] == [['${aws_secretsmanager_secret.app.arn}']]


def test_providers_are_pinned_and_remote_state_is_shown(infra: Infra) -> None:
    aws = infra.terraform[0]['required_providers'][0]['aws']
    assert aws['source'] == 'hashicorp/aws' and aws['version'].startswith('~>')
    comments = ' '.join(c['value'] for c in infra.terraform[0]['__comments__'])
    assert 'backend "s3"' in comments and 'use_lockfile = true' in comments and 'encrypt      = true' in comments


def test_user_data_gets_exactly_the_values_it_uses(infra: Infra) -> None:
    call = infra.of_type('aws_instance')['app']['user_data']
    passed = set(re.findall(r'(\w+)\s*=', call))
    template = (infra.directory / 'user_data.sh.tftpl').read_text()
    used = set(re.findall(r'(?<!\$)\$\{\s*(?:replace\()?([a-z_]+)', template))
    used |= set(re.findall(r'%\{\s*(?:if|for \w+, \w+ in)\s+([a-z_]+)', template))
    assert used - {'key', 'value'} == passed


def test_user_data_serves_https_through_caddy_and_logs_to_cloudwatch(infra: Infra) -> None:
    template = (infra.directory / 'user_data.sh.tftpl').read_text()
    assert re.search(r'^\$\{domain_name\} \{$', template, re.MULTILINE)  # Caddy's automatic HTTPS for the domain
    assert 'reverse_proxy 127.0.0.1:${app_port}' in template
    for stream in ('caddy', 'app', 'redis', '"worker-$number"'):
        assert f'--log-opt awslogs-stream={stream}' in template
    assert template.count('--log-driver awslogs') == 4  # Caddy, the app, Redis and the workers
    assert 'AWS_SECRET_ID=${secret_id}' in template
    assert 'http://127.0.0.1:${app_port}/healthz' in template
    assert '--volume ${data_mount}:/data' in template


def test_tfvars_example_sets_declared_variables_and_every_required_one(infra: Infra) -> None:
    example = hcl2.loads((infra.directory / 'terraform.tfvars.example').read_text(), serialization_options=_OPTIONS)
    example = {name: value for name, value in example.items() if not name.startswith('__')}
    assert set(example) <= set(infra.variables)
    required = {name for name, body in infra.variables.items() if 'default' not in body and not body.get('sensitive')}
    assert required <= set(example)


# A deliberately broken copy of infra/ must fail the check that guards each property.

def _broken(repo_copy: Path, file: str, old: str, new: str) -> Infra:
    path = repo_copy / 'infra' / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return Infra(repo_copy / 'infra')


SSH_RULE = """
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/0"
}
"""


@pytest.mark.parametrize(
    ('file', 'old', 'new', 'check', 'problem'),
    [
        ('main.tf', 'resource "aws_instance" "app" {', SSH_RULE + 'resource "aws_instance" "app" {',
         world_open_ports, 'aws_vpc_security_group_ingress_rule.ssh: port 22'),
        ('main.tf', 'https = 443 }', 'https = 443, ssh = 22 }', world_open_ports,
         'aws_vpc_security_group_egress_rule.web: port 22'),
        ('main.tf', 'from_port         = each.value', 'from_port         = 0', world_open_ports,
         'aws_vpc_security_group_egress_rule.web: ports 0 cannot be checked'),
        ('main.tf', 'to_port           = 443', 'to_port           = 8443', world_open_ports,
         'aws_vpc_security_group_ingress_rule.https: ports 443-8443 open to'),
        ('main.tf', 'http_tokens                 = "required"', 'http_tokens                 = "optional"',
         imdsv1_instances, 'aws_instance.app: IMDSv2 not required'),
        ('main.tf', '    encrypted             = true', '    encrypted             = false', unencrypted_volumes,
         'aws_instance.app: root volume not encrypted'),
        ('main.tf', '  encrypted         = true', '  encrypted         = false', unencrypted_volumes,
         'aws_ebs_volume.data: not encrypted'),
        ('iam.tf', '"secretsmanager:GetSecretValue"', '"secretsmanager:*"', broad_permissions,
         'aws_iam_policy_document.app: wildcard action secretsmanager:*'),
        ('iam.tf', 'resources = [aws_secretsmanager_secret.app.arn]', 'resources = ["*"]', broad_permissions,
         "aws_iam_policy_document.app: `*` resource for ['secretsmanager:GetSecretValue']"),
        ('iam.tf', 'policy = data.aws_iam_policy_document.deploy.json', 'policy = jsonencode({})', broad_permissions,
         'aws_iam_role_policy.deploy: NotAction/NotResource'),
        ('iam.tf', 'policy/AmazonSSMManagedInstanceCore', 'policy/AdministratorAccess', broad_permissions,
         'aws_iam_role_policy_attachment.ssm_core: arn:${data.aws_partition.current.partition}:iam::aws:policy/'
         'AdministratorAccess'),
        ('iam.tf', 'ref:refs/heads/${var.github_branch}', '*', loose_oidc_trust,
         'aws_iam_policy_document.github_assume: subject not pinned'),
        ('variables.tf', '''  default     = "main"''', '''  default     = "develop"''', loose_oidc_trust,
         'github_branch does not default to main'),
        ('variables.tf', '  type        = string\n  description = "AWS region', '  description = "AWS region',
         undocumented_variables, 'variable aws_region: needs a type and a description'),
    ],
    ids=['ssh-rule', 'ssh-in-the-port-map', 'unknown-port', 'port-range', 'imdsv1', 'plain-root-volume',
         'plain-data-volume', 'wildcard-action', 'star-resource', 'inline-policy', 'admin-policy', 'any-branch',
         'other-branch', 'untyped-variable'],
)
def test_a_broken_copy_fails_its_check(
    repo_copy: Path, file: str, old: str, new: str, check: Any, problem: str
) -> None:
    problems = check(_broken(repo_copy, file, old, new))
    assert any(found.startswith(problem) for found in problems), problems
