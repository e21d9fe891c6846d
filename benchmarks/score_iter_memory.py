"""`score_iter` over more lines than memory holds: the parent's peak RSS stays bounded.

A generator yields ``--lines`` JSON lines (never a list of them); each is parsed, scored
through ``RewardEngine.score_iter`` (which keeps two batches in flight) and dropped. The
baseline, measured in the same run, is the peak RSS after the first 10,000 lines: a
window that is bounded keeps the final peak near it (target: below 1 GiB at 1,000,000
lines). ``exact_match`` keeps it fast; ``--pooled`` sends it through the worker pool too.
Run from the repository root (minutes; under nice)::

    nice -n 10 .venv/bin/python benchmarks/score_iter_memory.py --lines 1000000
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections.abc import Iterator

from rewardkit import RewardEngine, Sample


def lines(count: int) -> Iterator[str]:
    for i in range(count):
        yield json.dumps({"prompt": f"question {i}", "completion": f"the answer is {i % 997}",
                          "answer": str(i % 991), "id": i})


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--pooled", action="store_true", help="exact_match in the worker pool")
    args = parser.parse_args()
    spec = {"name": "exact_match", "inline": not args.pooled}
    start = time.perf_counter()
    early = 0.0
    passed = 0
    with RewardEngine([spec], workers=2) as engine:
        samples = (Sample.from_record(json.loads(line)) for line in lines(args.lines))
        for index, score in enumerate(engine.score_iter(samples)):
            passed += score.reward > 0
            if index == 10_000:
                early = peak_mib()
    seconds = time.perf_counter() - start
    peak = peak_mib()
    print(f"{args.lines:,} lines through score_iter ({'pooled' if args.pooled else 'inline'} "
          f"exact_match) in {seconds:.1f} s, {passed:,} passed")
    print(f"peak RSS after 10,000 lines: {early:.0f} MiB; after all: {peak:.0f} MiB = "
          f"{peak / early:.2f}x ({'meets' if peak < 1024 else 'MISSES'} the 1 GiB target)")


if __name__ == "__main__":
    main()
