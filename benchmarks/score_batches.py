"""`rewardkit score`'s resized batches against fixed batches of 1024, and time to first line.

The score command writes each line as soon as its batch is scored. Its batches start small
and are resized to take about half a second, so a slow verifier's first lines come out at
once; this measures what that costs a fast verifier (many lines per second) against the old
fixed batches of 1024, both in this process, on the same lines and engine, cache off.

    python benchmarks/score_batches.py [--samples 20000] [--workers 2] [--verifier math]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator

from rewardkit import RewardEngine, Sample
from rewardkit.cli import _ScoreRun


def fixed(engine: RewardEngine, lines: list[str]) -> tuple[float, float]:
    samples = (Sample.from_record(json.loads(line)) for line in lines)
    return timed(json.dumps(s.model_dump()) for s in engine.score_iter(samples, 1024))


def resized(engine: RewardEngine, lines: list[str]) -> tuple[float, float]:
    return timed(json.dumps(row) for row in _ScoreRun(engine, details=False,
                                                       strict=False).rows(lines))


def timed(rows: Iterator[str]) -> tuple[float, float]:
    """(seconds to the first line, seconds to the last)."""
    start = time.perf_counter()
    first = 0.0
    for index, _ in enumerate(rows):
        if index == 0:
            first = time.perf_counter() - start
    return first, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--verifier", default="math")
    args = parser.parse_args()
    lines = [json.dumps({"completion": f"#### {i % 50}", "answer": str(i % 7)})
             for i in range(args.samples)]
    with RewardEngine([args.verifier], workers=args.workers, cache_size=0) as engine:
        fixed(engine, lines[:500])  # warm the workers
        base_first, base = fixed(engine, lines)
        new_first, new = resized(engine, lines)
    print(f"fixed 1024: first line {base_first:.3f} s, all {base:.2f} s")
    print(f"resized:    first line {new_first:.3f} s, all {new:.2f} s")
    print(f"throughput ratio resized/fixed: {base / new:.2f}x; "
          f"first line {base_first / max(new_first, 1e-9):.0f}x sooner")


if __name__ == "__main__":
    main()
