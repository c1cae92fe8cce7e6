"""`vmo`: the command line (interfaces.md). Thin: every command calls the same pipeline code.

Exit codes: 0 done (for `run`: published); 1 checks blocked publishing (the previous warehouse
stays) or the run failed; 2 bad arguments, a bad configuration or an unreadable landing folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from orchestration.settings import Settings, SettingsError, load_settings

app = typer.Typer(
    help="Value Management Office pipeline: delivery and value KPIs on one scorecard.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help text: with Rich markup on, every "[env VMO_...; default ...]" below was read as
    # a style tag and dropped from --help.
    rich_markup_mode=None,
)

LandingOpt = Annotated[
    Path | None,
    typer.Option("--landing", help="Landing folder [env VMO_LANDING_DIR; default data/landing]."),
]
WarehouseOpt = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="Published DuckDB file [env VMO_WAREHOUSE; default data/warehouse.duckdb].",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="The pipeline's 'now', YYYY-MM-DD, inclusive [env VMO_AS_OF; default today, UTC].",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="vmo.toml [env VMO_CONFIG; default ./vmo.toml when present]."),
]
EngineOpt = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="What builds the models: duckdb (embedded) or spark [env VMO_ENGINE; vmo.toml [engine] name;"
        " default duckdb]. Either way the same warehouse file is published.",
    ),
]
ScaleOpt = Annotated[str, typer.Option("--scale", help="Demo size: S, M or L.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same files.")]


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"vmo: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _settings(**kwargs) -> Settings:
    try:
        return load_settings(**kwargs)
    except SettingsError as exc:
        raise _fail(str(exc)) from exc


def _check_scale(scale: str) -> str:
    if scale not in ("S", "M", "L"):
        raise _fail(f"--scale must be S, M or L, got {scale!r}")
    return scale


def _date_option(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise _fail(f"{name}: expected a date YYYY-MM-DD, got {value!r}") from exc


@app.command(short_help="Write deterministic demo data into a landing folder.")
def generate(
    out: Annotated[Path, typer.Option("--out", help="Landing folder to write.")],
    scale: ScaleOpt = "S",
    seed: SeedOpt = 42,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="First day, YYYY-MM-DD [default: 18, 24 or 36 months before --end at S, M or L]."
        ),
    ] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day, YYYY-MM-DD [default today].")] = None,
    bad_records: Annotated[
        bool, typer.Option("--bad-records", help="Mix in contract violations (every quarantine reason).")
    ] = False,
) -> None:
    """Write deterministic demo data in the landing-zone shapes (no pipeline run)."""
    from orchestration.demo.generator import generate as generate_files

    try:
        summary = generate_files(
            out,
            _check_scale(scale),
            seed,
            _date_option(start, "--start"),
            _date_option(end, "--end"),
            bad_records=bad_records,
        )
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    records = ", ".join(f"{k} {v}" for k, v in summary.records.items())
    typer.echo(f"wrote {summary.files} files to {out}: {records}")
    if summary.kept:
        typer.echo(
            f"note: {summary.kept} file{'s' if summary.kept != 1 else ''} already in {out} left as"
            " they were, which a run reads with the new ones: generate into an empty folder for this"
            " organisation alone",
            err=True,
        )


@app.command(short_help="Ingest, build, check and publish: one whole pipeline run.")
def run(
    landing: LandingOpt = None,
    warehouse: WarehouseOpt = None,
    as_of: AsOfOpt = None,
    config: ConfigOpt = None,
    engine: EngineOpt = None,
) -> None:
    """One whole pipeline run: ingest -> dbt build -> data checks -> publish.

    Exit 0 when it published; 1 when checks blocked publishing (the previous warehouse
    stays) or the run failed; 2 on bad arguments, a bad vmo.toml, or a landing folder that
    cannot be read or holds nothing to ingest.
    """
    from orchestration.runner import LandingError, run_pipeline

    settings = _settings(landing=landing, warehouse=warehouse, as_of=as_of, config=config, engine=engine)
    try:
        outcome = run_pipeline(settings)
    except LandingError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(outcome.summary())
    for line in outcome.report:
        typer.echo(f"  {line}")
    if outcome.outcome != "published":
        raise typer.Exit(1)


LOOPBACK = "127.0.0.1"
_HOST_HELP = (
    "Address to listen on. The default, 127.0.0.1, serves this machine only; any other"
    " address (0.0.0.0: every interface) {exposes} to everyone who can reach it, without a login."
)
_SCORECARDS = "shows the scorecards"
_DAGSTER_UI = "opens Dagster's UI, where runs are started and cancelled,"
HostOpt = Annotated[str, typer.Option("--host", help=_HOST_HELP.format(exposes=_SCORECARDS))]
DagsterHostOpt = Annotated[str, typer.Option("--host", help=_HOST_HELP.format(exposes=_DAGSTER_UI))]


def _warn_if_exposed(host: str, port: int, anyone_who_can_reach_it: str) -> None:
    if host not in (LOOPBACK, "localhost", "::1"):
        typer.echo(
            f"warning: listening on {host}, not on this machine only: anyone who can reach"
            f" {host}:{port} {anyone_who_can_reach_it}, with no login.",
            err=True,
        )


@app.command(short_help="Serve the Streamlit scorecards (read-only).")
def dashboard(
    warehouse: WarehouseOpt = None,
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8501,
    host: HostOpt = LOOPBACK,
    config: ConfigOpt = None,
) -> None:
    """Streamlit scorecards on 127.0.0.1 (unless --host says otherwise), read-only on the
    published warehouse."""
    settings = _settings(warehouse=warehouse, config=config)
    raise typer.Exit(_serve_dashboard(settings, port, host))


def _serve_dashboard(settings: Settings, port: int, host: str = LOOPBACK) -> int:
    app_path = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"
    env = {**os.environ, "VMO_WAREHOUSE": str(settings.warehouse)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        # A served dashboard, not a development server: its source files are not watched for
        # changes (the module walk after each page and the inotify reads cost about 0.08 s of
        # server CPU a page at L, beside the page script's own 0.13 s).
        "--server.fileWatcherType",
        "none",
    ]
    _warn_if_exposed(host, port, "sees the scorecards")
    typer.echo(f"dashboard on http://{host}:{port}/ (warehouse {settings.warehouse})")
    server: subprocess.Popen | None = None
    stopped: list[int] = []

    # A stop meant for `vmo dashboard` (a service manager's SIGTERM, a closed terminal's SIGHUP,
    # Ctrl-C or `kill -INT`) is passed on to the server, which would otherwise outlive this
    # process and keep serving; a second one kills it. Installed before the server starts, so
    # that no moment is left where a stop reaches this process alone.
    def pass_on(signum, frame) -> None:
        stopped.append(signum)
        if server is None:
            return
        with contextlib.suppress(ProcessLookupError):
            if len(stopped) > 1:
                server.kill()
            else:
                server.send_signal(signum)

    handled = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    previous = {sig: signal.signal(sig, pass_on) for sig in handled}
    try:
        server = subprocess.Popen(command, env=env)
        if stopped:  # asked to stop while it started
            server.send_signal(stopped[0])
        code = server.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stopped:
        return 0  # stopped as asked
    return code if code >= 0 else 128 - code  # killed by a signal: the shell's 128 + N


@app.command(short_help="Write the steering-committee pack (PDF or HTML).")
def report(
    warehouse: WarehouseOpt = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="YYYY-MM or YYYY-Qn [default: the latest complete month]."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="The pack to write: FILE.pdf or FILE.html.")] = Path(
        "pack.pdf"
    ),
    config: ConfigOpt = None,
) -> None:
    """The steering-committee pack: the organisation's headline, the initiative grid, the top
    risks, the quadrant and the flags with the money at stake, for one period, as a printable
    PDF (Chromium's print) or HTML."""
    from dashboards.pack import PackError, write_pack

    settings = _settings(warehouse=warehouse, config=config)
    try:
        shown = write_pack(settings.warehouse, out, period)
    except PackError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"wrote {out} · {shown.grain} {shown.name}{'' if shown.complete else ' (partial)'}")


@app.command(short_help="Dagster's UI, daemon, daily schedule and landing sensor.")
def dagster(
    port: Annotated[int, typer.Option("--port", help="Port of the Dagster UI.")] = 3000,
    host: DagsterHostOpt = LOOPBACK,
    landing: LandingOpt = None,
    warehouse: WarehouseOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Dagster's UI, daemon, daily schedule and landing sensor on the pipeline (`dagster dev`),
    with its instance kept in the state folder: the sensor remembers what it has seen across
    restarts. Ctrl-C or SIGTERM stops everything within 15 seconds."""
    from orchestration.dagster_dev import dagster_home, serve

    settings = _settings(landing=landing, warehouse=warehouse, config=config)
    _warn_if_exposed(host, port, "can start and cancel runs in Dagster's UI")
    typer.echo(f"Dagster on http://{host}:{port}/ (instance {dagster_home(settings)})")
    raise typer.Exit(serve(settings, host, port))


@app.command(short_help="A read-only SQL prompt or script on the published warehouse.")
def sql(
    warehouse: WarehouseOpt = None,
    command: Annotated[
        str | None, typer.Option("--command", "-c", help="Run this SQL and exit (';' separates statements).")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Run the SQL in this file and exit.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    ops: Annotated[
        bool,
        typer.Option(
            "--ops",
            help="Query the run records (ops.runs, ops.check_results, ops.quarantine, ops.landed_files)"
            " beside the warehouse instead; with -c or --file only.",
        ),
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """A read-only SQL prompt on the published warehouse; with -c or --file, a script runner.

    Only queries run (SELECT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA, CALL): a write, ATTACH,
    INSTALL or COPY ... TO is refused. Exit 1 when a statement is refused or fails.
    """
    import duckdb

    from orchestration.analyst.sql_prompt import FORMATS, Refused, WarehouseSession, interactive, run_script

    settings = _settings(warehouse=warehouse, config=config)
    if output_format not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, got {output_format!r}")
    if command is not None and file is not None:
        raise _fail("give -c or --file, not both")
    target = settings.ops_db if ops else settings.warehouse
    if ops and command is None and file is None:
        # A prompt left open would hold the run records' file while runs need to write them.
        raise _fail("--ops runs a script: give -c SQL or --file F")
    if not target.is_file():
        what = "run records" if ops else "published warehouse"
        raise _fail(f"no {what} at {target}: run `vmo run` first")
    session = WarehouseSession(target)
    if command is None and file is None:
        interactive(session, output_format, Path.home() / ".local" / "state" / "vmo" / "sql_history")
        return
    try:
        script = command if command is not None else file.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror}") from exc
    try:
        run_script(session, script, output_format)
    except (Refused, duckdb.Error) as exc:
        raise _fail(str(exc), code=1) from exc
    finally:
        session.close()


@app.command(short_help="The dbt documentation of every table and column.")
def docs(
    warehouse: WarehouseOpt = None,
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 8580,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Generate the site only.")] = False,
    config: ConfigOpt = None,
) -> None:
    """The dbt documentation of every table and column, with lineage, served on 127.0.0.1."""
    from orchestration.analyst.dbt_docs import DocsError, generate_docs, serve_docs

    settings = _settings(warehouse=warehouse, config=config)
    try:
        target = generate_docs(settings)
        typer.echo(f"documentation in {target} (single file: {target / 'static_index.html'})")
        if not no_serve:
            typer.echo(f"serving it on http://127.0.0.1:{port}/")
            serve_docs(settings, port)
    except DocsError as exc:
        raise _fail(str(exc), code=1) from exc


@app.command(short_help="One KPI value taken apart, with the records behind it.")
def explain(
    kpi: Annotated[str, typer.Argument(help="The KPI id, e.g. lead_time_days.")],
    entity: Annotated[
        str, typer.Option("--entity", help="TYPE:ID, e.g. product:P11, portfolio:F1, organisation.")
    ],
    period: Annotated[str, typer.Option("--period", help="YYYY-MM (a month) or YYYY-Qn (a quarter).")],
    limit: Annotated[int, typer.Option("--limit", help="How many of the items to list.")] = 20,
    warehouse: WarehouseOpt = None,
    config: ConfigOpt = None,
) -> None:
    """One KPI value taken apart: formula, value, numerator, denominator, sample size, target,
    status, and the records it was computed from."""
    from orchestration.analyst.explain import ExplainArgumentError, ExplainError
    from orchestration.analyst.explain import explain as explain_value

    settings = _settings(warehouse=warehouse, config=config)
    if not settings.warehouse.is_file():
        raise _fail(f"no published warehouse at {settings.warehouse}: run `vmo run` first")
    try:
        typer.echo(explain_value(settings.warehouse, kpi, entity, period, limit))
    except ExplainArgumentError as exc:
        raise _fail(str(exc)) from exc
    except ExplainError as exc:  # a real KPI, entity and period with no value
        raise _fail(str(exc), code=1) from exc


@app.command(short_help="Demo data, a run and the dashboard, in one command.")
def demo(
    scale: ScaleOpt = "S",
    seed: SeedOpt = 42,
    landing: LandingOpt = None,
    warehouse: WarehouseOpt = None,
    port: Annotated[int, typer.Option("--port", help="Dashboard port.")] = 8501,
    host: HostOpt = LOOPBACK,
    no_dashboard: Annotated[
        bool,
        typer.Option("--no-dashboard", help="Stop after publishing; do not serve the dashboard."),
    ] = False,
    engine: EngineOpt = None,
) -> None:
    """Generate demo data into the landing folder, run the pipeline, start the dashboard."""
    from orchestration.demo.generator import generate as generate_files
    from orchestration.runner import run_pipeline

    settings = _settings(landing=landing, warehouse=warehouse, engine=engine)
    summary = generate_files(settings.landing_dir, _check_scale(scale), seed, end=settings.as_of)
    typer.echo(f"wrote {summary.files} demo files to {settings.landing_dir}")
    outcome = run_pipeline(settings)
    typer.echo(outcome.summary())
    for line in outcome.report:
        typer.echo(f"  {line}")
    if outcome.outcome != "published":
        raise typer.Exit(1)
    if not no_dashboard:
        raise typer.Exit(_serve_dashboard(settings, port, host))


if __name__ == "__main__":
    app()
