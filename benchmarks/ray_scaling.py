"""Throughput of the ray executor against the local one, on this machine, in one run.

Both verify the same samples with the same verifier and the same number of worker
processes: locally, one warm pool; on Ray, a local cluster whose actors each hold a warm
pool. The verifier burns a fixed amount of CPU per sample (``--ms``), like a code or sympy
check, so the figure is framework overhead plus parallelism, not I/O.

    python benchmarks/ray_scaling.py [--samples 4000] [--ms 2] [--workers 2] [--actors 1]
"""

from __future__ import annotations

import argparse
import tempfile
import textwrap
import time
from pathlib import Path

from rewardkit import RewardEngine

PLUGIN = '''
import time
from rewardkit import Verifier, hookimpl

class Burn(Verifier):
    name = "burn"

    def verify(self, sample):
        end = time.process_time() + sample.metadata["ms"] / 1000
        while time.process_time() < end:
            pass
        return True

@hookimpl
def register_verifiers(register):
    register(Burn)
'''


def run(samples: list[dict[str, object]], **settings: object) -> float:
    with RewardEngine(["burn"], cache_size=0, timeout=30, **settings) as engine:
        engine.warm()
        engine.score(samples[:50])  # workers started and plugins loaded on every actor
        start = time.perf_counter()
        scores = engine.score(samples)
        elapsed = time.perf_counter() - start
    assert all(s.reward == 1.0 for s in scores)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=4000)
    parser.add_argument("--ms", type=float, default=2.0, help="CPU milliseconds per sample")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per pool")
    parser.add_argument("--actors", type=int, default=1, help="Ray actors (one per node)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    (folder / "burn.py").write_text(textwrap.dedent(PLUGIN))
    samples: list[dict[str, object]] = [
        {"completion": str(i), "metadata": {"ms": args.ms}} for i in range(args.samples)]
    common = {"workers": args.workers, "plugins_dir": str(folder)}
    local = run(samples, **common)
    import ray

    ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
    try:
        remote = run(samples, executor="ray", ray_actors=args.actors, **common)
    finally:
        ray.shutdown()
    ideal = args.samples * args.ms / 1000 / args.workers
    print(f"samples: {args.samples}, {args.ms:g} ms CPU each, {args.workers} workers, "
          f"{args.actors} actor(s); ideal {ideal:.2f} s")
    print(f"local executor: {local:.2f} s, {args.samples / local:.0f} samples/s")
    print(f"ray executor:   {remote:.2f} s, {args.samples / remote:.0f} samples/s")
    print(f"ray / local throughput: {local / remote:.2f}x")


if __name__ == "__main__":
    main()
