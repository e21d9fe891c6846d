"""The ``rewardkit probe`` and ``rewardkit audit`` commands (registered in ``cli.py``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from rewardkit import json_text
from rewardkit.cli_params import parse_option, plugins_dir_option
from rewardkit.config import ConfigError
from rewardkit.errors import one_line
from rewardkit.plugins import PluginError, PluginManager, get_plugin_manager, make_plugin_manager


def _plugins(plugins_dirs: tuple[str, ...]) -> PluginManager:
    try:
        return make_plugin_manager(plugin_dirs=plugins_dirs) if plugins_dirs else (
            get_plugin_manager())
    except PluginError as exc:
        raise click.ClickException(one_line(exc)) from None


def _rows(path: str) -> list[dict[str, Any]]:
    """The rows of a JSONL file (or a JSON list), as dicts."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        if text.lstrip().startswith("["):
            rows = json_text.loads(text)
        else:
            rows = [json_text.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError as exc:
        raise click.ClickException(f"{path}: not JSON lines: {exc}") from None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise click.ClickException(f"{path}: each row must be a JSON object")
    return rows


@click.command(name="probe")
@click.argument("verifier")
@click.option("--data", "-d", "data", required=True, type=click.Path(dir_okay=False),
              help="JSONL rows of real data (prompt and reference) to build attacks from.")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE",
              help="A verifier option (VALUE is read as JSON when it parses). Repeatable.")
@click.option("--threshold", type=float, default=0.0, show_default=True,
              help="An attack fails the probe when its reward is above this.")
@click.option("--family", "only", multiple=True, metavar="NAME",
              help="Run only this attack family. Repeatable. Default: every family.")
@click.option("--rows", "max_rows", type=click.IntRange(min=1), default=5, show_default=True,
              help="Rows sampled from the data to build attacks from.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the row sample.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              help="Hard deadline per attack, in seconds.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@plugins_dir_option
def probe_command(verifier: str, data: str, options: tuple[str, ...], threshold: float,
                  only: tuple[str, ...], max_rows: int, seed: int, timeout: float | None,
                  workers: int, as_json: bool, plugins_dirs: tuple[str, ...]) -> None:
    """Attack VERIFIER with completions that must not earn reward.

    Attacks (generic, answer spraying, format, code, structured, and families plugins
    register) are built from rows of --data. Prints the families by reward earned and the
    worst completions; exits with status 1 when any attack earns more than --threshold.
    """
    from rewardkit.probe import probe

    pm = _plugins(plugins_dirs)
    try:
        report = probe(verifier, _rows(data), options=dict(parse_option(o) for o in options),
                       threshold=threshold, only=only or None, max_rows=max_rows, seed=seed,
                       plugin_manager=pm, timeout=timeout, workers=workers)
    except (ConfigError, PluginError, ValueError, ValidationError) as exc:
        raise click.ClickException(one_line(exc)) from None
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.table())
    if not report.passed:
        click.echo(f"attacks earning reward: {', '.join(report.earning_attacks)}", err=True)
        sys.exit(1)


@click.command(name="audit")
@click.argument("scored", metavar="SCORED.jsonl", type=click.Path(exists=True, dir_okay=False))
@click.option("--against", required=True, metavar="VERIFIER[:OPTIONS]",
              help='The verifier to re-score with; options as key=value,... or a JSON object '
                   '(math:preset=strict, math:{"preset": "strict"}).')
@click.option("--input", "input_path", type=click.Path(exists=True, dir_okay=False),
              help="The file `rewardkit score` read, when SCORED.jsonl is its output "
                   "(lines are joined by their line number).")
@click.option("--verifier", "scored_verifier", metavar="KEY",
              help="Which result of a `rewardkit score` line to compare (default: the first).")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the disagreeing lines, with both verdicts, to this JSONL file.")
@click.option("--max-disagreement", type=click.FloatRange(0, 1), metavar="RATE",
              help="Exit with status 1 when the disagreement rate is above RATE.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              help="Hard deadline per sample, in seconds.")
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes.")
@plugins_dir_option
def audit_command(scored: str, against: str, input_path: str | None,
                  scored_verifier: str | None, output: str | None,
                  max_disagreement: float | None, timeout: float | None, workers: int | None,
                  plugins_dirs: tuple[str, ...]) -> None:
    """Re-score SCORED.jsonl with another verifier: confusion table and disagreements.

    Each line is a sample with its verdict: a `reward` (and optionally `status`, `reason`)
    of its own, or the output of `rewardkit score` with --input naming the file it scored.
    """
    from rewardkit.agreement import parse_verifier_arg
    from rewardkit.audit import AuditInputError, audit, read_lines, scored_pairs

    try:
        name, options = parse_verifier_arg(against)
        inputs = read_lines(input_path) if input_path else None
        pairs = list(scored_pairs(read_lines(scored), inputs, scored_verifier))
        report = audit(pairs, name, options, plugin_manager=_plugins(plugins_dirs),
                       timeout=timeout, workers=workers)
    except AuditInputError as exc:
        raise click.ClickException(f"{scored}: {exc}") from None
    except (ConfigError, PluginError, ValueError, ValidationError) as exc:
        raise click.ClickException(one_line(exc)) from None
    click.echo(report.text())
    if output:
        with Path(output).open("w", encoding="utf-8") as handle:
            for row in report.disagreements:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        click.echo(f"{len(report.disagreements)} disagreements written to {output}", err=True)
    rate = report.agreement.disagreement_rate
    if max_disagreement is not None and rate > max_disagreement:
        click.echo(f"disagreement rate {rate:.2%} is above --max-disagreement "
                   f"{max_disagreement:g}", err=True)
        sys.exit(1)
