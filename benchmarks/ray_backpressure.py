"""Driver memory and in-flight work when a batch is far larger than the Ray cluster.

Streams samples through ``engine.score_iter`` on the ray executor (a local Ray instance, one
actor, ``exact_match``: cheap, so the driver produces far faster than the cluster verifies)
and samples the driver's RSS and the chunks in flight. Two sizes, measured in one run: if the
driver held every pending sample, or sent every chunk at once, the larger run's RSS growth
and peak in-flight chunks would grow with it; bounded, their ratio stays near 1.

    python benchmarks/ray_backpressure.py [--samples 100000] [--small 10000]
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Iterator
from typing import Any

from rewardkit import RewardEngine


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def stream(count: int) -> Iterator[dict[str, Any]]:
    # Generated lazily, as a trainer or a JSONL reader would hand them over.
    for i in range(count):
        yield {"completion": f"answer {i % 97} " + "x" * 200, "reference": f"answer {i % 89}"}


def run(engine: RewardEngine, count: int) -> tuple[float, float, int, int, float]:
    """(RSS before MiB, peak RSS MiB, peak chunks sent to actors, peak chunks queued in the
    driver, seconds) for ``count`` samples."""
    executor: Any = engine.pool
    peak = [rss_mib(), 0, 0]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.02):
            health = executor.health()
            peak[0] = max(peak[0], rss_mib())
            peak[1] = max(peak[1], health["in_flight_chunks"])
            peak[2] = max(peak[2], health["queued_chunks"])

    before = rss_mib()
    watcher = threading.Thread(target=watch)
    watcher.start()
    start = time.perf_counter()
    scored = sum(1 for _ in engine.score_iter(stream(count), batch_size=1024))
    elapsed = time.perf_counter() - start
    done.set()
    watcher.join()
    assert scored == count
    return before, peak[0], int(peak[1]), int(peak[2]), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    args = parser.parse_args()
    import ray

    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False,
             object_store_memory=100 * 1024 * 1024)
    try:
        # inline: False sends exact_match to the workers (it is cheap enough to run inline)
        with RewardEngine([{"name": "exact_match", "inline": False}], executor="ray",
                          ray_actors=1, workers=1, cache_size=0) as engine:
            engine.warm()
            run(engine, 2000)  # actor, workers and imports warm; allocator settled
            small = run(engine, args.small)
            large = run(engine, args.samples)
    finally:
        ray.shutdown()
    for name, (count, (before, peak, sent, queued, seconds)) in {
            "small": (args.small, small), "large": (args.samples, large)}.items():
        print(f"{name}: {count} samples in {seconds:.1f} s ({count / seconds:.0f}/s); driver "
              f"RSS {before:.0f} -> peak {peak:.0f} MiB (+{peak - before:.1f}); peak chunks "
              f"at the actor {sent}, queued in the driver {queued}")
    growth = (large[1] - large[0]) / max(small[1] - small[0], 1.0)
    print(f"samples ratio {args.samples / args.small:.0f}x; RSS growth ratio {growth:.2f}x "
          f"(floor 1 MiB); chunks at the actor ratio {large[2] / max(small[2], 1):.2f}x")


if __name__ == "__main__":
    main()
