"""Framework cost per sample for a trivial verifier, against calling it in a bare loop.

Both sides run in this one process, on the same 20,000 samples. The rewardkit side goes
from JSON lines in to JSON lines out (parse, validate, route, cache lookup, execute, weight,
serialise), once with the verifier declared ``inline`` and once in the worker pool with
its hard deadline. Target (issue 2): at most 100 µs per sample of overhead, amortised.

    python benchmarks/engine_overhead.py [--samples 20000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import time

from rewardkit import RewardEngine, Sample, Verifier, hookimpl, make_plugin_manager


class Trivial(Verifier):
    name = "trivial"

    def verify(self, sample: Sample) -> bool:
        return sample.completion_text == sample.reference


class TrivialInline(Trivial):
    name = "trivial_inline"
    inline = True


class Plugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Trivial)
        register(TrivialInline)


def bare_loop(lines: list[str]) -> float:
    verifier = Trivial()
    samples = [Sample.from_record(json.loads(line)) for line in lines]
    start = time.perf_counter()
    for sample in samples:
        verifier.verify(sample)
    return time.perf_counter() - start


def framework(lines: list[str], verifier: str, workers: int) -> float:
    pm = make_plugin_manager()
    pm.register(Plugin())
    with RewardEngine([verifier], plugin_manager=pm, workers=workers, cache_size=0) as engine:
        engine.warm()
        engine.score([{"completion": "warm", "answer": "up"}])
        start = time.perf_counter()
        out = []
        samples = (Sample.from_record(json.loads(line)) for line in lines)
        for scored in engine.score_iter(samples):
            out.append(json.dumps({"reward": scored.reward,
                                   "results": [r.model_dump(mode="json") for r in scored.results]}))
        elapsed = time.perf_counter() - start
    assert len(out) == len(lines)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    lines = [json.dumps({"prompt": f"q{i}", "completion": str(i % 97), "answer": str(i % 89),
                         "id": i}) for i in range(args.samples)]
    bare = bare_loop(lines)
    n = args.samples
    print(f"samples: {n}, workers: {args.workers}")
    print(f"bare loop:             {bare / n * 1e6:8.1f} µs/sample")
    for label, name in (("inline verifier", "trivial_inline"), ("pooled verifier", "trivial")):
        elapsed = framework(lines, name, args.workers)
        overhead = (elapsed - bare) / n * 1e6
        verdict = "meets" if overhead <= 100 else "MISSES"
        print(f"rewardkit, {label}: {elapsed / n * 1e6:8.1f} µs/sample; overhead "
              f"{overhead:.1f} µs/sample ({verdict} the 100 µs target); "
              f"{elapsed / bare:.0f}x the bare loop")


if __name__ == "__main__":
    main()
