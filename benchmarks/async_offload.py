"""Event-loop responsiveness while ``RewardEngine.ascore`` scores a big batch, with and
without the offload of its CPU work (reading, routing, hashing, inline sync verifiers).

``ascore`` does that work in a thread once a batch has more than ``ASYNC_OFFLOAD`` samples
(issue 13), so a server's event loop keeps answering other requests. Both sides run in this
one process on the same samples: once as shipped, once with the threshold raised past the
batch size (all the work on the loop, as before). While each batch is scored, a heartbeat
coroutine ticks every millisecond and a one-sample request falls due every 10 ms; the figures
are the longest the loop went without ticking and the small requests' latency, from when each
was due to its answer.

    python benchmarks/async_offload.py [--samples 4000] [--batches 3] [--work-us 100]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import time

import rewardkit.engine as engine_module
from rewardkit import RewardEngine, Sample, Verifier, hookimpl, make_plugin_manager


class Busy(Verifier):
    """Inline, with ``work_us`` microseconds of pure-Python CPU per sample."""

    name = "busy"
    inline = True
    work_us = 100.0

    def verify(self, sample: Sample) -> float:
        end = time.perf_counter() + self.work_us / 1e6
        while time.perf_counter() < end:
            pass
        return float(sample.completion_text == sample.reference)


class Plugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Busy)


async def one_batch(engine: RewardEngine, batch: list[dict[str, str]],
                    small: list[dict[str, str]]) -> tuple[float, list[float], float]:
    """(longest loop stall, small requests' latencies, batch seconds) for one big batch."""
    ticks: list[float] = []
    latencies: list[float] = []
    done = asyncio.Event()

    async def heartbeat() -> None:
        while not done.is_set():
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.001)
        ticks.append(time.perf_counter())  # the first tick after a batch that never yielded

    async def small_requests() -> None:
        # One request every 10 ms, each timed from when it was due: a loop that is blocked
        # makes the due requests wait, as a server's clients would.
        due = time.perf_counter()
        for sample in small:
            if done.is_set():
                return
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            await engine.ascore([sample])
            latencies.append(time.perf_counter() - due)
            due += 0.010

    beat = asyncio.create_task(heartbeat())
    others = asyncio.create_task(small_requests())
    await asyncio.sleep(0.01)
    start = time.perf_counter()
    await engine.ascore(batch)
    elapsed = time.perf_counter() - start
    done.set()
    await asyncio.gather(beat, others)
    # The heartbeat started before the batch and stopped after it: its longest gap is the
    # batch's longest stall.
    stall = max((b - a for a, b in itertools.pairwise(ticks)), default=elapsed)
    return stall, latencies or [elapsed], elapsed


def measure(offload: bool, samples: int, batches: int) -> dict[str, float]:
    pm = make_plugin_manager()
    pm.register(Plugin())
    threshold = engine_module.ASYNC_OFFLOAD
    engine_module.ASYNC_OFFLOAD = threshold if offload else samples + 1
    stalls, latencies, seconds = [], [], []
    try:
        with RewardEngine(["busy"], plugin_manager=pm, workers=1, cache_size=0) as engine:
            for b in range(batches):
                batch = [{"completion": str(i % 7), "answer": str(i % 5), "id": f"{b}-{i}"}
                         for i in range(samples)]
                small = [{"completion": "1", "answer": "1", "id": f"s{b}-{i}"}
                         for i in range(1000)]
                stall, waited, elapsed = asyncio.run(one_batch(engine, batch, small))
                stalls.append(stall)
                latencies += waited
                seconds.append(elapsed)
    finally:
        engine_module.ASYNC_OFFLOAD = threshold
    return {"stall_ms": 1e3 * statistics.median(stalls),
            "small_p50_ms": 1e3 * statistics.median(latencies),
            "small_max_ms": 1e3 * max(latencies),
            "small_count": len(latencies) / batches,
            "samples_per_s": samples / statistics.median(seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=4000)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--work-us", type=float, default=100.0)
    args = parser.parse_args()
    Busy.work_us = args.work_us
    print(f"batch: {args.samples} samples, {args.work_us:g} µs of CPU each (inline), "
          f"{args.batches} batches per side; threshold {engine_module.ASYNC_OFFLOAD}")
    on = measure(True, args.samples, args.batches)
    off = measure(False, args.samples, args.batches)
    for label, row in (("offload (as shipped)", on), ("on the loop (no offload)", off)):
        print(f"{label:26} longest loop stall {row['stall_ms']:8.1f} ms; small requests "
              f"during the batch {row['small_count']:5.0f}, latency p50 "
              f"{row['small_p50_ms']:7.1f} ms, max {row['small_max_ms']:8.1f} ms; "
              f"batch throughput {row['samples_per_s']:7.0f} samples/s")
    print(f"longest stall, no offload / offload: {off['stall_ms'] / on['stall_ms']:.0f}x; "
          f"small-request p50 latency, no offload / offload: "
          f"{off['small_p50_ms'] / on['small_p50_ms']:.0f}x; "
          f"throughput, offload / no offload: "
          f"{on['samples_per_s'] / off['samples_per_s']:.2f}")


if __name__ == "__main__":
    main()
