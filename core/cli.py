"""The ``rewardkit`` command: list verifiers, verify one completion, score a JSONL file."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import click
from pydantic import ValidationError

from rewardkit import __version__
from rewardkit.catalog import catalog
from rewardkit.config import ConfigError, VerifierSpec
from rewardkit.engine import RewardEngine
from rewardkit.models import Sample, Score
from rewardkit.overrides import operator_config
from rewardkit.plugins import PluginError, make_plugin_manager
from rewardkit.summary import Summary


@click.group()
@click.version_option(__version__, prog_name="rewardkit")
def cli() -> None:
    """Verifiers and rewards for reinforcement learning with verifiable rewards."""


def plugins_dir_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--plugins-dir", "plugins_dirs", multiple=True, metavar="DIR",
        type=click.Path(exists=True, file_okay=False),
        help="Also load every plugin module (*.py) in DIR. Repeatable.",
    )(command)


@cli.command(name="verifiers")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of verifiers.")
@plugins_dir_option
def verifiers_command(as_json: bool, plugins_dirs: tuple[str, ...]) -> None:
    """List installed verifiers, with their plugin, and plugins that failed to load."""
    try:
        found = catalog(make_plugin_manager(plugin_dirs=plugins_dirs) if plugins_dirs else None)
    except PluginError as exc:
        raise click.ClickException(str(exc)) from None
    for failure in found.failures:
        where = f" ({failure.distribution})" if failure.distribution else ""
        click.echo(f"warning: plugin {failure.plugin}{where} failed to load: {failure.error}",
                   err=True)
    if as_json:
        rows = [v.model_dump(exclude={"options"}) for v in found.verifiers]
        click.echo(json.dumps(rows, indent=2))
        return
    for v in found.verifiers:
        source = v.distribution or v.source or "registered in code"
        if v.version:
            source += f" {v.version}"
        click.echo(f"{v.name}  [{v.plugin} from {source}]")
        if v.description:
            click.echo(f"    {v.description}")


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
    spec = _spec_or_fail(name=name, options=dict(_parse_option(o) for o in options),
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
              help="Where to write JSON lines (default: standard output).")
@click.option("--details", is_flag=True, help="Include each result's details in the output.")
@click.option("--strict", is_flag=True, help="Stop at the first malformed input line.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary table.")
@plugins_dir_option
def score_command(input_path: str, verifiers: tuple[str, ...], config_path: str | None,
                  route_by: str | None, timeout: float | None, workers: int | None,
                  executor: str | None, ray_address: str | None, require: tuple[str, ...],
                  output: str, details: bool, strict: bool, quiet: bool,
                  plugins_dirs: tuple[str, ...]) -> None:
    """Score every line of INPUT.jsonl (use - for standard input).

    Each line is a JSON object with a completion, a reference (or answer / solution /
    ground_truth) and any other columns. Each output line has the input's line number, the
    weighted reward and one result per verifier, in input order. A malformed line is
    reported on standard error with its number and skipped (with --strict: the run stops).
    """
    try:
        specs = [VerifierSpec.parse(v) for v in verifiers] or None
        config = operator_config(config_path, specs, route_by=route_by, timeout=timeout,
                                 workers=workers, executor=executor, ray_address=ray_address,
                                 extend={"require": require, "plugins_dir": plugins_dirs})
    except (ConfigError, ValidationError) as exc:
        raise click.ClickException(str(exc)) from None
    total = None if input_path == "-" else _count_lines(input_path)
    summary = Summary()
    bad_lines = 0
    with (
        _engine_or_fail(None, config=config) as engine,
        click.open_file(input_path, "r", encoding="utf-8") as source,
        click.open_file(output, "w", encoding="utf-8", atomic=output != "-") as sink,
        click.progressbar(source, length=total, label="scoring", file=sys.stderr,
                          hidden=quiet) as lines,
    ):
        def samples() -> Iterator[tuple[int, Sample]]:
            nonlocal bad_lines
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    yield number, Sample.from_record(json.loads(line))
                except (ValueError, TypeError) as exc:
                    bad_lines += 1
                    message = f"line {number}: {_short_error(exc)}"
                    if strict:
                        raise click.ClickException(f"{message} (--strict)") from None
                    click.echo(f"skipped {message}", err=True)

        numbered = samples()
        numbers: list[int] = []

        def remember() -> Iterator[Sample]:
            for number, sample in numbered:
                numbers.append(number)
                yield sample

        for index, scored in enumerate(engine.score_iter(remember())):
            _write(sink, numbers[index], scored, details)
            summary.add(scored.results)
    if not quiet:
        click.echo("", err=True)
        click.echo(summary.table(), err=True)
        if bad_lines:
            click.echo(f"{bad_lines} malformed line(s) skipped", err=True)


@cli.command(name="new-plugin")
@click.argument("name")
@click.option("--directory", "-d", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Where to create the package folder.")
def new_plugin_command(name: str, directory: Path) -> None:
    """Create a plugin package for the verifier NAME, ready to pip install and test."""
    from rewardkit.scaffold import scaffold

    try:
        root = scaffold(name, directory)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {root}")
    click.echo(f"next: pip install -e {root} && pytest {root}")


def _write(sink: IO[str], number: int, scored: Score, details: bool) -> None:
    fields = {"verifier", "reward", "status", "reason", "seconds"}
    if details:
        fields |= {"details", "cached"}
    row: dict[str, Any] = {
        "line": number,
        "reward": scored.reward,
        "results": [r.model_dump(mode="json", include=fields) for r in scored.results],
    }
    sink.write(json.dumps(row, ensure_ascii=False) + "\n")


def _engine_or_fail(verifiers: Any, **settings: Any) -> RewardEngine:
    try:
        return RewardEngine(verifiers, **settings)
    except (ConfigError, PluginError, ValidationError) as exc:
        raise click.ClickException(str(exc)) from None


def _spec_or_fail(**fields: Any) -> VerifierSpec:
    try:
        return VerifierSpec(**fields)
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from None


def _parse_option(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not KEY=VALUE", param_hint="--option")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def _parse_reference(text: str | None) -> Any:
    # Only structured JSON is decoded: "1.50" must stay the text "1.50", not the float 1.5.
    if text is None or not text.lstrip().startswith(("{", "[", '"')):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _short_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}" for e in exc.errors()
        )
        return f"invalid sample: {problems}"
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc}"
    return f"invalid sample: {exc}"


def _count_lines(path: str) -> int | None:
    try:
        with Path(path).open("rb") as handle:
            return sum(1 for _ in handle)
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from None


def main() -> None:
    cli()




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
        serve(settings, host=host, port=port, http_workers=http_workers, insecure=insecure,
              log_level=log_level)
    except (ConfigError, PluginError, ValidationError) as exc:
        raise click.ClickException(str(exc)) from None


@cli.group(name="patterns")
def patterns_group() -> None:
    """Reasoning-pattern telemetry of training runs (see docs/trl.md)."""


@patterns_group.command(name="report")
@click.argument("run", metavar="RUN_DIR_OR_LOG", type=click.Path(exists=True))
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="The PNG to write (default: patterns_report.png beside the log).")
def patterns_report_command(run: str, output: str | None) -> None:
    """Draw each pattern's share and success over steps to a PNG and print a table."""
    from rewardkit.trl.report import RunNotFound, load_history, plot, table

    try:
        history = load_history(run)
    except RunNotFound as exc:
        raise click.ClickException(str(exc)) from None
    folder = Path(run) if Path(run).is_dir() else Path(run).parent
    click.echo(table(history))
    try:
        written = plot(history, output or folder / "patterns_report.png", title=Path(run).name)
    except ImportError:
        raise click.ClickException("the figure needs matplotlib: "
                                   "pip install 'rewardkit[trl]'") from None
    click.echo(f"wrote {written}")
