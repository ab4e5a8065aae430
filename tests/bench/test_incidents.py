"""The real-incident set stays usable: every file is complete, its lines line up and it names its thread."""

import importlib.util
import shutil
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / 'bench'


def _incidents_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location('incidents', BENCH / 'incidents.py')
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules['incidents'] = module
    spec.loader.exec_module(module)
    return module


incidents = _incidents_module()


def test_the_set_holds_forty_incidents_of_varied_classes_with_a_hundred_and_eighty_held_out() -> None:
    loaded = incidents.load()
    halves = Counter(incident.half for incident in loaded)
    assert len(loaded) >= 40
    assert halves['held-out'] == 180
    assert len({incident.failure_class for incident in loaded}) >= 10
    assert max(Counter(incident.failure_class for incident in loaded).values()) <= len(loaded) // 4


def test_the_fresh_half_holds_at_least_fifteen_incidents_of_varied_classes_and_systems() -> None:
    fresh = [incident for incident in incidents.load() if incident.half == 'fresh']
    classes = Counter(incident.failure_class for incident in fresh)
    assert len(fresh) >= 15
    assert len(classes) >= 8
    assert max(classes.values()) <= len(fresh) // 3
    assert len({incident.system for incident in fresh}) == len(fresh)


def test_every_incident_comes_from_its_own_thread() -> None:
    sources = Counter(incident.source for incident in incidents.load())
    assert [source for source, count in sources.items() if count > 1] == []


def test_every_root_cause_line_is_a_line_of_its_excerpt() -> None:
    for incident in incidents.load():
        assert all(line.strip() and line in incident.log for line in incident.root_lines), incident.name


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(incidents.ROOT, tmp_path / 'incidents')
    return tmp_path / 'incidents'


def _edit(copy: Path, old: str, new: str) -> None:
    path = copy / '0008-elasticsearch-max-map-count.toml'
    text = path.read_text(encoding='utf-8')
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding='utf-8')


def test_a_root_cause_line_past_the_end_of_the_excerpt_is_refused(copy: Path) -> None:
    _edit(copy, 'root_cause_lines = [2]', 'root_cause_lines = [7]')
    with pytest.raises(incidents.IncidentError, match='0008-elasticsearch-max-map-count: root cause line 7 is not'):
        incidents.load(copy)


def test_a_source_that_is_not_a_thread_is_refused(copy: Path) -> None:
    _edit(copy, "source = 'https://github.com/blacktop/docker-cuckoo/issues/10'",
          "source = 'https://github.com/blacktop/docker-cuckoo'")
    with pytest.raises(incidents.IncidentError, match='is not the address of a public thread'):
        incidents.load(copy)


def test_an_incident_without_its_fix_is_refused(copy: Path) -> None:
    _edit(copy, 'fix = ', 'remedy = ')
    with pytest.raises(incidents.IncidentError, match='0008-elasticsearch-max-map-count: missing fix'):
        incidents.load(copy)


def test_an_unknown_half_is_refused(copy: Path) -> None:
    _edit(copy, "half = 'held-out'", "half = 'heldout'")
    with pytest.raises(incidents.IncidentError, match="half 'heldout' is not one of tune, held-out, fresh"):
        incidents.load(copy)


def _incident(**changes: object) -> Any:  # the bench module is loaded from its path, so its types are not known here
    loaded = {incident.name: incident for incident in incidents.load()}['0008-elasticsearch-max-map-count']
    fields = {name: getattr(loaded, name) for name in loaded.__slots__}
    return incidents.Incident(**{**fields, **changes})


def test_an_answer_is_right_only_in_its_own_words_not_in_the_log_it_quotes() -> None:
    incident = _incident()
    quoting = ('## Evidence\n```text\n     2 | elasticsearch_1  | max virtual memory areas vm.max_map_count [65530] is '
               'too low, increase to at least [262144]\n```\nThe host kernel allows too few memory maps.')
    reasoning = quoting + '\n## Fix\nOn the Docker host run `sysctl -w vm.max_map_count=262144`.'
    assert incidents.missing_terms(quoting, incident) == ['sysctl']
    assert incidents.missing_terms(reasoning, incident) == []


def test_a_command_the_answer_writes_is_its_own_words_but_a_quoted_log_line_in_a_block_is_not() -> None:
    incident = _incident()
    command = '## Fix\n```sh\nsudo sysctl -w vm.max_map_count=262144\n```\nOn the host.'
    quoted = ('## Evidence\n```text\nelasticsearch_1  | max virtual memory areas vm.max_map_count [65530] is too low, '
              'increase to at least [262144]\n     9 | sysctl\n```\nOn the host.')
    assert incidents.missing_terms(command, incident) == []
    assert incidents.missing_terms(quoted, incident) == ['sysctl']


def test_a_term_with_options_is_met_by_any_of_them() -> None:
    incident = _incident(must_mention=('sysctl|kernel parameter', 'host'))
    assert incidents.missing_terms('Raise the kernel parameter on the host.', incident) == []


def test_a_root_cause_line_reaches_the_evidence_through_its_template_but_not_through_a_neighbour() -> None:
    line = ('elasticsearch_1  | max virtual memory areas vm.max_map_count [65530] is too low, '
            'increase to at least [262144]')
    template = ('  template: <*> | max virtual memory areas vm.max_map_count [<*>] is too low, '
                'increase to at least [<*>]')
    neighbour = '      1 | elasticsearch_1  | ERROR: bootstrap checks failed'
    assert incidents.reaches(f'header\n{template}\n', line)
    assert not incidents.reaches(f'header\n{neighbour}\n', line)


def test_an_excerpt_is_buried_whole_at_the_same_place_on_every_run() -> None:
    incident = _incident()
    hay = [f'hay {number}' for number in range(1000)]
    buried = incidents.bury(incident, hay, seed=13)
    assert buried == incidents.bury(incident, hay, seed=13)
    assert '\n'.join(incident.lines) in buried
    assert len(buried.splitlines()) == 1000 + len(incident.lines)
    assert buried != incidents.bury(incident, hay, seed=14)
