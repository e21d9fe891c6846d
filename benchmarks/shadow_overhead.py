"""What shadow verification costs the caller: batch latency with and without a shadow.

The same batches go through two engines in this one process: one plain, one whose verifier
has a shadow (the same verifier with other options, every sample shadowed: the worst
case, ``sample_rate: 1.0``). The shadow runs in a background thread after the results are
returned, so the caller's latency should barely move; the printed ratio is shadowed /
plain mean batch latency (target: close to 1). The shadow's own throughput is shown too
(every queued batch finished after the timed part).

    python benchmarks/shadow_overhead.py [--batches 100] [--batch-size 64] [--rate 1.0]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from rewardkit import RewardEngine


def run(engine: RewardEngine, batches: list[list[dict[str, str]]]) -> float:
    start = time.perf_counter()
    for batch in batches:
        engine.score(batch)
    return (time.perf_counter() - start) / len(batches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    batches = [[{"completion": f"Answer {b}-{i}", "answer": f"answer {b}-{i}"}
                for i in range(args.batch_size)] for b in range(args.batches)]
    with tempfile.TemporaryDirectory() as folder:
        shadow = {"verifier": "exact_match", "options": {"ignore_case": True},
                  "sample_rate": args.rate, "max_queued": args.batches + 1,
                  "file": str(Path(folder) / "disagreements.jsonl")}
        spec = {"name": "exact_match", "inline": False}
        with RewardEngine([spec], workers=2, cache_size=0) as plain, \
                RewardEngine([{**spec, "shadow": shadow}], workers=2, cache_size=0) as shadowed:
            # Alternating rounds on a shared machine; the first (pools warming) is dropped.
            times: dict[str, list[float]] = {"plain": [], "shadowed": []}
            for _ in range(args.rounds):
                times["plain"].append(run(plain, batches))
                times["shadowed"].append(run(shadowed, batches))
            start = time.perf_counter()
            shadowed.flush_shadow(600)
            drain = time.perf_counter() - start
            metrics = shadowed.shadow_metrics()
    base = statistics.median(times["plain"][1:])
    with_shadow = statistics.median(times["shadowed"][1:])
    print(f"plain: {base * 1000:.2f} ms per batch of {args.batch_size} (median of "
          f"{args.rounds - 1} rounds of {args.batches})")
    print(f"shadowed (rate {args.rate:g}): {with_shadow * 1000:.2f} ms per batch; "
          f"{metrics['rewardkit/exact_match/shadowed']:.0f} samples shadowed, "
          f"{drain:.2f} s to drain the queue after the last batch")
    print(f"latency ratio shadowed/plain: {with_shadow / base:.2f}x")


if __name__ == "__main__":
    main()
