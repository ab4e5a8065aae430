"""LogSentry: `python main.py` (or `logsentry`) serves the web app; `... analyze FILE` works without a browser."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import threading
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pydantic import ValidationError

from parsers import Analysis, InputError, LinesCsv, analyze_stream
from services.config import AnalysisSettings, Settings, describe_settings, prepare_data_dir
from services.container import Services
from services.diagnosis.analyzer import Analyzer, DiagnosisError
from services.diagnosis.offline import OfflineAnalyzer, default_group
from services.diagnosis.prompt import build_prompt
from services.diagnosis.redaction import describe_counts
from services.parsing import analyze_path, read_limits
from services.worker import TimedOut

if TYPE_CHECKING:
    from services.accounts.bearer import Authenticator
    from services.accounts.interface import Accounts
    from services.store.database import Database


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        # `analyze` reads only the settings it uses, so a bad server setting (PORT=0) cannot stop it.
        settings = AnalysisSettings() if args.command == 'analyze' else Settings()
    except ValidationError as exc:
        return _fail(f'invalid configuration: {_first_error(exc)}')
    if not isinstance(settings, Settings):
        return _analyze(args, settings)
    from services.secrets import SecretsError, load_secrets  # boto3 loads only for the server

    try:
        settings = load_secrets(settings)
    except SecretsError as exc:
        return _fail(str(exc))
    return _serve(settings)


def cli() -> None:
    """The `logsentry` console script."""
    sys.exit(main())


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
    analyze = commands.add_parser('analyze', help='analyze a log file and print its summary')
    analyze.add_argument('path', help="the log file, or '-' for standard input")
    output = analyze.add_mutually_exclusive_group()
    output.add_argument('--json', action='store_true', help='print the summary as JSON')
    output.add_argument('--prompt', action='store_true',
                        help='print the redacted evidence exactly as it would be sent to the model')
    output.add_argument('--diagnose', action='store_true', help='print the Markdown diagnosis of the top error')
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
    limits = read_limits(settings)
    # A timer, not a worker process: standard input and the events streamed to --lines-csv stay in this process.
    watchdog = threading.Timer(settings.analysis_timeout_seconds, _time_up, [settings.analysis_timeout_seconds])
    watchdog.daemon = True
    watchdog.start()
    try:
        with contextlib.ExitStack() as stack:
            sink = LinesCsv(stack.enter_context(args.lines_csv.open('w', encoding='utf-8'))) if args.lines_csv else None
            if args.path == '-':
                analysis = analyze_stream(sys.stdin.buffer, limits, on_event=sink)
            else:
                analysis = analyze_path(Path(args.path), limits, on_event=sink)
    except InputError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f'cannot write {args.lines_csv}: {exc.strerror}')
    finally:
        watchdog.cancel()
    if args.json:
        json.dump(analysis.to_dict(), sys.stdout, indent=2)
        sys.stdout.write('\n')
    elif args.prompt:
        prompt = build_prompt(analysis, default_group(analysis), budget=budget, redact_ips=settings.redact_ip_addresses)
        print(f'redacted: {describe_counts(prompt.redactions)}', file=sys.stderr)
        sys.stdout.write(f'{prompt.text}\ntokens: {prompt.tokens}\n')
    elif args.diagnose:
        return _diagnose(create_analyzer(settings), analysis)
    else:
        _print_summary(analysis, sys.stdout)
    return 0


def _time_up(seconds: float) -> None:
    sys.stderr.write(f'error: {TimedOut(seconds)}\n')
    sys.stderr.flush()
    os._exit(1)  # from the timer's thread: the reading thread cannot be interrupted; its workers die with it


def _print_summary(analysis: Analysis, out: TextIO) -> None:
    levels = ', '.join(f'{level} {count}' for level, count in analysis.level_counts.items() if count)
    out.write(f'{analysis.lines} lines, {analysis.events} events ({levels or "no levels"})\n')
    for group in analysis.groups[:10]:
        out.write(f'{group.count:>8}  {group.level or "-":<5}  line {group.first_line:<8} {group.template[:100]}\n')


def _diagnose(analyzer: Analyzer, analysis: Analysis) -> int:
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
    from services.store.database import DatabaseUnavailable, open_database
    from services.store.quota import release_stale

    prepare_data_dir(settings)
    try:
        database = open_database(settings.database_location, lock_timeout=settings.database_lock_timeout_seconds)
        release_stale(database)
    except DatabaseUnavailable as exc:
        where = make_url(settings.database_location).render_as_string(hide_password=True)
        return _fail(f'cannot open the database {where}: {exc.reason}')
    if settings.redis_url:  # NiceGUI reads these when it is imported
        os.environ['NICEGUI_REDIS_URL'] = settings.redis_url
        os.environ['NICEGUI_REDIS_KEY_PREFIX'] = settings.redis_key_prefix
    try:
        accounts, bearer = _accounts(settings, database)
    except ValueError as exc:
        return _fail(str(exc))
    from ui.app import serve

    serve(Services(settings=settings, analyzer=create_analyzer(settings), database=database,
                   authenticator=AnyOf([ApiKeyAuthenticator(database), *bearer]), accounts=accounts))
    return 0


def _accounts(settings: Settings, database: Database) -> tuple[Accounts, list[Authenticator]]:
    """Firebase accounts when configured (their ID tokens then also open the API), local accounts otherwise."""
    if settings.firebase_api_key and settings.firebase_project_id:
        from services.accounts.firebase import FirebaseAccounts

        firebase = FirebaseAccounts.from_settings(settings, database)
        return firebase, [firebase]
    from services.accounts.local import LocalAccounts

    return LocalAccounts.from_settings(settings, database), []


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
