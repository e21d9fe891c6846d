"""Parity of the ``math`` verifier with math-verify's own parametrized tests.

Reads the parametrized rows of math-verify's tests from a local snapshot of
huggingface/Math-Verify at run time (nothing of it is stored here), keeps the rows whose
label holds under math-verify's default ``parse``/``verify`` settings, and scores each row
with rewardkit (completion = the row's prediction, reference = its gold answer)::

    .venv/bin/python scripts/math_parity.py /path/to/Math-Verify [--preset lenient]

Prints the count of rows where rewardkit agrees with the label and every disagreement.
Exits 1 when rewardkit misses a row.
"""

from __future__ import annotations

import argparse
import ast
import logging
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

TEST_FILES = ("test_all.py", "test_numina_cases.py", "test_open_thoughts.py", "test_boxed.py")


def test_source(snapshot: Path, name: str) -> str:
    """A test file of the snapshot: a checkout, or the bare git directory ``fetch`` gives."""
    if (snapshot / "tests" / name).is_file():
        return (snapshot / "tests" / name).read_text(encoding="utf-8")
    return subprocess.run(["git", "--git-dir", str(snapshot), "show", f"HEAD:tests/{name}"],
                          check=True, capture_output=True, text=True).stdout


def parametrized_rows(name: str, source: str) -> list[tuple[str, str, str, int]]:
    """``(test name, gold, pred, expected)`` of every ``gold,pred,expected[,...]`` row."""
    rows: list[tuple[str, str, str, int]] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            if not (isinstance(decorator, ast.Call) and len(decorator.args) >= 2
                    and ast.unparse(decorator.func).endswith("parametrize")):
                continue
            names = [n.strip() for n in ast.literal_eval(decorator.args[0]).split(",")]
            if names[:3] != ["gold", "pred", "expected"]:
                continue
            table = decorator.args[1]
            for row_node in table.elts if isinstance(table, ast.List | ast.Tuple) else []:
                row = _row_value(row_node)
                rows.append((f"{name}::{node.name}", row[0], row[1], int(row[2])))
    return rows


def _row_value(node: ast.expr) -> Any:
    """A row as a value: literals directly; the odd f-string row (``f"{math.sqrt(17):.15f}"``)
    is evaluated with nothing but the ``math`` module in reach."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        code = compile(ast.Expression(node), "<row>", "eval")
        return eval(code, {"__builtins__": {}, "math": math})


def math_verify_default(gold: str, pred: str) -> int:
    import math_verify

    return int(math_verify.verify(math_verify.parse(gold), math_verify.parse(pred)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path,
                        help="a checkout of huggingface/Math-Verify, or its bare git directory")
    parser.add_argument("--preset", default="lenient")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    rows = [row for name in TEST_FILES
            for row in parametrized_rows(name, test_source(args.snapshot, name))]
    holding = [row for row in rows if math_verify_default(row[1], row[2]) == row[3]]

    from rewardkit import RewardEngine, Sample

    samples = [Sample(completion=pred, reference=gold) for _, gold, pred, _ in holding]
    options = {"preset": args.preset} if args.preset else {}
    spec: dict[str, Any] = {"name": "math", "options": options}
    with RewardEngine([spec], workers=args.workers) as engine:
        scores = engine.score(samples)
    misses = []
    for row, score in zip(holding, scores):
        got = int(score.reward == 1.0)
        if got != row[3]:
            misses.append((row, score.results[0]))
    print(f"{len(rows)} parametrized rows, {len(holding)} hold under math-verify's defaults")
    print(f"rewardkit (preset {args.preset}) agrees on {len(holding) - len(misses)} "
          f"of {len(holding)}")
    for (name, gold, pred, expected), result in misses:
        print(f"  MISS {name}: gold={gold!r} pred={pred[-120:]!r} expected={expected} "
              f"got={result.reward} ({result.status.value}: {result.reason[:100]})")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
