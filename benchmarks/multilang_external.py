"""Writes tests/data/multilang/external.jsonl: I/O problems whose inputs and expected outputs
come from reasoning-gym's generators (an outside oracle: no expected value is computed here),
each with a correct solution and a wrong one in every language the code verifier runs, as
lines for ``rewardkit score`` (the format of problems.jsonl).

One module per problem in ``benchmarks/rg_tasks/``: ``TASK`` (the reasoning-gym data set),
``CONFIG`` (its options), ``stdin(entry)`` and ``stdout(entry)`` (the input, from the entry's
metadata, and the expected output, from its ``answer``, only reformatted), ``SOLUTIONS``
(language: source) and ``WRONG`` (language: (kind, source)).

    python benchmarks/multilang_external.py [--tasks NAME ...]   # deterministic

Some generators (isomorphic_strings, ransom_note) iterate over sets, so their entries for a
seed depend on string hashing: the script runs itself again with ``PYTHONHASHSEED=0``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "tests" / "data" / "multilang" / "external.jsonl"
LANGUAGES = ["python", "c", "cpp", "java", "javascript", "go", "rust"]
KINDS = {"off_by_one", "overflow", "format", "slow", "logic"}
CASES = 8
SEED = 16


def modules(names: list[str] | None = None) -> list[ModuleType]:
    sys.path.insert(0, str(HERE))
    found = sorted(m.name for m in pkgutil.iter_modules([str(HERE / "rg_tasks")]))
    chosen = [n for n in found if not names or n in names]
    return [importlib.import_module(f"rg_tasks.{name}") for name in chosen]


def lines_of(module: ModuleType) -> list[dict[str, object]]:
    import reasoning_gym

    entries = reasoning_gym.create_dataset(module.TASK, size=CASES, seed=SEED, **module.CONFIG)
    cases = [{"stdin": module.stdin(entry), "stdout": module.stdout(entry)} for entry in entries]
    problem = module.__name__.rsplit(".", 1)[-1]
    missing = [lang for lang in LANGUAGES
               if lang not in module.SOLUTIONS or lang not in module.WRONG]
    if missing:
        raise SystemExit(f"{problem}: no correct or wrong solution in {missing}")
    out: list[dict[str, object]] = []
    for language in LANGUAGES:
        kind, wrong = module.WRONG[language]
        if kind not in KINDS:
            raise SystemExit(f"{problem}/{language}: unknown kind of wrong solution {kind!r}")
        if wrong == module.SOLUTIONS[language]:  # a replace() that matched nothing
            raise SystemExit(f"{problem}/{language}: the wrong solution is the correct one")
        for label, source, expect in (("correct", module.SOLUTIONS[language], 1.0),
                                      (kind, wrong, 0.0)):
            fence = f"```{language}\n{source.strip()}\n```"
            out.append({"problem": problem, "language": language, "kind": label,
                        "expect": expect, "completion": fence,
                        "reference": {"language": language, "cases": cases}})
    return out


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]],
                  {**os.environ, "PYTHONHASHSEED": "0"})
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="+", help="only these modules of rg_tasks")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    lines = [line for module in modules(args.tasks) for line in lines_of(module)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(line) + "\n" for line in lines))
    print(f"wrote {len(lines)} lines to {args.out}")


if __name__ == "__main__":
    main()
