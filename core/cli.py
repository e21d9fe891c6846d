"""The ``rewardkit`` command: list verifiers, verify one completion, score a JSONL file."""

from __future__ import annotations

import collections
import itertools
import json
import math
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from rewardkit import __version__, json_text
from rewardkit.catalog import option_lines
from rewardkit.cli_params import parse_option, plugins_dir_option
from rewardkit.config import ConfigError, EngineConfig, VerifierSpec
from rewardkit.engine import RewardEngine
from rewardkit.errors import one_line, validation_text
from rewardkit.models import Sample, Score, Status
from rewardkit.output import Progress, ResultsWriter
from rewardkit.overrides import operator_config
from rewardkit.plugins import PluginError
from rewardkit.summary import Summary


@click.group()
@click.version_option(__version__, prog_name="rewardkit")
def cli() -> None:
    """Verifiers and rewards for reinforcement learning with verifiable rewards."""


@cli.command(name="verifiers")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list of verifiers, as GET /v1/verifiers gives it.")
@click.option("--config", "-c", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="A YAML or TOML engine config: list what it loads (plugins_dir, require).")
@plugins_dir_option
def verifiers_command(as_json: bool, config_path: str | None,
                      plugins_dirs: tuple[str, ...]) -> None:
    """List installed verifiers, with their plugin and options, and plugins that failed."""
    try:
        config = operator_config(config_path, extend={"plugins_dir": plugins_dirs})
    except (ConfigError, ValidationError) as exc:
        raise click.ClickException(one_line(exc)) from None
    # The engine a `serve` with the same config builds: the same catalogue as /v1/verifiers.
    with _engine_or_fail(None, config=config, config_file=config_path, base=True) as engine:
        found = engine.catalog()
    for failure in found.failures:
        where = f" ({failure.distribution})" if failure.distribution else ""
        click.echo(f"warning: plugin {failure.plugin}{where} failed to load: {failure.error}",
                   err=True)
    if as_json:  # the options' JSON schema, as GET /v1/verifiers gives it
        click.echo(json.dumps([v.model_dump() for v in found.verifiers], indent=2))
        return
    for v in found.verifiers:
        source = v.distribution or v.source or "registered in code"
        if v.version:
            source += f" {v.version}"
        click.echo(f"{v.name}  [{v.plugin} from {source}]")
        if v.description:
            click.echo(f"    {v.description}")
        lines = option_lines(v.options)
        if lines:
            click.echo("    options (--option NAME=VALUE):")
            for line in lines:
                click.echo(f"      {line}")


@cli.command(name="verify")
@click.argument("name")
@click.option("--completion", required=True, help="The completion text to judge.")
@click.option("--reference", help="Ground truth: text, or JSON when it starts with { [ or \".")
@click.option("--prompt", default="", help="The prompt the completion answers.")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE",
              help="A verifier option (VALUE is read as JSON when it parses). Repeatable.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              help="Hard deadline in seconds.")
@click.option("--json", "as_json", is_flag=True, help="Print the Result as JSON.")
@plugins_dir_option
def verify_command(name: str, completion: str, reference: str | None, prompt: str,
                   options: tuple[str, ...], timeout: float | None, as_json: bool,
                   plugins_dirs: tuple[str, ...]) -> None:
    """Judge one completion with the verifier NAME."""
    spec = _spec_or_fail(name=name, options=dict(parse_option(o) for o in options),
                         timeout=timeout)
    sample = Sample(prompt=prompt, completion=completion, reference=_parse_reference(reference))
    with _engine_or_fail([spec], workers=1, plugins_dir=list(plugins_dirs)) as engine:
        result = engine.score([sample])[0].results[0]
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    click.echo(f"{result.status.value}  reward={result.reward:g}  ({result.seconds:.4f} s)")
    if result.reason:
        click.echo(result.reason)
    if result.details:
        click.echo(json.dumps(result.details, indent=2, ensure_ascii=False))


@cli.command(name="score")
@click.argument("input_path", metavar="INPUT.jsonl", type=click.Path(allow_dash=True))
@click.option("--verifier", "-v", "verifiers", multiple=True, metavar="NAME[:WEIGHT]",
              help="A verifier to run, with an optional weight. Repeatable.")
@click.option("--config", "-c", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="A YAML or TOML engine config.")
@click.option("--route-by", metavar="COLUMN", help="Pick each line's verifiers by this column.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              help="Hard deadline per sample, in seconds.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Worker processes (per Ray actor with --executor ray).")
@click.option("--executor", type=click.Choice(["local", "ray"]),
              help="Verify in local worker processes (default) or on a Ray cluster.")
@click.option("--ray-address", metavar="ADDR",
              help="The Ray cluster to join (auto, ray://head:10001); default: a local one.")
@click.option("--require", multiple=True, metavar="PLUGIN",
              help="Fail at once unless this plugin or verifier is installed. Repeatable.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Where to write JSON lines (default: standard output). A file is written "
                   "as FILE.partial and replaces FILE only when the run succeeds.")
@click.option("--resume", is_flag=True,
              help="Continue the FILE.partial an interrupted run left, after its last line.")
@click.option("--details", is_flag=True, help="Include each result's details in the output.")
@click.option("--keep", multiple=True, metavar="COLUMN",
              help="Copy this input column (or metadata key) into each output line, null "
                   "where a line has none, to join results without the input. Repeatable.")
@click.option("--keep-all", is_flag=True,
              help="Copy every input column into each output line.")
@click.option("--strict", is_flag=True, help="Stop at the first malformed input line.")
@click.option("--max-error-rate", type=click.FloatRange(0, 1), metavar="RATE",
              help="Exit with status 1 when more than this share of lines (0..1) are "
                   "malformed or get an error or timeout. Default: only when all of them do.")
@click.option("--quiet", "-q", is_flag=True, help="No progress, summary table or line count.")
@plugins_dir_option
def score_command(input_path: str, verifiers: tuple[str, ...], config_path: str | None,
                  route_by: str | None, timeout: float | None, workers: int | None,
                  executor: str | None, ray_address: str | None, require: tuple[str, ...],
                  output: str, resume: bool, details: bool, keep: tuple[str, ...],
                  keep_all: bool, strict: bool, max_error_rate: float | None, quiet: bool,
                  plugins_dirs: tuple[str, ...]) -> None:
    """Score every line of INPUT.jsonl (use - for standard input).

    Each line is a JSON object with a completion, a reference (or answer / solution /
    ground_truth) and any other columns. Each output line has the input's line number, the
    weighted reward and one result per verifier, in input order, written as soon as it is
    scored. A malformed line is reported on standard error with its number and skipped
    (with --strict: the run stops). On Ctrl-C the lines scored so far are kept.
    """
    try:
        specs = [VerifierSpec.parse(v) for v in verifiers] or None
        config = operator_config(config_path, specs, route_by=route_by, timeout=timeout,
                                 workers=workers, executor=executor, ray_address=ray_address,
                                 extend={"require": require, "plugins_dir": plugins_dirs})
    except (ConfigError, ValidationError) as exc:
        raise click.ClickException(one_line(exc)) from None
    if resume and output == "-":
        raise click.UsageError("--resume needs an --output file", ctx=None)
    _check_kept(keep, keep_all)
    total = None if input_path == "-" else _count_samples(input_path)
    with _engine_or_fail(None, config=config,
                         config_file=None if specs else config_path) as engine:
        column = engine.config.route_by
        if column and input_path != "-" and not _column_in_some_line(input_path, column):
            raise click.ClickException(
                f"{input_path}: no line has the column {column!r} to route by (--route-by)")
        for kept in keep if input_path != "-" else ():
            if not _column_in_some_line(input_path, kept):
                raise click.ClickException(
                    f"{input_path}: no line has the column {kept!r} to keep (--keep)")
        run = _ScoreRun(engine, details=details, strict=strict, keep=keep, keep_all=keep_all)
        try:
            writer = ResultsWriter(output, resume=resume)
        except (OSError, ValueError) as exc:
            raise click.ClickException(one_line(exc)) from None
        progress = Progress(total, hidden=quiet)
        progress.done = writer.written
        try:
            # Bytes: a line that is not UTF-8 is one malformed line, not the end of the run.
            with click.open_file(input_path, "rb") as source:
                for row in run.rows(source, skip_through=writer.resume_after):
                    writer.write(row)
                    progress.advance()
            if column and run.scored and not run.routable:
                raise click.ClickException(
                    f"{_input_name(input_path)}: no line has the column {column!r} to route by "
                "(--route-by)")
        except (KeyboardInterrupt, click.ClickException) as exc:
            progress.finish()
            where = writer.keep()
            kept = f"{_lines(writer.written, total)} written to {where}"
            if writer.partial is not None:
                kept += (f"; {output} left as it was; rerun with --resume to continue"
                         if Path(output).exists() else "; rerun with --resume to continue")
            if isinstance(exc, KeyboardInterrupt):
                click.echo(f"interrupted: {kept}", err=True)
                sys.exit(130)
            click.echo(f"stopped: {kept}", err=True)
            raise
        progress.finish()
        writer.commit()
    if not quiet:
        if run.summary.stats:
            click.echo(run.summary.table(), err=True)
        if engine.shadow_summary():  # the shadow's work was finished when the engine closed
            click.echo(engine.shadow_summary(), err=True)
        if run.bad_lines:
            click.echo(f"{run.bad_lines} malformed line(s) skipped", err=True)
        click.echo(f"{_lines(writer.written, total)} written"
                   f"{'' if output == '-' else ' to ' + output}", err=True)
    _check_error_rate(run, max_error_rate)


#: Batches per phase of a ``score`` run, the seconds a batch should take, the largest batch.
_PHASE_BATCHES = 16
_BATCH_SECONDS = 0.5
_MAX_BATCH = 1024


class _ScoreRun:
    """One ``score`` run's reading, scoring and counting, line by line in input order."""

    def __init__(self, engine: RewardEngine, *, details: bool, strict: bool,
                 keep: tuple[str, ...] = (), keep_all: bool = False) -> None:
        self.engine = engine
        self.details = details
        self.strict = strict
        self.keep = keep
        self.keep_all = keep_all
        self.not_kept: set[str] = set()  # --keep-all columns named like an output field
        self.summary = Summary()
        self.bad_lines = 0
        self.scored = 0
        self.failed = 0  # scored lines with an error or timeout result
        self.routable = 0  # lines that have the route_by column
        self.stopped = ""  # why --strict ended the input early

    def rows(self, source: Iterable[bytes], skip_through: int = 0) -> Iterator[dict[str, Any]]:
        lines: collections.deque[tuple[int, dict[str, Any]]] = collections.deque()

        def samples() -> Iterator[Sample]:
            for number, kept, sample in self._samples(source, skip_through):
                lines.append((number, kept))
                yield sample

        # Lines come back a batch at a time. Batches start small, so the first lines are
        # written within moments, and are resized after every phase of 16 to take about
        # _BATCH_SECONDS (benchmarks/score_batches.py): slow verifiers get their lines out
        # early, fast ones keep the throughput of large batches. Within a phase two batches
        # are in flight.
        stream = samples()
        batch = max(8, 2 * self.engine.config.worker_count)
        while phase := list(itertools.islice(stream, batch * _PHASE_BATCHES)):
            start = time.monotonic()
            for scored in self.engine.score_iter(phase, batch_size=batch):
                self.summary.add(scored.results)
                self.scored += 1
                if any(r.status in (Status.ERROR, Status.TIMEOUT) for r in scored.results):
                    self.failed += 1
                number, kept = lines.popleft()
                yield _row(number, kept, scored, self.details)
            per_batch = (time.monotonic() - start) / math.ceil(len(phase) / batch)
            wanted = batch * _BATCH_SECONDS / max(per_batch, 1e-3)
            batch = int(min(4 * batch, _MAX_BATCH, max(8.0, wanted)))
        if self.stopped:
            raise click.ClickException(self.stopped)

    def _samples(self, source: Iterable[bytes],
                 skip_through: int) -> Iterator[tuple[int, dict[str, Any], Sample]]:
        column = self.engine.config.route_by
        for number, line in enumerate(source, start=1):
            if number <= skip_through or not line.strip():
                continue
            try:
                record = json_text.loads(line)
                sample = Sample.from_record(record)
            except (ValueError, TypeError) as exc:
                self.bad_lines += 1
                message = f"line {number}: {_line_error(exc)}"
                if self.strict:
                    # End the input here: the lines before are still scored and written.
                    self.stopped = f"{message} (--strict)"
                    return
                click.echo(f"skipped {message}", err=True)
                continue
            if column and column in sample.metadata:
                self.routable += 1
            yield number, self._kept(record), sample

    def _kept(self, record: dict[str, Any]) -> dict[str, Any]:
        """The input columns ``--keep``/``--keep-all`` copy into the line's output."""
        if self.keep_all:
            for name in OUTPUT_FIELDS.intersection(record) - self.not_kept:
                self.not_kept.add(name)
                click.echo(f"warning: --keep-all: the input column {name!r} is not kept: the "
                           f"output has its own {name!r}", err=True)
            return {k: v for k, v in record.items() if k not in OUTPUT_FIELDS}
        metadata = record.get("metadata")
        if not isinstance(metadata, dict):
            metadata = {}
        return {name: record[name] if name in record else metadata.get(name)
                for name in self.keep}


#: The fields of a scored line; an input column is not copied over them.
OUTPUT_FIELDS = frozenset({"line", "reward", "results"})


def _check_kept(keep: tuple[str, ...], keep_all: bool) -> None:
    if keep and keep_all:
        raise click.UsageError("give either --keep COLUMN or --keep-all, not both")
    for name in keep:
        if name in OUTPUT_FIELDS:
            raise click.UsageError(f"--keep {name}: {name!r} is a field of the output line "
                                   f"({', '.join(sorted(OUTPUT_FIELDS))})")


def _check_error_rate(run: _ScoreRun, limit: float | None) -> None:
    lines = run.scored + run.bad_lines
    bad = run.failed + run.bad_lines
    if not lines:
        return
    rate = bad / lines
    if (limit is None and bad == lines) or (limit is not None and rate > limit):
        bound = "" if limit is None else f" (--max-error-rate {limit:g})"
        raise click.ClickException(
            f"{bad} of {lines} lines ({rate:.0%}) were malformed or got an error or "
            f"timeout{bound}")


def _input_name(path: str) -> str:
    return "standard input" if path == "-" else path


def _lines(written: int, total: int | None) -> str:
    """``N of M lines``, or ``N lines`` when the input's length is unknown (stdin)."""
    if total is None:
        return f"{written} line{'' if written == 1 else 's'}"
    return f"{written} of {total} lines"


@cli.command(name="new-plugin")
@click.argument("name")
@click.option("--directory", "-d", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Where to create the package folder.")
def new_plugin_command(name: str, directory: Path) -> None:
    """Create a plugin package for the verifier NAME, ready to pip install and test."""
    from rewardkit.scaffold import scaffold, verifier_name

    try:
        with _engine_or_fail(None, config=EngineConfig(), base=True) as engine:
            installed = {v.name: v for v in engine.catalog().verifiers}
        taken = installed.get(verifier_name(name))
        if taken is not None:
            # Two plugins registering one name make every engine fail at start.
            raise ValueError(
                f"a verifier named {taken.name!r} is already installed (from "
                f"{taken.distribution or taken.plugin}); choose another name, such as "
                f"'my_{taken.name}'")
        root = scaffold(name, directory)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {root}")
    click.echo(f"next: pip install -e {root} && pytest {root}")


def _row(number: int, kept: dict[str, Any], scored: Score, details: bool) -> dict[str, Any]:
    fields = {"verifier", "reward", "status", "reason", "seconds"}
    if details:
        fields |= {"details", "cached"}
    return {
        "line": number,
        **kept,
        "reward": scored.reward,
        "results": [r.model_dump(mode="json", include=fields) for r in scored.results],
    }


def _engine_or_fail(verifiers: Any, *, config_file: str | None = None, base: bool = False,
                    **settings: Any) -> RewardEngine:
    """The engine, or one line saying what is wrong: ``rk.yaml: verifier 'po_rules': ...``.

    ``config_file`` names the file the verifiers came from, for a verifier's error. ``base``:
    an operator's engine that may name no verifiers (:meth:`RewardEngine.base`), from
    ``settings["config"]``.
    """
    try:
        if base:
            return RewardEngine.base(settings["config"])
        return RewardEngine(verifiers, **settings)
    except (ConfigError, PluginError, ValueError) as exc:
        # ValueError: a verifier's options or its files (a rules_file) that cannot be used.
        message = one_line(exc)
        if config_file and getattr(exc, "__notes__", None):
            message = f"{config_file}: {message}"
        raise click.ClickException(message) from None


def _spec_or_fail(**fields: Any) -> VerifierSpec:
    try:
        return VerifierSpec(**fields)
    except ValidationError as exc:
        raise click.ClickException(one_line(exc)) from None


def _parse_reference(text: str | None) -> Any:
    # Only structured JSON is decoded: "1.50" must stay the text "1.50", not the float 1.5.
    if text is None or not text.lstrip().startswith(("{", "[", '"')):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _line_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        # The decoder counts lines inside the text; the line here is the file's, so only the
        # column is added (one JSON line has no line of its own).
        return f"invalid JSON at column {exc.pos + 1}: {exc.msg}"
    if isinstance(exc, ValidationError):
        return f"invalid sample: {validation_text(exc)}"
    return f"invalid sample: {one_line(exc)}"


def _count_samples(path: str) -> int | None:
    """The non-blank lines of ``path`` (each one a sample or a malformed line)."""
    try:
        with Path(path).open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from None


def _column_in_some_line(path: str, column: str) -> bool:
    """Whether any line of ``path`` has ``column`` (or has it in its metadata); stops at the
    first that does, so a well-formed file costs one line."""
    with Path(path).open("rb") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):  # malformed, or nested past the decoder
                continue
            if isinstance(record, dict) and (
                    column in record or column in (record.get("metadata") or {})):
                return True
    return False


def main() -> None:
    cli()


# Commands kept in their own modules, registered here.
from rewardkit.probe.commands import audit_command, probe_command  # noqa: E402

cli.add_command(probe_command)
cli.add_command(audit_command)




@cli.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", type=click.IntRange(min=1),
              help="Verifier worker processes (default: the config's, else every CPU).")
@click.option("--http-workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="uvicorn processes, each with its own worker pool.")
@click.option("--config", "-c", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="A YAML or TOML engine config: default verifiers, pool, cache.")
@click.option("--token", "tokens", multiple=True, metavar="TOKEN",
              help="A bearer token clients must send (also REWARDKIT_API_TOKENS). Repeatable.")
@click.option("--insecure", is_flag=True,
              help="Allow a non-loopback address without a token (trusted networks only).")
@click.option("--max-body-bytes", type=click.IntRange(min=1024), help="Largest request body.")
@click.option("--max-batch", type=click.IntRange(min=1), help="Most samples per request.")
@click.option("--max-pending", type=click.IntRange(min=1),
              help="Most samples queued over all requests before answering 503.")
@click.option("--max-caller-pending", type=click.IntRange(min=1),
              help="Most samples queued for one token (or address) before answering 429.")
@click.option("--max-timeout", type=click.FloatRange(min=0, min_open=True),
              help="Largest per-sample deadline a request may ask for, in seconds.")
@click.option("--rate-limit", type=click.FloatRange(min=0),
              help="Requests per second per token (0: unlimited).")
@click.option("--rate-burst", type=click.IntRange(min=1), help="Burst above the rate.")
@click.option("--read-timeout", type=click.FloatRange(min=0, min_open=True),
              help="Seconds a client may stall while sending its body (then 408).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@plugins_dir_option
def serve_command(host: str, port: int, workers: int | None, http_workers: int,
                  config_path: str | None, tokens: tuple[str, ...], insecure: bool,
                  log_level: str, plugins_dirs: tuple[str, ...], **limits: Any) -> None:
    """Serve verification over HTTP (FastAPI + uvicorn); see docs/server.md."""
    from rewardkit.server.run import serve
    from rewardkit.server.settings import settings_from, tokens_from_env

    try:
        engine = operator_config(config_path, workers=workers,
                                 extend={"plugins_dir": plugins_dirs})
        settings = settings_from(engine, tokens=tokens_from_env(tokens),
                                 **{k: v for k, v in limits.items() if v is not None})
        if settings.engine.verifiers or settings.engine.route_by:
            # Build the default engine once, as the first request would: a missing
            # rules_file or a verifier named "maths" refuses to start, rather than a server
            # that reports ready and answers every request 422.
            _engine_or_fail(None, config=settings.engine, config_file=config_path).close()
        serve(settings, host=host, port=port, http_workers=http_workers, insecure=insecure,
              log_level=log_level)
    except (ConfigError, PluginError, ValidationError) as exc:
        raise click.ClickException(one_line(exc)) from None


@cli.group(name="patterns")
def patterns_group() -> None:
    """Reasoning-pattern telemetry of training runs (see docs/trl.md)."""


@patterns_group.command(name="report")
@click.argument("run", metavar="RUN_DIR_OR_LOG", type=click.Path(exists=True))
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="The PNG to write (default: patterns_report.png beside the log).")
def patterns_report_command(run: str, output: str | None) -> None:
    """Draw each pattern's share and success over steps, and the selection/competence split
    of the change in success, to a PNG; print both as tables."""
    from rewardkit.trl.report import RunNotFound, load_history, load_split, plot, split_table, table

    try:
        history, split = load_history(run), load_split(run)
    except RunNotFound as exc:
        raise click.ClickException(one_line(exc)) from None
    folder = Path(run) if Path(run).is_dir() else Path(run).parent
    click.echo(table(history))
    click.echo(split_table(split))
    try:
        written = plot(history, output or folder / "patterns_report.png", title=Path(run).name,
                       split=split)
    except ImportError:
        raise click.ClickException("the figure needs matplotlib: "
                                   "pip install 'rewardkit[trl]'") from None
    click.echo(f"wrote {written}")
