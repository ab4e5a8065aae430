"""LogSentry: `python main.py` (or `logsentry`) serves the web app; `... analyze FILE` works without a browser."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import threading
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pydantic import ValidationError

from parsers import Analysis, InputError
from parsers.compare import Change, Comparison, compare
from services.config import AnalysisSettings, Settings, describe_settings, prepare_data_dir
from services.jobs import InProcess, Runner, parse_file
from services.log_setup import configure_logging
from services.parsing import read_limits

CHUNK = 1024 * 1024

if TYPE_CHECKING:
    from limits.storage import Storage

    from services.accounts.bearer import Authenticator
    from services.accounts.interface import Accounts
    from services.diagnosis.analyzer import Analyzer
    from services.store.database import Database


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        # `analyze` reads only the settings it uses, so a bad server setting (PORT=0) cannot stop it.
        settings = AnalysisSettings() if args.command == 'analyze' else Settings()
    except ValidationError as exc:
        return _fail(f'invalid configuration: {_first_error(exc)}')
    configure_logging(settings)
    if not isinstance(settings, Settings):
        return _analyze(args, settings)
    from services.secrets import SecretsError, load_secrets  # boto3 loads only for the server

    try:
        settings = load_secrets(settings)
    except SecretsError as exc:
        return _fail(str(exc))
    configure_logging(settings)  # again: the secret's values are now known, and masked too
    return _work(settings) if args.command == 'worker' else _serve(settings)


def cli() -> None:
    """The `logsentry` console script."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`... | head`): what it did not read is nobody's loss, and no traceback either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description='LogSentry: drop in a log file, see what went wrong, how often, since when and why. '
        'Without a command it serves the web app.',
        epilog='settings (environment variables or .env):\n' + describe_settings(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument('--version', action='version', version=f'logsentry {_version()}')
    commands = parser.add_subparsers(dest='command')
    commands.add_parser('serve', help='serve the web app (the default)')
    commands.add_parser('worker', help='read logs queued on Redis (REDIS_URL) by the app instances, until stopped')
    analyze = commands.add_parser('analyze', help='analyze a log file and print its summary')
    analyze.add_argument('path', help="the log file, or '-' for standard input")
    output = analyze.add_mutually_exclusive_group()
    output.add_argument('--json', action='store_true', help='print the summary as JSON')
    output.add_argument('--prompt', action='store_true',
                        help='print the redacted evidence exactly as it would be sent to the model')
    output.add_argument('--diagnose', action='store_true', help='print the Markdown diagnosis of the top error')
    analyze.add_argument('--baseline', metavar='GOOD',
                         help='a log of a good run: print which groups are new, gone, growing or shrinking')
    analyze.add_argument('--budget', type=int, metavar='N', help='token budget of the evidence (with --prompt)')
    analyze.add_argument('--lines-csv', metavar='OUT', type=Path,
                         help='also write LineId,EventId,GroupId,Level for every input line to OUT')
    return parser


def _version() -> str:
    try:
        return metadata.version('logsentry')
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return '(not installed)'


def _analyze(args: argparse.Namespace, settings: AnalysisSettings) -> int:
    budget = args.budget or settings.digest_budget_tokens
    if args.budget is not None and (not args.prompt or args.budget < 1000):
        return _fail('--budget goes with --prompt and must be at least 1000')
    if args.baseline and (args.prompt or args.diagnose):
        return _fail('--baseline goes with the summary or --json, not with --prompt or --diagnose')
    limits = read_limits(settings)
    timeout = settings.analysis_timeout_seconds
    try:
        with contextlib.ExitStack() as stack:
            path = Path(args.path) if args.path != '-' else _spool(sys.stdin.fileno(), stack, settings, timeout)
            analysis = parse_file(path, limits, timeout, lines_csv=args.lines_csv)
            baseline = (parse_file(Path(args.baseline), limits, settings.analysis_timeout_seconds) if args.baseline
                        else None)
    except InputError as exc:
        return _fail(str(exc))
    if baseline is not None:
        comparison = compare(analysis, baseline, similarity=settings.template_similarity)
        if args.json:
            json.dump(comparison.to_dict(), sys.stdout, indent=2)
            sys.stdout.write('\n')
        else:
            _print_comparison(comparison, args.baseline, sys.stdout)
    elif args.json:
        json.dump(analysis.to_dict(), sys.stdout, indent=2)
        sys.stdout.write('\n')
    elif args.prompt:
        # The diagnosis modules load only for the commands that use them: a summary starts without them.
        from services.diagnosis.offline import default_group
        from services.diagnosis.prompt import build_prompt
        from services.diagnosis.redaction import describe_counts

        prompt = build_prompt(analysis, default_group(analysis), budget=budget, redact_ips=settings.redact_ip_addresses)
        print(f'redacted: {describe_counts(prompt.redactions)}', file=sys.stderr)
        sys.stdout.write(f'{prompt.text}\ntokens: {prompt.tokens}\n')
    elif args.diagnose:
        return _diagnose(create_analyzer(settings), analysis)
    else:
        _print_summary(analysis, sys.stdout)
    return 0


def _spool(stdin: int, stack: contextlib.ExitStack, settings: AnalysisSettings, timeout: float) -> Path:
    """Standard input, copied to a file the worker process can open (it cannot read this process's stdin), up to
    MAX_UPLOAD_MB and within `timeout` seconds (ANALYSIS_TIMEOUT_SECONDS: the analysis then has as long again).

    The copy runs in a thread so that a writer that never finishes cannot hold the CLI past its time; it reads the
    descriptor itself (os.read), not `sys.stdin`, whose lock a thread left reading would hold at exit.
    """
    path = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix='logsentry-'))) / 'stdin'
    failed: list[InputError] = []

    def copy() -> None:
        copied = 0
        try:
            with path.open('wb') as out:
                while chunk := os.read(stdin, CHUNK):
                    copied += len(chunk)
                    if copied > settings.max_upload_bytes:
                        failed.append(InputError(f'standard input is larger than {settings.max_upload_mb} MB '
                                                 '(MAX_UPLOAD_MB)'))
                        return
                    out.write(chunk)
        except OSError as exc:
            failed.append(InputError(f'cannot read standard input: {exc.strerror}'))

    reader = threading.Thread(target=copy, name='stdin', daemon=True)
    reader.start()
    reader.join(timeout)
    if reader.is_alive():
        raise InputError(f'standard input did not end within {timeout:g} seconds (ANALYSIS_TIMEOUT_SECONDS)')
    if failed:
        raise failed[0]
    return path


def _print_summary(analysis: Analysis, out: TextIO) -> None:
    levels = ', '.join(f'{level} {count}' for level, count in analysis.level_counts.items() if count)
    out.write(f'{analysis.lines} lines, {analysis.events} events ({levels or "no levels"})\n')
    for group in analysis.groups[:10]:
        out.write(f'{group.count:>8}  {group.level or "-":<5}  line {group.first_line:<8} {group.template[:100]}\n')


def _print_comparison(comparison: Comparison, baseline_name: str, out: TextIO, listed: int = 50) -> None:
    out.write(f'Compared with {baseline_name} (counts as rates per {comparison.basis.value}): {comparison.counts()}\n')
    rows = [row for row in comparison.ordered() if row.change is not Change.UNCHANGED]
    for row in rows[:listed]:
        where = f'line {row.log.first_line}' if row.log.first_line else f'baseline line {row.baseline.first_line}'
        seen = row.log.first_seen or row.baseline.first_seen
        when = f', {seen.isoformat()}' if seen else ''
        out.write(f'{row.change.value:<9}  {row.level or "-":<5}  {row.log.count:>7} now {row.baseline.count:>7} '
                  f'before  first at {where}{when}\n{"":11}{row.template[:110]}\n')
    if len(rows) > listed:
        out.write(f'... and {len(rows) - listed} more changes (--json lists them all)\n')


def _diagnose(analyzer: Analyzer, analysis: Analysis) -> int:
    from services.diagnosis.analyzer import DiagnosisError

    def write(chunk: str) -> None:
        sys.stdout.write(chunk)
        sys.stdout.flush()

    try:
        asyncio.run(analyzer.diagnose(analysis, None, write))
    except DiagnosisError as exc:
        return _fail(str(exc))
    sys.stdout.write('\n')
    return 0


def create_analyzer(settings: AnalysisSettings) -> Analyzer:
    from services.diagnosis.offline import OfflineAnalyzer

    if settings.gemini_api_key is None:
        return OfflineAnalyzer()
    from services.diagnosis.gemini import FallbackAnalyzer, GeminiAnalyzer  # google-genai loads only when it is used

    gemini = GeminiAnalyzer(
        api_key=settings.gemini_api_key.get_secret_value(), model=settings.gemini_model,
        base_url=settings.google_gemini_base_url, budget=settings.digest_budget_tokens,
        timeout=settings.gemini_timeout_seconds, retries=settings.gemini_max_retries,
        redact_ips=settings.redact_ip_addresses, max_output_tokens=settings.gemini_max_output_tokens,
        thinking_budget=settings.gemini_thinking_budget,
    )
    return FallbackAnalyzer(gemini, OfflineAnalyzer())


def _serve(settings: Settings) -> int:
    # The database and the web server are imported here, so `analyze` starts quickly without them.
    from sqlalchemy.engine import make_url

    from services.accounts.bearer import AnyOf, ApiKeyAuthenticator
    from services.container import Services
    from services.ingest import Ingest
    from services.state import open_state
    from services.store.database import DatabaseUnavailable, open_database
    from services.store.quota import release_stale

    prepare_data_dir(settings)
    try:
        database = open_database(settings.database_location, lock_timeout=settings.database_lock_timeout_seconds)
        release_stale(database)
    except DatabaseUnavailable as exc:
        where = make_url(settings.database_location).render_as_string(hide_password=True)
        return _fail(f'cannot open the database {where}: {exc.reason}')
    state = open_state(settings)
    try:
        accounts, bearer = _accounts(settings, database, state.counters)
    except ValueError as exc:
        return _fail(str(exc))
    from ui.app import serve

    serve(Services(settings=settings, analyzer=create_analyzer(settings), database=database,
                   authenticator=AnyOf([ApiKeyAuthenticator(database), *bearer]), accounts=accounts,
                   sign_ins=state.sign_ins,
                   ingest=Ingest(settings=settings, database=database, runner=_runner(settings))))
    return 0


def _runner(settings: Settings) -> Runner:
    """Where logs are read: by the worker pool behind the queue when there is Redis, else in this app's processes."""
    if settings.redis_url:
        from services.queue import AnalysisQueue

        return AnalysisQueue.from_settings(settings)
    return InProcess(settings.analysis_timeout_seconds)


def _work(settings: Settings) -> int:
    if not settings.redis_url:
        return _fail('the worker reads the logs queued on Redis: set REDIS_URL, as for the app')
    from services.queue import work  # RQ loads only for the worker and the app that queues
    from services.redis_unavailable import RedisUnavailable

    try:
        work(settings)
    except RedisUnavailable as exc:
        return _fail(f'cannot reach the Redis of the job queue (REDIS_URL): {exc.reason}')
    return 0


def _accounts(settings: Settings, database: Database, counters: Storage) -> tuple[Accounts, list[Authenticator]]:
    """Firebase accounts when configured (their ID tokens then also open the API), local accounts otherwise."""
    if settings.firebase_api_key and settings.firebase_project_id:
        from services.accounts.firebase import FirebaseAccounts

        firebase = FirebaseAccounts.from_settings(settings, database, counters=counters)
        return firebase, [firebase]
    from services.accounts.local import LocalAccounts

    return LocalAccounts.from_settings(settings, database, counters=counters), []


def _fail(message: str) -> int:
    print(f'error: {message}', file=sys.stderr)
    return 1


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = '.'.join(str(part) for part in error['loc']).upper()
    return f'{where}: {error["msg"]}'


def _simulated() -> bool:
    # NiceGUI's `user` test fixture runs this file as __main__ with pytest's argv; serve with no arguments then.
    nicegui = sys.modules.get('nicegui')
    return bool(nicegui and nicegui.helpers.is_user_simulation())


if __name__ == '__main__':
    if _simulated():
        main([])
    else:
        cli()
