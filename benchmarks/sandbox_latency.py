"""Latency of the code sandbox, in one run (see docs/benchmarks.md, "Sandbox latency").

Each process-backend measure is timed in alternating blocks with its baseline (six runs
each), so that a shared machine's changing load falls on both alike.

1. one sandboxed test run (process backend: a session forked from the warm zygote into
   fresh namespaces) against a bare ``python3 -c pass``, back to back and spaced out: one I/O
   case (one sandbox), and one assert-style test (two sandboxes: the solution's and the
   tests', with every call relayed between them);
2. a 10-case I/O problem in one sandbox against one fresh ``python3`` per case (unsandboxed);
3. Docker: a run on the warm pool (exec) against a cold ``docker run`` per test;
4. other languages (``--languages``, process backend): C++ compile plus run against a bare
   ``g++ -O2 && ./a.out``, the same program again (a compile-cache hit), and per language a
   run of an already compiled program against the bare binary or interpreter started as a
   peer would (``subprocess.run`` with stdin and stdout pipes), timed in alternating blocks,
   a distinct input per repetition for both.
5. what every compile shares (``--compiles``, process backend): a C++ program that includes
   ``<bits/stdc++.h>``, compiled with the header that start-services.sh precompiles, against
   a peer's bare ``g++`` with the same flags and none; a Go program, compiled with the
   standard library start-services.sh builds once, against a bare ``go build`` with a warm
   GOCACHE of its own. A distinct source per repetition, so no cache holds the program.

Usage: ``.venv/bin/python benchmarks/sandbox_latency.py [--repeat 30] [--no-docker]
[--languages] [--compiles]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from collections.abc import Callable

from rewardkit import Sample
from rewardkit.verifiers.code import DEFAULT_DOCKER_HOST, DEFAULT_IMAGE, CodeVerifier
from rewardkit.verifiers.code.sandbox import SandboxUnavailable

PYTHON = "/usr/bin/python3"
PROGRAM = "a, b = map(int, input().split())\nprint(a + b)"
CASES = [{"stdin": f"{i} {i}", "stdout": str(2 * i)} for i in range(10)]
FUNCTION = "def add(a, b):\n    return a + b"
TESTS = ("def check(candidate):\n    assert candidate(2, 3) == 5\n"
         "    assert candidate(-1, 1) == 0\ncheck(add)")


def median_ms(run: Callable[[], object], repeat: int, warmup: int = 3,
              pause: float = 0.0) -> float:
    """Median wall time of ``run``; ``pause`` seconds of idle (not timed) before each one."""
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeat):
        time.sleep(pause)
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def paired_ms(run: Callable[[], object], baseline: Callable[[], object], repeat: int,
              pause: float = 0.0, block: int = 6) -> tuple[float, float]:
    """Medians of ``run`` and ``baseline``, timed in alternating blocks of ``block`` runs
    each, so that both see the same load of a shared machine. In a block of ``run`` one
    untimed run comes first: every timed run follows a run of its own kind (back to back
    when ``pause`` is 0; ``pause`` seconds of idle before each otherwise)."""
    ours: list[float] = []
    base: list[float] = []
    for _ in range(max(1, -(-repeat // block))):
        for _ in range(block):
            start = time.perf_counter()
            baseline()
            base.append(time.perf_counter() - start)
        run()
        for _ in range(block):
            time.sleep(pause)
            start = time.perf_counter()
            run()
            ours.append(time.perf_counter() - start)
    return statistics.median(ours) * 1000, statistics.median(base) * 1000


def bare_python() -> None:
    subprocess.run([PYTHON, "-c", "pass"], check=True)


def verify(verifier: CodeVerifier, cases: list[dict[str, str]]) -> None:
    result = verifier.verify(Sample(completion=PROGRAM, reference={"cases": cases}))
    assert result.passed, result


def verify_asserts(verifier: CodeVerifier) -> None:
    result = verifier.verify(Sample(completion=FUNCTION, reference={"tests": TESTS}))
    assert result.passed, result


def fresh_python_per_case() -> None:
    for case in CASES:
        out = subprocess.run([PYTHON, "-c", PROGRAM], input=case["stdin"], text=True,
                             capture_output=True, check=True).stdout
        assert out.strip() == case["stdout"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-docker", action="store_true")
    parser.add_argument("--languages", action="store_true",
                        help="only the rows of other languages (issue 16)")
    parser.add_argument("--compiles", action="store_true",
                        help="only the rows of what compiles share (<bits/stdc++.h>, Go's std)")
    args = parser.parse_args()
    if args.languages:
        print_rows(language_rows(args.repeat))
        return
    if args.compiles:
        print_rows(compile_rows(args.repeat))
        return
    n = args.repeat
    rows: list[tuple[str, float, float, str]] = []

    # Each measure is timed in blocks alternating with its baseline's (see paired_ms).
    process = CodeVerifier({"backend": "process"})
    one, bare = paired_ms(lambda: verify(process, CASES[:1]), bare_python, n)
    rows.append(("one test run back to back, process sandbox vs `python3 -c pass`", one, bare,
                 "target <= 1.0x, stretch <= 0.6x"))
    spaced, bare = paired_ms(lambda: verify(process, CASES[:1]), bare_python, n, pause=0.1)
    rows.append(("one test run, spaced out (0.1 s idle before each)", spaced, bare,
                 "target <= 1.0x, stretch <= 0.6x"))
    two, bare = paired_ms(lambda: verify_asserts(process), bare_python, n)
    rows.append(("one assert test (2 sandboxes, 2 calls) back to back vs `python3 -c pass`",
                 two, bare, "target <= 1.0x"))
    two_spaced, bare = paired_ms(lambda: verify_asserts(process), bare_python, n, pause=0.1)
    rows.append(("one assert test (2 sandboxes), spaced out", two_spaced, bare,
                 "target <= 1.0x"))
    ten, fresh = paired_ms(lambda: verify(process, CASES), fresh_python_per_case, n)
    rows.append(("10-case I/O problem, one sandbox vs fresh python3 per case", ten, fresh,
                 "target >= 3x faster"))
    process.close()

    if not args.no_docker:
        try:
            docker = CodeVerifier({"backend": "docker", "pool_size": 2})
            docker.backend()
            warm = median_ms(lambda: verify(docker, CASES[:1]), n)
            client = docker.backend().client  # type: ignore[attr-defined]
            cold = median_ms(lambda: client.containers.run(
                DEFAULT_IMAGE, [PYTHON, "-I", "-S", "-c", "print(2 + 2)"], remove=True,
                network_mode="none", read_only=True, user="65534:65534"), max(5, n // 3), 1)
            rows.append(("one test run, Docker warm pool (exec) vs cold `docker run`", warm, cold,
                         "lower is better"))
            warm_two = median_ms(lambda: verify_asserts(docker), n)
            rows.append(("one assert test, Docker (2 containers) vs cold `docker run`",
                         warm_two, cold, "lower is better"))
            ten_docker = median_ms(lambda: verify(docker, CASES), n)
            rows.append(("10-case I/O problem, Docker warm pool vs cold `docker run` x10",
                         ten_docker, 10 * cold, "cold figure = 10 x one cold run"))
            docker.close()
        except SandboxUnavailable as exc:
            print(f"docker skipped: {exc} (DOCKER_HOST="
                  f"{os.environ.get('DOCKER_HOST', DEFAULT_DOCKER_HOST)})")

    print_rows(rows)


def print_rows(rows: list[tuple[str, float, float, str]]) -> None:
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(f"{'measure':72} {'ours ms':>8} {'baseline ms':>12} {'ratio':>6}")
    for name, ours, base, note in rows:
        print(f"{name:72} {ours:8.1f} {base:12.1f} {ours / base:5.2f}x  ({note})")


# --- other languages (issue 16) ---------------------------------------------------------

SOURCES = {
    "cpp": "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}\n",
    "c": '#include <stdio.h>\nint main(){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);}\n',
    "java": ("import java.util.*;\npublic class Main{public static void main(String[] x){"
             "Scanner s=new Scanner(System.in);System.out.println(s.nextLong()+s.nextLong());}}\n"),
    "javascript": ("const [a,b]=require('fs').readFileSync(0,'utf8').trim().split(/\\s+/)"
                   ".map(Number);console.log(a+b);\n"),
    "go": ('package main\nimport "fmt"\nfunc main(){var a,b int64;fmt.Scan(&a,&b);'
           'fmt.Println(a+b)}\n'),
    "rust": ("use std::io::Read;\nfn main(){let mut s=String::new();"
             "std::io::stdin().read_to_string(&mut s).unwrap();let v:Vec<i64>=s"
             ".split_whitespace().map(|x|x.parse().unwrap()).collect();println!(\"{}\",v[0]+v[1]);}\n"),
}


def language_rows(n: int) -> list[tuple[str, float, float, str]]:
    """C++ compile + run and cache hit against bare g++; run-only per language against the
    bare binary or interpreter (built once, unsandboxed, with the same commands)."""
    import itertools
    import tempfile

    from rewardkit.verifiers.code.compile import BASE_ENV
    from rewardkit.verifiers.code.languages import Flags

    verifier = CodeVerifier({"backend": "process"})
    rows: list[tuple[str, float, float, str]] = []
    counter = itertools.count()

    inputs = itertools.count()

    def next_case() -> tuple[str, str]:
        """A distinct input per repetition (and its answer), for ours and bare alike."""
        i = next(inputs)
        return f"{i} {i + 1}\n", f"{2 * i + 1}\n"

    def sandboxed(language: str, fresh: bool) -> None:
        source = SOURCES[language] + (f"// {next(counter)}\n" if fresh else "")
        if fresh and language in ("go", "rust", "java", "javascript"):
            source = source.replace("// ", "/* ") + " */\n" if fresh else source
        stdin, stdout = next_case()
        result = verifier.verify(Sample(completion=f"```{language}\n{source}```",
                                        reference={"language": language,
                                                   "cases": [{"stdin": stdin,
                                                              "stdout": stdout}]}))
        assert result.passed, result

    with tempfile.TemporaryDirectory() as folder:
        env = {**BASE_ENV, "HOME": folder, "TMPDIR": folder}

        def bare(language: str, build: bool) -> None:
            spec = verifier.languages[language]
            source = SOURCES[language]
            if build and spec.compile is not None:
                os.makedirs(f"{folder}/out", exist_ok=True)
                with open(f"{folder}/{spec.source_name(source)}", "w") as f:
                    f.write(source + f"// {next(counter)}\n" if language in ("c", "cpp")
                            else source)
                subprocess.run(spec.fill(spec.compile, source, Flags()), cwd=folder, check=True,
                               env={**env, **spec.env, "GOCACHE": f"{folder}/gocache"})
            elif spec.compile is None:
                with open(f"{folder}/{spec.source_name(source)}", "w") as f:
                    f.write(source)
            stdin, stdout = next_case()
            out = subprocess.run(spec.fill(spec.run, source, Flags(), 512), cwd=folder,
                                 input=stdin, capture_output=True, text=True, check=True,
                                 env={**env, **spec.env}).stdout
            assert out == stdout, out

        ours, base = paired_ms(lambda: sandboxed("cpp", fresh=True),
                               lambda: bare("cpp", build=True), n)
        rows.append(("C++ compile + run (sandboxed, cache miss) vs bare `g++ -O2 && ./a.out`",
                     ours, base, "target <= 1.2x"))
        hit = median_ms(lambda: sandboxed("cpp", fresh=False), n)
        rows.append(("C++ again, a compile-cache hit, vs bare `g++ -O2 && ./a.out`", hit, base,
                     "target <= 0.3x"))
        for language in ("c", "cpp", "java", "javascript", "go", "rust"):
            bare(language, build=True)  # the bare binary, built once
            sandboxed(language, fresh=False)  # the cache holds it from here on
            ours, base = paired_ms(lambda: sandboxed(language, fresh=False),  # noqa: B023
                                   lambda: bare(language, build=False), n)  # noqa: B023
            rows.append((f"run only, {language}: sandboxed (cached build) vs bare", ours, base,
                         "target <= 1.2x"))
    verifier.close()
    return rows


STDCPP = ("#include <bits/stdc++.h>\nusing namespace std;\n"
          "int main(){long long a,b;cin>>a>>b;cout<<a+b<<'\\n';}\n")


def compile_rows(n: int) -> list[tuple[str, float, float, str]]:
    """Sandboxed compile + run of programs that need what start-services.sh builds once
    against bare compiles a peer runs (no precompiled header; Go with its own warm cache)."""
    import itertools
    import tempfile

    from rewardkit.verifiers.code.compile import BASE_ENV
    from rewardkit.verifiers.code.languages import PCH, Flags

    verifier = CodeVerifier({"backend": "process"})
    counter = itertools.count()
    sources = {"cpp": STDCPP, "go": SOURCES["go"]}
    rows: list[tuple[str, float, float, str]] = []

    def fresh(language: str) -> str:
        return sources[language] + f"// {next(counter)} {time.time()}\n"

    def sandboxed(language: str) -> None:
        result = verifier.verify(Sample(
            completion=f"```{language}\n{fresh(language)}```",
            reference={"language": language, "cases": [{"stdin": "2 3\n", "stdout": "5\n"}]}))
        assert result.passed, result

    with tempfile.TemporaryDirectory() as folder:
        env = {**BASE_ENV, "HOME": folder, "TMPDIR": folder}

        def bare(language: str) -> None:
            spec = verifier.languages[language]
            assert spec.compile is not None
            source = fresh(language)
            with open(f"{folder}/{spec.source_name(source)}", "w") as f:
                f.write(source)
            command = [part for part in spec.fill(spec.compile, source, Flags())
                       if not part.startswith(f"-I{PCH}")]
            subprocess.run(command, cwd=folder, check=True,
                           env={**env, **spec.env, "GOCACHE": f"{folder}/gocache"})
            out = subprocess.run(spec.fill(spec.run, source, Flags()), cwd=folder,
                                 input="2 3\n", capture_output=True, text=True, check=True,
                                 env={**env, **spec.env}).stdout
            assert out == "5\n", out

        bare("go")  # the peer's GOCACHE is warm: it has built the standard library before
        ours, base = paired_ms(lambda: sandboxed("cpp"), lambda: bare("cpp"), n)
        rows.append(("C++ with <bits/stdc++.h>: sandboxed compile + run (precompiled header) "
                     "vs bare g++, same flags, none", ours, base, "lower is better"))
        ours, base = paired_ms(lambda: sandboxed("go"), lambda: bare("go"), n)
        rows.append(("Go: sandboxed compile + run (std prebuilt, read-only) vs bare go build "
                     "with a warm GOCACHE", ours, base, "lower is better"))
    verifier.close()
    return rows


if __name__ == "__main__":
    main()
