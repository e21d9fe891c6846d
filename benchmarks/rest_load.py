"""Load on the REST service over loopback: throughput, latency percentiles, no 5xx.

Starts its own servers as subprocesses on 127.0.0.1 (nothing leaves the machine):
``rewardkit serve`` (one uvicorn process, a warm pool of ``--workers`` processes) and a bare
FastAPI echo endpoint with the same request body, then measures in one run:

1. ``POST /v1/verify/exact_match``: ``--requests`` single-sample requests at ``--concurrency``;
2. the same load on the echo endpoint (target: rewardkit at least 0.8x its throughput);
3. ``POST /v1/score`` batches of 16 on a verifier run in the worker pool;
4. ``GET /healthz`` latency while math bombs keep every worker busy (target: p95 < 50 ms).
   Uses the ``math`` verifier when installed, else a busy-looping test plugin (said so).

    python benchmarks/rest_load.py [--requests 5000] [--concurrency 32] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

PLUGIN = textwrap.dedent('''
    from rewardkit import Sample, Verifier, hookimpl

    class BenchTrivial(Verifier):
        name = "bench_trivial"  # runs in the worker pool (not inline)

        def verify(self, sample: Sample) -> bool:
            return sample.completion_text == sample.reference

    class BenchBomb(Verifier):
        name = "bench_bomb"  # burns CPU until the hard deadline, as a math bomb does

        def verify(self, sample: Sample) -> float:
            while True:
                pass

    @hookimpl
    def register_verifiers(register):
        register(BenchTrivial)
        register(BenchBomb)
''')

ECHO = textwrap.dedent('''
    import sys
    from typing import Any
    import uvicorn
    from fastapi import FastAPI
    from pydantic import BaseModel

    class Body(BaseModel):
        sample: dict[str, Any]
        options: dict[str, Any] = {}

    app = FastAPI()

    @app.post("/v1/verify/{verifier}", response_model=Body)
    async def echo(verifier: str, body: Body) -> Body:
        return body

    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
''')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(command: list[str], url: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz" if "rewardkit" in command else f"{url}/docs").is_success:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            raise SystemExit(f"server failed: {error}")
    raise SystemExit(f"server at {url} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


async def load(url: str, requests: int, concurrency: int, body: Callable[[int], dict[str, Any]],
               path: str, cap: float) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(requests))
    stop_at = time.monotonic() + cap
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:

        async def worker() -> None:
            for i in counter:
                if time.monotonic() > stop_at:
                    return
                start = time.perf_counter()
                response = await client.post(path, json=body(i))
                latencies.append(time.perf_counter() - start)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        begin = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - begin
    return {"n": len(latencies), "rps": len(latencies) / elapsed, **percentiles(latencies),
            "statuses": statuses, "5xx": sum(c for s, c in statuses.items() if s >= 500)}


def percentiles(latencies: list[float]) -> dict[str, float]:
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50": q[49] * 1e3, "p95": q[94] * 1e3, "p99": q[98] * 1e3}


async def health_under_bombs(url: str, verifier: str, seconds: float) -> dict[str, Any]:
    """Keep every worker on a math bomb while probing /healthz every 20 ms."""
    probes: list[float] = []
    busy: list[float] = []
    stop_at = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:

        async def bomber(k: int) -> None:
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                exponent = 100000 + 1000 * k + n  # distinct: nothing is served from a cache
                sample = {"completion": f"\\boxed{{(x+1)^{{{exponent}}}}}",
                          "reference": f"x^{{{exponent}}}"}
                await client.post("/v1/score", json={
                    "samples": [sample], "verifiers": [{"name": verifier, "timeout": 2}]})

        async def prober() -> None:
            await asyncio.sleep(1.0)  # let the bombs reach the workers
            while time.monotonic() < stop_at - 0.5:
                start = time.perf_counter()
                assert (await client.get("/healthz")).status_code == 200
                probes.append(time.perf_counter() - start)
                ready = (await client.get("/readyz")).json()
                busy.append(ready["busy_workers"] / ready["workers"])
                await asyncio.sleep(0.02)

        await asyncio.gather(prober(), *(bomber(k) for k in range(8)))
    return {"n": len(probes), **percentiles(probes), "busy": statistics.mean(busy)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cap", type=float, default=120.0, help="seconds per load phase")
    args = parser.parse_args()

    rk_port, echo_port = free_port(), free_port()
    rk, echo = f"http://127.0.0.1:{rk_port}", f"http://127.0.0.1:{echo_port}"
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "bench_plugin.py").write_text(PLUGIN)
        (Path(folder) / "echo.py").write_text(ECHO)
        env_python = sys.executable
        server = start([env_python, "-m", "rewardkit", "serve", "--port", str(rk_port),
                        "--workers", str(args.workers), "--plugins-dir", folder,
                        "--max-pending", "100000", "--log-level", "warning"], rk)
        echo_server = start([env_python, str(Path(folder) / "echo.py"), str(echo_port)], echo)
        try:
            verifiers = {v["name"] for v in httpx.get(f"{rk}/v1/verifiers").json()["verifiers"]}
            bomb = "math" if "math" in verifiers else "bench_bomb"

            def verify_body(i: int) -> dict[str, Any]:
                return {"sample": {"completion": str(i % 97), "reference": str(i % 89),
                                   "metadata": {"id": i}}}

            def score_body(i: int) -> dict[str, Any]:
                return {"samples": [{"completion": str(i * 16 + j), "reference": str(j)}
                                    for j in range(16)], "verifiers": ["bench_trivial"]}

            n, c = args.requests, args.concurrency
            asyncio.run(load(rk, 200, c, verify_body, "/v1/verify/exact_match", 30))  # warm up
            asyncio.run(load(echo, 200, c, verify_body, "/v1/verify/exact_match", 30))
            phases = [
                ("rewardkit POST /v1/verify/exact_match", asyncio.run(
                    load(rk, n, c, verify_body, "/v1/verify/exact_match", args.cap))),
                ("bare FastAPI echo, same body", asyncio.run(
                    load(echo, n, c, verify_body, "/v1/verify/exact_match", args.cap))),
                ("rewardkit POST /v1/score (16 samples, pooled verifier)", asyncio.run(
                    load(rk, n // 5, c, score_body, "/v1/score", args.cap))),
            ]
            health = asyncio.run(health_under_bombs(rk, bomb, 8.0))
        finally:
            stop(server)
            stop(echo_server)

    print(f"requests per phase: {n} (score phase: {n // 5}), concurrency {c}, "
          f"{args.workers} verifier workers, loopback, CPUs: {os.cpu_count()}")
    print("| load | requests | req/s | p50 ms | p95 ms | p99 ms | 5xx |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, r in phases:
        print(f"| {name} | {r['n']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
              f"{r['p99']:.1f} | {r['5xx']} |")
    ratio = phases[0][1]["rps"] / phases[1][1]["rps"]
    print(f"\n/v1/verify throughput vs echo: {ratio:.2f}x "
          f"({'meets' if ratio >= 0.8 else 'MISSES'} the 0.8x target)")
    what = "the math verifier" if bomb == "math" else "a busy-loop test plugin"
    print(f"/healthz under {bomb} bombs ({what}, "
          f"mean pool saturation {health['busy']:.0%}): {health['n']} probes, "
          f"p50 {health['p50']:.1f} ms, p95 {health['p95']:.1f} ms, p99 {health['p99']:.1f} ms "
          f"({'meets' if health['p95'] < 50 else 'MISSES'} the 50 ms target)")
    bad = sum(r["5xx"] for _, r in phases)
    if bad:
        raise SystemExit(f"{bad} responses were 5xx")


if __name__ == "__main__":
    main()
