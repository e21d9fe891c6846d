"""Work that must not grow with the worker count (issue 18), measured on the math set.

Three figures, each against a baseline measured in the same run, on the 4,000 GRPO-like
completions of ``math_throughput.py`` (same generator, same seed):

- total CPU: parent and workers (``getrusage`` ``RUSAGE_SELF`` + ``RUSAGE_CHILDREN``) from
  ``RewardEngine(["math"], workers=N)`` to its ``close()``, in a fresh process per N, as a
  ratio to N = 1 (target at N = 8: <= 1.2x);
- parent CPU per pooled sample: ``time.process_time()`` around
  ``RewardEngine(["math"], workers=2).score(rows)`` (target <= 40 us), beside the same
  figure for a trivial pooled verifier (no math at all);
- start-up: wall seconds from ``RewardEngine(["math"], workers=N)`` to the first math
  result, in a fresh process, N = 8 against N = 1 (target <= 1.5x);
- serial parts (``--only serial``, a diagnostic): on a warm pool of the largest
  ``--workers`` whose verifier sleeps ``--sleep-ms`` a sample (sleeping workers stand in for
  cores a 2-core machine lacks), the milliseconds from ``score()`` to the first sample a
  worker starts and from the last one it finishes to ``score()``'s return, beside the whole
  call (the parent's work that no number of workers shortens), and the samples per second
  against what the workers' sleeps alone allow.

Each fresh process imports rewardkit and builds the data before its clock starts. Run from
the repository root (``--repeat`` runs everything that many times)::

    nice -n -5 .venv/bin/python benchmarks/worker_scaling.py --workers 1 2 8 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _samples(seed: int) -> list[object]:
    sys.path.insert(0, str(HERE))
    from math_throughput import completions

    return completions(random.Random(seed))  # type: ignore[return-value]


def child_total(workers: int, seed: int) -> dict[str, float]:
    """In a fresh process: total CPU and wall time of scoring the set with ``workers``."""
    from rewardkit import RewardEngine, get_plugin_manager

    samples = _samples(seed)
    get_plugin_manager()  # plugin discovery is not the pool's work: out of the clock
    cpu, wall = _cpu(), time.perf_counter()
    parent = time.process_time()
    with RewardEngine(["math"], workers=workers) as engine:
        scores = engine.score(samples)
        parent = time.process_time() - parent
    not_ok = sum(1 for s in scores if s.results[0].status.value != "ok")
    return {"cpu": _cpu() - cpu, "wall": time.perf_counter() - wall, "parent": parent,
            "not_ok": not_ok, "reward": sum(s.reward for s in scores)}


def child_parent(seed: int) -> dict[str, float]:
    """Parent CPU per pooled sample: math, and a trivial pooled verifier, 2 workers."""
    from rewardkit import RewardEngine, Sample

    samples = _samples(seed)
    out: dict[str, float] = {}
    with RewardEngine(["math"], workers=2) as engine:
        engine.score(samples[:16])  # the pool is started and warm: score() alone is timed
        start = time.process_time()
        engine.score(samples)
        out["math_us"] = (time.process_time() - start) / len(samples) * 1e6
    rows = [Sample(prompt=f"q{i}", completion=str(i % 97), reference=str(i % 89))
            for i in range(20_000)]
    pooled = {"name": "exact_match", "inline": False}  # in the pool, as math is
    with RewardEngine([pooled], workers=2, cache_size=0) as engine:
        engine.score(rows[:16])
        start = time.process_time()
        engine.score(rows)
        out["exact_us"] = (time.process_time() - start) / len(rows) * 1e6
    return out


def child_start(workers: int) -> dict[str, float]:
    """Seconds from the engine's constructor to its first math result, in a fresh process."""
    from rewardkit import RewardEngine, Sample, get_plugin_manager

    # An answer only sympy can judge: the first result needs math-verify loaded and warm.
    sample = Sample(prompt="expand", completion="So it is $\\boxed{(x+7)^2}$.",
                    reference="$x^2+14x+49$")
    get_plugin_manager()
    start = time.perf_counter()
    with RewardEngine(["math"], workers=workers) as engine:
        result = engine.score([sample])[0].results[0]
        first = time.perf_counter() - start
    assert result.status.value == "ok", result
    return {"first": first}


def child_serial(workers: int, sleep: float, count: int = 16_000) -> dict[str, float]:
    """Head and tail of ``score()`` on a warm pool, seen from the workers' own clocks."""
    from rewardkit import RewardEngine, Sample, Verifier, hookimpl, make_plugin_manager
    from rewardkit.models import Result

    class Sleepy(Verifier):
        name = "sleepy"

        def verify(self, sample: Sample) -> Result:
            start = time.time()
            time.sleep(sleep)
            return Result(reward=1.0, details={"start": start, "end": time.time()})

    class Plugin:
        @hookimpl
        def register_verifiers(self, register):  # type: ignore[no-untyped-def]
            register(Sleepy)

    pm = make_plugin_manager()
    pm.register(Plugin())
    heads, tails, walls, slept = [], [], [], []
    with RewardEngine(["sleepy"], plugin_manager=pm, workers=workers) as engine:
        engine.score([Sample(completion="warm", reference=str(i)) for i in range(4 * workers)])
        for rep in range(3):  # distinct samples each time: no cache hit
            rows = [Sample(prompt=f"p{i // 8}", completion=f"{rep} {i}", reference=str(i // 8))
                    for i in range(count)]
            start = time.time()
            scores = engine.score(rows)
            end = time.time()
            details = [score.results[0].details for score in scores]
            heads.append(min(d["start"] for d in details) - start)
            tails.append(end - max(d["end"] for d in details))
            walls.append(end - start)
            slept.append(sum(d["end"] - d["start"] for d in details))  # sleeps overshoot
    return {"head": sorted(heads)[1], "tail": sorted(tails)[1], "wall": sorted(walls)[1],
            "ideal": sorted(slept)[1] / workers, "count": count}


def _run(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                         capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 8])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", choices=["cpu", "parent", "start", "serial"], nargs="+",
                        default=["cpu", "parent", "start"])
    parser.add_argument("--sleep-ms", type=float, default=2.0,
                        help="--only serial: what the stand-in verifier sleeps per sample")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "total":
            print(json.dumps(child_total(int(rest[0]), args.seed)))
        elif kind == "parent":
            print(json.dumps(child_parent(args.seed)))
        elif kind == "serial":
            print(json.dumps(child_serial(int(rest[0]), float(rest[1]) / 1000)))
        else:
            print(json.dumps(child_start(int(rest[0]))))
        return
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, seed {args.seed}")
    for run in range(1, args.repeat + 1):
        print(f"--- run {run} of {args.repeat}")
        if "cpu" in args.only:
            base = None
            for n in args.workers:
                f = _run("total", str(n))
                base = base or f["cpu"]
                print(f"total CPU, {n} workers: {f['cpu']:6.2f} s = {f['cpu'] / base:.2f}x the "
                      f"first (wall {f['wall']:.2f} s, parent {f['parent']:.2f} s, "
                      f"{f['not_ok']:.0f} not ok, reward sum {f['reward']:.0f})")
        if "parent" in args.only:
            f = _run("parent")
            print(f"parent CPU per pooled sample, 2 workers: math {f['math_us']:.1f} us, "
                  f"exact_match {f['exact_us']:.1f} us (target <= 40 us)")
        if "serial" in args.only:
            n = max(args.workers)
            f = _run("serial", str(n), str(args.sleep_ms))
            print(f"serial parts of score(), {f['count']:,.0f} samples, {n} workers sleeping "
                  f"{args.sleep_ms:g} ms each: head {f['head'] * 1e3:.0f} ms, tail "
                  f"{f['tail'] * 1e3:.0f} ms of {f['wall'] * 1e3:.0f} ms "
                  f"({(f['head'] + f['tail']) / f['wall']:.1%}); {f['count'] / f['wall']:,.0f} "
                  f"samples/s, {f['ideal'] / f['wall']:.0%} of what the sleeps allow")
        if "start" in args.only:
            one = _run("start", "1")["first"]
            many = _run("start", str(max(args.workers)))["first"]
            print(f"start to first math result: 1 worker {one:.2f} s, {max(args.workers)} "
                  f"workers {many:.2f} s = {many / one:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
