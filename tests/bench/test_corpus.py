"""The evaluation corpus stays usable: every excerpt has a source and labels that line up with its lines."""

import csv
import importlib.util
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / 'bench'


def _corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location('corpus', BENCH / 'corpus.py')
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules['corpus'] = module
    spec.loader.exec_module(module)
    return module


corpus = _corpus_module()


def test_the_corpus_holds_seventy_labelled_formats_in_three_halves() -> None:
    files = corpus.load()
    assert len(files) >= 70
    assert {corpus_file.half for corpus_file in files} <= set(corpus.HALVES)
    assert sum(corpus_file.half == 'fresh' for corpus_file in files) >= 0
    assert sum(corpus_file.has_templates for corpus_file in files) >= 30
    assert all(len(corpus_file.labels) <= 200 for corpus_file in files)
    assert sum(corpus_file.log.stat().st_size for corpus_file in files) < 2 * 1024 * 1024


def test_every_manifest_entry_names_where_its_excerpt_comes_from() -> None:
    manifest = tomllib.loads((corpus.ROOT / 'MANIFEST.toml').read_text(encoding='utf-8'))
    for entry in manifest['file']:
        assert len(entry['commit']) == 40, entry['name']
        assert entry['repository'].count('/') == 1, entry['name']
        assert entry['licence'], entry['name']


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(corpus.ROOT, tmp_path / 'corpus')
    return tmp_path / 'corpus'


def test_labels_one_line_short_are_refused(copy: Path) -> None:
    labels = copy / 'labels' / 'kafka-server.csv'
    labels.write_text(''.join(labels.read_text(encoding='utf-8').splitlines(keepends=True)[:-1]), encoding='utf-8')
    with pytest.raises(corpus.CorpusError, match="kafka-server: labels must number the excerpt's 20 lines"):
        corpus.load(copy)


def test_an_entry_without_its_commit_is_refused(copy: Path) -> None:
    manifest = copy / 'MANIFEST.toml'
    text = manifest.read_text(encoding='utf-8')
    manifest.write_text(text.replace('commit = "d13173e2df5cf5681216723b4aa70c3fbfc0d403"\n', '', 1), encoding='utf-8')
    with pytest.raises(corpus.CorpusError, match='no commit in the manifest'):
        corpus.load(copy)


def test_a_level_on_a_continuation_line_is_refused(copy: Path) -> None:
    labels = copy / 'labels' / 'nginx-error.csv'
    with labels.open(encoding='utf-8', newline='') as handle:
        rows = list(csv.DictReader(handle))
    rows[3]['level_written'], rows[3]['level'] = 'error', 'ERROR'
    with labels.open('w', encoding='utf-8', newline='') as handle:
        writer = csv.DictWriter(handle, fieldnames=corpus.COLUMNS, lineterminator='\n')
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(corpus.CorpusError, match='nginx-error line 4: only a line that starts an event'):
        corpus.load(copy)


def test_an_excerpt_missing_from_the_manifest_is_refused(copy: Path) -> None:
    (copy / 'logs' / 'stray.log').write_text('a line\n', encoding='utf-8')
    with pytest.raises(corpus.CorpusError, match=r"missing from the manifest: \['stray'\]"):
        corpus.load(copy)


@pytest.mark.parametrize('half', ['heldout', 'fresh'])
def test_the_harness_reports_every_file_of_a_half_on_its_own(half: str) -> None:
    result = subprocess.run([sys.executable, str(BENCH / 'generalise.py'), '--half', half],
                            capture_output=True, text=True, check=False, cwd=BENCH.parent)
    assert result.returncode == 0, result.stderr
    names = [corpus_file.name for corpus_file in corpus.load() if corpus_file.half == half]
    reported = [line.split()[0] for line in result.stdout.splitlines()[2:2 + len(names)]]
    assert reported == names
    assert 'mean' in result.stdout
    assert [other for other in corpus.HALVES if f'{other} half' in result.stdout] == [half]


def test_show_lists_a_template_the_engine_grouped_with_another(copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    generalise = importlib.import_module('generalise')
    labels = copy / 'labels' / 'mongodb-3.2.csv'
    labels.write_text(labels.read_text(encoding='utf-8').replace(
        '30,1,I,INFO,2018-02-05T13:50:56.180+01:00,conn-accepted', '30,1,I,INFO,2018-02-05T13:50:56.180+01:00,other'),
        encoding='utf-8')
    assert generalise._show(corpus.load(copy), 'mongodb-3.2') == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == 'template conn-accepted: lines [9, 20, 31]'
    assert [line.split()[0] for line in shown[1:5]] == ['group'] * 2 + ['!'] + ['group']
    assert 'template other: lines [30]' in shown
    assert generalise._show(corpus.load(copy), 'no-such-file') == 1
