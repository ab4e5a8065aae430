import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from parsers import ReadLimits
from services.diagnosis.gemini import GeminiAnalyzer
from services.parsing import analyze_path

ROOT = Path(__file__).parents[1]


async def test_the_server_runs_as_a_process_steered_over_http(fixtures_dir: Path) -> None:
    process = subprocess.Popen([sys.executable, '-m', 'tests.gemini_server', '--port', '0', '--chunk-delay', '0'],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().removeprefix('listening on ')
        replies = json.dumps([{'chunks': ['## Summary\n', 'scripted']}]).encode()
        with urllib.request.urlopen(f'{url}/_control/replies', data=replies, timeout=5) as response:  # noqa: S310
            assert json.load(response) == {'queued': 1}
        gemini = GeminiAnalyzer(api_key='k', model='gemini-2.5-flash', base_url=url)
        analysis = analyze_path(fixtures_dir / 'app.log', ReadLimits())
        assert (await gemini.diagnose(analysis)).markdown == '## Summary\nscripted'
        assert (await gemini.diagnose(analysis)).markdown.startswith('## Summary\nThe service failed')
        with urllib.request.urlopen(f'{url}/_control/requests', timeout=5) as response:  # noqa: S310
            requests = json.load(response)
        assert [request['method'] for request in requests] == ['streamGenerateContent'] * 2
    finally:
        process.terminate()
        process.wait(timeout=10)
