"""Command-line parameters shared by the ``rewardkit`` commands (rewardkit.cli and the probe
and audit commands of rewardkit.probe.commands)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click


def plugins_dir_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--plugins-dir", "plugins_dirs", multiple=True, metavar="DIR",
        type=click.Path(exists=True, file_okay=False),
        help="Also load every plugin module (*.py) in DIR. Repeatable.",
    )(command)


def parse_option(text: str) -> tuple[str, Any]:
    """``--option KEY=VALUE``: VALUE as JSON when it parses, else as text."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not KEY=VALUE", param_hint="--option")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value
