"""Scores every line of a multi-language data set (tests/data/multilang/problems.jsonl, or
another with ``--data``) through ``rewardkit score`` on each sandbox backend and prints, per
language, how many correct solutions passed and how many wrong ones failed (every one must),
with the lines that did not.

    nice -n 10 python benchmarks/multilang_table.py [--backend process|docker] [--limit N]
        [--data tests/data/multilang/external.jsonl]

The data sets and how they are made: benchmarks/multilang_problems.py and
benchmarks/multilang_external.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "multilang" / "problems.jsonl"
RK = [sys.executable, "-m", "rewardkit"]


def score(lines: list[dict[str, object]], backend: str, time_limit: float) -> list[dict]:
    """Each line's output of ``rewardkit score`` (one worker, the code verifier on ``backend``)."""
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.yaml"
        config.write_text("verifiers:\n  - name: code\n    options: "
                          f"{{backend: {backend}, time_limit: {time_limit}}}\n")
        data = "".join(json.dumps(line) + "\n" for line in lines)
        done = subprocess.run([*RK, "score", "-", "-c", str(config), "--workers", "1", "-q",
                               "--details", "--timeout", "600"], input=data,
                              capture_output=True, text=True, check=False)
        if done.returncode not in (0, 1):
            raise SystemExit(f"rewardkit score failed: {done.stderr[-2000:]}")
        return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", action="append", choices=["process", "docker"])
    parser.add_argument("--limit", type=int, default=0, help="only the first N problems")
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--data", type=Path, default=DATA,
                        help="the data set (default: problems.jsonl; external.jsonl: "
                             "reasoning-gym's problems, benchmarks/multilang_external.py)")
    args = parser.parse_args()
    lines = [json.loads(line) for line in args.data.read_text().splitlines()]
    if args.limit:
        keep = list(dict.fromkeys(line["problem"] for line in lines))[:args.limit]
        lines = [line for line in lines if line["problem"] in keep]
    bad = 0
    for backend in args.backend or ["process", "docker"]:
        started = time.monotonic()
        results = score(lines, backend, args.time_limit)
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        misses = []
        for line, result in zip(lines, results, strict=True):
            row = table[str(line["language"])]
            reward = result.get("reward")
            ok = reward == line["expect"]
            if line["kind"] == "correct":
                row[0] += ok
                row[1] += 1
            else:
                row[2] += ok
                row[3] += 1
            if not ok:
                misses.append((line["problem"], line["language"], line["kind"], reward,
                               str(result.get("results", result))[:300]))
        print(f"\nbackend {backend}: {len(lines)} lines in {time.monotonic() - started:.0f} s")
        print("| language | correct passed | wrong failed |\n|---|---|---|")
        for language, (cp, ct, wf, wt) in table.items():
            print(f"| {language} | {cp}/{ct} | {wf}/{wt} |")
        for miss in misses:
            print("  MISS", *miss)
        bad += len(misses)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
