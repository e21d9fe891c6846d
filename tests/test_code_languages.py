"""The code verifier beyond Python (issue 16): C, C++, Java, JavaScript, Go and Rust, I/O
style, on both backends; the compile step (errors, limits, cache) and language selection.

A slice of the shipped data set (tests/data/multilang/problems.jsonl: a correct and a wrong
solution per language) goes through ``rewardkit score`` on both backends; the whole set is
benchmarks/multilang_table.py.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import sandbox_missing

from rewardkit import Sample, Status
from rewardkit.verifiers.code import CodeVerifier
from rewardkit.verifiers.code.compile import (
    Artefact,
    CompileCache,
    CompileOutcome,
    cache_key,
    compile_program,
)
from rewardkit.verifiers.code.languages import Flags, java_file, java_main
from rewardkit.verifiers.code.sandbox import SandboxUnavailable

DATA = Path(__file__).parent / "data" / "multilang" / "problems.jsonl"
EXTERNAL = DATA.with_name("external.jsonl")
LANGUAGES = ["python", "c", "cpp", "java", "javascript", "go", "rust"]
CASES = [{"stdin": "2 3\n", "stdout": "5\n"}, {"stdin": "10 -4\n", "stdout": "6\n"}]
C_SUM = '#include <stdio.h>\nint main(){long a,b; scanf("%ld %ld",&a,&b); printf("%ld\\n",a+b);}'
RUST_SUM = ("use std::io::Read;\nfn main(){let mut s=String::new();"
            "std::io::stdin().read_to_string(&mut s).unwrap();"
            "let v:Vec<i64>=s.split_whitespace().map(|x|x.parse().unwrap()).collect();"
            "println!(\"{}\",v[0]+v[1]);}")


@pytest.fixture(scope="module", params=["process", "docker"])
def verifier(request):  # type: ignore[no-untyped-def]
    verifier = CodeVerifier({"backend": request.param, "time_limit": 2.0, "pool_size": 1})
    try:
        verifier.language_backend("run")
    except SandboxUnavailable as exc:
        sandbox_missing(request.param, exc)
    yield verifier
    verifier.close()


def fenced(language: str, source: str) -> str:
    return f"Here it is:\n```{language}\n{source}\n```\n"


def test_data_set_slice_through_rewardkit_score(verifier, tmp_path):  # type: ignore[no-untyped-def]
    """One problem of the data set, every language, its correct and its wrong solution (off by
    one, 32-bit overflow, output format), scored as a user scores: every correct one passes
    and every wrong one fails."""
    lines = [json.loads(line) for line in DATA.read_text().splitlines()]
    problem = lines[0]["problem"]
    # "too slow" costs the whole time limit: the containment tests time loops out already
    lines = [line for line in lines if line["problem"] == problem and line["kind"] != "slow"]
    assert {line["language"] for line in lines} == set(LANGUAGES)
    assert scored_wrongly(verifier.opts.backend, lines, tmp_path) == []


def test_outside_oracle_slice_through_rewardkit_score(verifier, tmp_path):  # type: ignore[no-untyped-def]
    """The data set whose inputs and expected outputs come from reasoning-gym's generators
    (tests/data/multilang/external.jsonl, benchmarks/multilang_external.py): each language on
    another of its problems, correct and wrong solution; the whole set is
    ``benchmarks/multilang_table.py --data tests/data/multilang/external.jsonl``."""
    lines = [json.loads(line) for line in EXTERNAL.read_text().splitlines()]
    problems = sorted({line["problem"] for line in lines})
    assert len(problems) >= 30
    chosen = {language: problems[(i * 5) % len(problems)] for i, language in enumerate(LANGUAGES)}
    lines = [line for line in lines if line["problem"] == chosen[line["language"]]
             and line["kind"] != "slow"]
    assert len(lines) >= 13
    assert scored_wrongly(verifier.opts.backend, lines, tmp_path) == []


def scored_wrongly(backend: str, lines: list[dict[str, Any]],
                   tmp_path: Path) -> list[tuple[Any, ...]]:
    """Score ``lines`` with ``rewardkit score`` (two workers, code on ``backend``): the lines
    whose reward is not the one they expect."""
    config = tmp_path / "config.yaml"
    config.write_text(f"verifiers:\n  - name: code\n    options: {{backend: {backend}, "
                      "time_limit: 5}\n")
    done = subprocess.run(
        [sys.executable, "-m", "rewardkit", "score", "-", "-c", str(config), "--workers", "2",
         "-q", "--details"], input="".join(json.dumps(line) + "\n" for line in lines),
        capture_output=True, text=True, check=False, timeout=300)
    results = [json.loads(out) for out in done.stdout.splitlines() if out.strip()]
    assert len(results) == len(lines), done.stderr[-2000:]
    return [(line["problem"], line["language"], line["kind"], result["reward"], str(result)[:400])
            for line, result in zip(lines, results, strict=True)
            if result["reward"] != line["expect"]]


def test_compile_error_is_reward_zero_status_ok(verifier):  # type: ignore[no-untyped-def]
    result = verifier.verify(Sample(completion=fenced("cpp", "int main( {"),
                                    reference={"language": "cpp", "cases": CASES}))
    assert result.reward == 0.0 and result.status is Status.OK, result
    assert result.reason == "compile error"
    diagnostics = result.details["diagnostics"]
    assert "error" in diagnostics and len(diagnostics.splitlines()) <= 20
    assert result.details["stage"] == "compile"


def test_a_repeated_program_compiles_once(verifier):  # type: ignore[no-untyped-def]
    """A GRPO group repeats programs: the second copy is a cache hit (no compile), and other
    flags are another entry."""
    sample = Sample(completion=fenced("c", C_SUM + "\n/* once */"),
                    reference={"language": "c", "cases": CASES})
    first, second = verifier.verify(sample), verifier.verify(sample)
    assert first.passed and second.passed, (first, second)
    assert first.details["compile_cached"] is False
    assert second.details["compile_cached"] is True
    c = verifier.languages["c"]
    source = C_SUM + "\n/* once */"
    assert cache_key(c, source, Flags(), "process") == cache_key(c, source, Flags(), "process")
    assert cache_key(c, source, Flags(c_standard="c11"), "process") != \
        cache_key(c, source, Flags(), "process")
    assert cache_key(c, source, Flags(), "process") != cache_key(c, source, Flags(), "docker")


def test_the_fence_language_selects_when_the_reference_names_none(verifier):  # type: ignore[no-untyped-def]
    result = verifier.verify(Sample(completion=fenced("rust", RUST_SUM),
                                    reference={"cases": CASES}))
    assert result.passed and result.details["language"] == "rust", result
    # the reference's language wins over the fence
    result = verifier.verify(Sample(completion=fenced("rust", RUST_SUM),
                                    reference={"language": "c", "cases": CASES}))
    assert result.reason == "compile error" and result.details["language"] == "c"


def test_assert_style_in_a_compiled_language_is_an_error() -> None:
    result = CodeVerifier().verify(Sample(completion=fenced("c", C_SUM),
                                          reference={"language": "c", "tests": "assert(1);"}))
    assert result.status is Status.ERROR and "not supported for c" in result.reason


def test_a_missing_toolchain_is_an_error_not_a_compile_error() -> None:
    verifier = CodeVerifier()
    try:
        c = verifier.languages["c"]
        assert c.compile is not None
        broken = dataclasses.replace(c, compile=("/usr/bin/rk-no-such-cc", *c.compile[1:]))
        verifier.languages["c"] = broken
        result = verifier.verify(Sample(completion=fenced("c", C_SUM),
                                        reference={"language": "c", "cases": CASES}))
        if "bubblewrap" in result.reason and "not installed" in result.reason:
            sandbox_missing("process", RuntimeError(result.reason))
        assert result.status is Status.ERROR and "toolchain is missing" in result.reason, result
    finally:
        verifier.close()


def test_unknown_languages_are_skipped_and_name_the_supported_ones() -> None:
    result = CodeVerifier().verify(Sample(completion="x",
                                          reference={"language": "cobol", "cases": CASES}))
    assert result.status is Status.SKIPPED
    assert "cpp" in result.reason and "rust" in result.reason


def test_the_compile_cache_is_bounded() -> None:
    cache = CompileCache(max_bytes=10_000)
    for key in range(10):
        cache.put(str(key), CompileOutcome(Artefact((("out/main", b"x" * 3000, 0o755),))))
    assert cache.bytes <= 10_000 and len(cache) == 3
    assert cache.get("0") is None and cache.get("9") is not None
    cache.put("huge", CompileOutcome(Artefact((("out/main", b"x" * 20_000, 0o755),))))
    assert cache.get("huge") is None  # larger than the whole cache: never kept


def test_java_files_are_named_after_their_public_class() -> None:
    assert java_file("import java.util.*;\npublic class Solution {\n}") == "Solution"
    assert java_file("class Helper {}\npublic final class Main2 {}") == "Main2"
    assert java_file("final public class A {}") == "A"
    assert java_file("class Main {}") == "Main"
    assert java_file("/* public class Fake { */ class Solution {}") == "Main"  # a comment


PYTHON_AS_PYTHON3 = {
    "exit()": "a, b = map(int, input().split())\nprint(a + b)\nexit()\nprint('never')",
    "quit()": "a, b = map(int, input().split())\nprint(a + b)\nquit()",
    "exit(0) in a branch": "a, b = map(int, input().split())\nif a != b:\n"
                           "    print(a + b)\n    exit(0)\nprint('never')",
    "stdout closed": "import sys\nprint(sum(map(int, input().split())), flush=True)\n"
                     "sys.stdout.close()",
}


def test_python_programs_behave_as_under_python3(verifier):  # type: ignore[no-untyped-def]
    """Before: the sandbox's ``python3 -S`` left out the site module's ``exit`` and
    ``quit`` (a NameError), and flushing a stdout the program had closed was a crash."""
    for name, source in PYTHON_AS_PYTHON3.items():
        result = verifier.verify(Sample(completion=fenced("python", source),
                                        reference={"cases": CASES}))
        assert (name, result.reward) == (name, 1.0), result.reason
    wrong = verifier.verify(Sample(completion=fenced("python", "exit(0)\nprint(5)"),
                                   reference={"cases": CASES}))
    assert wrong.reward == 0.0 and wrong.status is Status.OK  # stopped before its answer
    failing = verifier.verify(Sample(completion=fenced("python", "print(5)\nexit(3)"),
                                     reference={"cases": CASES[:1]}))
    assert failing.reward == 0.0 and "exit status 3" in failing.reason


C_POSIX = ('#include <stdio.h>\n#include <math.h>\n#include <string.h>\n'
           'int main(){long a,b; scanf("%ld %ld",&a,&b); char *s = strdup("%ld\\n");'
           ' printf(s, a + b + (long)(M_PI - 3.14159265));}')
CPP_INT128 = ('#include <bits/stdc++.h>\nint main(){long long a,b; std::cin>>a>>b; '
              'static_assert(std::is_integral<__int128>::value, "gnu"); __int128 s = a;'
              ' s += b; std::cout << (long long)s << "\\n";}')


def test_a_case_expecting_more_than_the_output_limit_is_an_error() -> None:
    """Before: no program could pass such a case (its output is cut at ``output_limit``), and
    every completion got reward 0 with status ``ok``, as if it were wrong."""
    verifier = CodeVerifier({"backend": "process", "output_limit": 1024})
    big = [{"stdin": "", "stdout": "7\n" * 600}]  # 1,199 bytes compared
    try:
        for language, source in (("python", "print('7\\n' * 599 + '7')"), ("c", C_SUM)):
            result = verifier.verify(Sample(completion=fenced(language, source),
                                            reference={"language": language, "cases": big}))
            assert result.status is Status.ERROR and result.reward == 0.0, result
            assert "over output_limit (1,024)" in result.reason, result
    finally:
        verifier.close()


def test_c_and_cpp_compile_in_the_gnu_dialects_by_default(verifier):  # type: ignore[no-untyped-def]
    """Before: -std=c17 and -std=c++17, where M_PI, strdup and __int128's traits are hidden:
    correct programs that judges accept were compile errors."""
    for language, source in (("c", C_POSIX), ("cpp", CPP_INT128)):
        result = verifier.verify(Sample(completion=fenced(language, source),
                                        reference={"language": language, "cases": CASES}))
        assert (language, result.reward) == (language, 1.0), result.reason
    strict = CodeVerifier({"backend": verifier.opts.backend, "c_standard": "c17"})
    try:
        result = strict.verify(Sample(completion=fenced("c", C_POSIX),
                                      reference={"language": "c", "cases": CASES}))
    finally:
        strict.close()
    assert result.reason == "compile error" and "M_PI" in str(result.details["diagnostics"])


#: A + B written with what today's programs use and older toolchains or dialects reject:
#: Go 1.21's min/max builtins and slices package, 1.22's range over an int; Rust's let-else
#: (1.65), is_some_and (1.70) and div_ceil (1.73); C++20's ranges, map::contains and <bit>.
TODAYS_FEATURES = {
    "go": "package main\n\nimport (\n\t\"fmt\"\n\t\"slices\"\n)\n\nfunc main() {\n"
          "\tvar a, b int64\n\tfmt.Scan(&a, &b)\n\tv := []int64{max(a, b), min(a, b)}\n"
          "\tslices.Sort(v)\n\tsum := int64(0)\n\tfor i := range 2 {\n\t\tsum += v[i]\n\t}\n"
          "\tfmt.Println(sum)\n}",
    "rust": "use std::io::Read;\nfn main() {\n    let mut s = String::new();\n"
            "    std::io::stdin().read_to_string(&mut s).unwrap();\n"
            "    let mut it = s.split_whitespace().map(|x| x.parse::<i64>().unwrap());\n"
            "    let (Some(a), Some(b)) = (it.next(), it.next()) else { return };\n"
            "    let halves = 2u64.div_ceil(2);\n"
            "    if Some(a).is_some_and(|x| x == a) {\n"
            "        println!(\"{}\", (a + b) * halves as i64);\n    }\n"
            "}",
    "cpp": "#include <algorithm>\n#include <bit>\n#include <iostream>\n#include <map>\n"
           "#include <vector>\nint main() {\n  std::vector<long long> v(2);\n"
           "  for (auto& x : v) std::cin >> x;\n  std::ranges::sort(v);\n"
           "  std::map<int, int> seen{{1, 1}};\n"
           "  if (!seen.contains(1) || std::popcount(8u) != 1) return 1;\n"
           "  std::cout << v[0] + v[1] << \"\\n\";\n}",
}


@pytest.mark.parametrize("language", sorted(TODAYS_FEATURES))
def test_todays_language_features_compile(verifier, language):  # type: ignore[no-untyped-def]
    """Before: Go 1.19, rustc 1.63 and -std=gnu++17 made these correct programs compile
    errors (reward 0): the toolchains are now Go >= 1.21 and Rust >= 1.80, C++ is GNU C++20."""
    result = verifier.verify(Sample(completion=fenced(language, TODAYS_FEATURES[language]),
                                    reference={"language": language, "cases": CASES}))
    assert result.reward == 1.0, (result.reason, result.details.get("diagnostics"))


def test_go_compiles_only_the_program(verifier):  # type: ignore[no-untyped-def]
    """Go >= 1.20 ships no compiled standard library: with an empty GOCACHE every compile
    built runtime, fmt and the rest first (~10 s). scripts/start-services.sh compiles them
    once, and sandboxes see them read-only. `go build -v` names each package it compiles, so
    a miss (a cache built with another environment than the compile's) shows."""
    go = verifier.languages["go"]
    assert go.compile is not None
    verbose = dataclasses.replace(go, compile=(go.compile[0], "build", "-v", *go.compile[2:]))
    source = 'package main\nimport "fmt"\nfunc main() { var x int = "s"; fmt.Println(x) }'
    outcome = compile_program(verifier.language_backend("compile"), verbose, source, Flags(),
                              verifier.opts.compile_limits())
    assert outcome.artefact is None
    assert outcome.diagnostics.splitlines()[0] == "command-line-arguments", outcome.diagnostics


def test_cpp_uses_the_precompiled_bits_stdcpp(verifier):  # type: ignore[no-untyped-def]
    """<bits/stdc++.h>, which most competitive C++ includes, took 2-3 s of each compile.
    scripts/start-services.sh precompiles it for the default flags; `g++ -H` marks a
    precompiled header it uses with "!" (and lists the header's own includes otherwise)."""
    cpp = verifier.languages["cpp"]
    assert cpp.compile is not None
    traced = dataclasses.replace(cpp, compile=(*cpp.compile[:-1], "-H", cpp.compile[-1]))
    source = "#include <bits/stdc++.h>\nint main() { std::vector<int> v = 1; }"
    outcome = compile_program(verifier.language_backend("compile"), traced, source, Flags(),
                              verifier.opts.compile_limits())
    assert outcome.artefact is None
    first = outcome.diagnostics.splitlines()[0]
    assert first.startswith("! ") and first.endswith("/bits/stdc++.h.gch"), outcome.diagnostics


#: A + B after a recursion as deep as a correct DFS down a path of 10^5-10^6 nodes goes (each
#: returns its depth; the answer is right only if it completed): 20-100 MB of stack.
DEEP = {
    "cpp": "#include <bits/stdc++.h>\nusing namespace std;\nvector<vector<int>> g;\n"
           "int dfs(int u, int p) { int d = 0;"
           " for (int v : g[u]) if (v != p) d = max(d, dfs(v, u) + 1); return d; }\n"
           "int main() { long long a, b; cin >> a >> b; int n = 1000000; g.resize(n);"
           " for (int i = 0; i + 1 < n; i++) { g[i].push_back(i + 1); g[i + 1].push_back(i); }"
           " cout << a + b + dfs(0, -1) - (n - 1) << \"\\n\"; }",
    "c": "#include <stdio.h>\nlong long f(int n) { if (n == 0) return 0; long long r = f(n - 1);"
         " return (r * 3 + n) % 1000003 == -1 ? -1 : r + 1; }\n"
         "int main() { long long a, b; scanf(\"%lld %lld\", &a, &b);"
         " printf(\"%lld\\n\", a + b + f(2000000) - 2000000); }",
    "rust": "use std::io::Read;\n#[inline(never)]\nfn f(n: u64) -> u64 { if n == 0 { return 0; }"
            " let r = f(std::hint::black_box(n - 1)); if (r * 3 + n) % 1000003 == 1000004 { 0 }"
            " else { r + 1 } }\nfn main() { let mut s = String::new();"
            " std::io::stdin().read_to_string(&mut s).unwrap();"
            " let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();"
            " println!(\"{}\", v[0] + v[1] + f(2000000) as i64 - 2000000); }",
    "python": "import sys\nfrom functools import lru_cache\nsys.setrecursionlimit(10**6)\n"
              "@lru_cache(maxsize=None)\ndef f(n):\n    return 0 if n == 0 else f(n - 1) + 1\n"
              "a, b = map(int, sys.stdin.read().split())\nprint(a + b + f(100000) - 100000)",
    "javascript": "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/)"
                  ".map(Number);\nfunction f(n) { return n === 0 ? 0 : f(n - 1) + 1; }\n"
                  "console.log(a + b + f(200000) - 200000);",
}


@pytest.mark.parametrize("language", sorted(DEEP))
def test_deep_recursion_has_a_judges_stack(verifier, language):  # type: ignore[no-untyped-def]
    """Before: the 8 MiB stack of the system made these correct programs crash (a DFS down a
    long path is a common test). The stack rlimit is now half the memory limit, and node's
    own stack bound follows it."""
    result = verifier.verify(Sample(completion=fenced(language, DEEP[language]),
                                    reference={"language": language, "cases": CASES[:1]}))
    assert result.reward == 1.0, (result.reason, result.details.get("diagnostics"))


JUDGE_GUARDED = {
    "cpp": "#include <bits/stdc++.h>\nint main(){\n#ifndef ONLINE_JUDGE\n"
           "  freopen(\"input.txt\", \"r\", stdin); freopen(\"output.txt\", \"w\", stdout);\n"
           "#endif\n  long long a, b; std::cin >> a >> b; std::cout << a + b << std::endl;}",
    "c": "#include <stdio.h>\nint main(){\n#ifndef ONLINE_JUDGE\n"
         "  freopen(\"in.txt\", \"r\", stdin);\n#endif\n"
         "  long a, b; scanf(\"%ld %ld\", &a, &b); printf(\"%ld\\n\", a + b);}",
    "java": "import java.io.*; import java.util.*;\npublic class Main { public static void "
            "main(String[] a) throws Exception { Scanner in = System.getProperty(\"ONLINE_JUDGE\")"
            " != null ? new Scanner(System.in) : new Scanner(new File(\"input.txt\"));"
            " System.out.println(in.nextLong() + in.nextLong()); } }",
}


def test_online_judge_is_defined_as_judges_define_it(verifier):  # type: ignore[no-untyped-def]
    """Before: a correct program that reads ``input.txt`` unless ``ONLINE_JUDGE`` is defined
    (the usual guard for its author's own runs) read nothing and failed."""
    for language, source in JUDGE_GUARDED.items():
        result = verifier.verify(Sample(completion=fenced(language, source),
                                        reference={"language": language, "cases": CASES}))
        assert (language, result.reward) == (language, 1.0), result.reason


#: A + B in Java with the body of ``main``; each variant's class to run is not ``Main``.
JAVA_BODY = ("java.util.Scanner in = new java.util.Scanner(System.in); "
             "System.out.println(in.nextLong() + in.nextLong());")
MAIN = f"public static void main(String[] a) {{ {JAVA_BODY} }}"
SWAPPED = MAIN.replace("public static", "static public")  # Java accepts either order
JAVA_VARIANTS = {
    "a non-public class": f"class Solution {{ {MAIN} }}",
    "a helper class first": "class Helper { static int one() { return 1; } }\n"
                            f"final class Sol {{ {SWAPPED} }}",
    "a package": f"package contest.a;\npublic class Main {{ {MAIN} }}",
    "main outside the public class": "public class Outer { static int two() { return 2; } }\n"
                                     f"class Run {{ {MAIN} }}",
    "an enum": f"enum E {{ A; {MAIN} }}",
    "names in comments and strings": "// class Fake { public static void main(String[] a) {} }\n"
                                     "class Real { static String s = \"class Q { static void "
                                     f"main(\"; {MAIN} }}",
}


def test_java_runs_the_class_that_declares_main() -> None:
    """Before: every Java program ran as its public class or ``Main``, so a correct program
    whose ``main`` sat in ``class Solution`` (or behind a package) failed to start."""
    expected = {"a non-public class": "Solution", "a helper class first": "Sol",
                "a package": "contest.a.Main", "main outside the public class": "Run",
                "an enum": "E", "names in comments and strings": "Real"}
    assert {name: java_main(source) for name, source in JAVA_VARIANTS.items()} == expected
    assert java_main("public class Main {}") == "Main"  # no main: run as the file's class
    nested = "public class Out { static class In { public static void main(String[] a) {} } }"
    assert java_main(nested) == "Out"  # only a top-level type's main counts


#: Sources of ~100 KB that made a backtracking scan quadratic (11-40 s each); a completion is
#: hostile input, and the scan runs in the worker before any sandbox or compile limit.
HOSTILE_JAVA = {"escaped quotes on one line": '"' + '\\"' * 50_000,
                "modifiers without a type": "final " * 20_000,
                "static without main": "static final " * 10_000,
                "unterminated comments": "/*" * 50_000,
                # ``^\\s*package`` ran over every blank line after each one: 8 s for 40,000
                "blank lines": "\n" * 200_000 + "class Main {}",
                "blank lines after a package word": "package\n" + "\n" * 200_000}


def test_the_java_scan_is_linear_on_hostile_sources() -> None:
    """A guard against a quadratic scan (generous: the linear one takes ~20 ms here)."""
    for name, source in HOSTILE_JAVA.items():
        started = time.monotonic()
        assert java_main(source) == "Main" and java_file(source) == "Main"
        assert time.monotonic() - started < 2.0, name


def test_a_program_that_is_not_unicode_text_is_wrong_in_every_language(verifier):  # type: ignore[no-untyped-def]
    """A lone surrogate (a JSON escape can carry one) has no UTF-8 form: before, writing the
    source raised in C and JavaScript, and the sample was an error rather than a wrong
    program."""
    for language, source in (("c", C_SUM), ("javascript", "console.log(1)"),
                             ("python", "print(1)")):
        result = verifier.verify(Sample(completion=fenced(language, source + "// \ud800"),
                                        reference={"language": language, "cases": CASES}))
        assert result.status is Status.OK and result.reward == 0.0, result
        assert "lone surrogate \\ud800" in result.reason


def test_a_case_that_is_not_unicode_text_is_a_bad_reference(verifier):  # type: ignore[no-untyped-def]
    for reference in ({"cases": [{"stdin": "\udfff", "stdout": "1"}]},
                      {"cases": [{"stdin": "1", "stdout": "\ud800"}]},
                      {"tests": "assert f() == '\ud800'"}):
        result = verifier.verify(Sample(completion=fenced("python", "print(1)"),
                                        reference=reference))
        assert result.status is Status.ERROR and "lone surrogate" in result.reason, result
        assert "traceback" not in result.details


def test_correct_java_passes_whatever_its_class_is_named(verifier):  # type: ignore[no-untyped-def]
    for name, source in JAVA_VARIANTS.items():
        result = verifier.verify(Sample(completion=fenced("java", source),
                                        reference={"language": "java", "cases": CASES}))
        assert (name, result.reward, result.reason) == (name, 1.0, "all 2 test(s) passed")
    no_main = verifier.verify(Sample(completion=fenced("java", "class Solution { }"),
                                     reference={"language": "java", "cases": CASES}))
    assert no_main.reward == 0.0 and no_main.status is Status.OK
