# ruff: noqa: E501  (program templates read best one statement a line)
"""Writes tests/data/multilang/problems.jsonl: 31 I/O problems, each with a correct solution
and one wrong one (off by one, 32-bit overflow, wrong output format, too slow) in every
language the code verifier runs, as lines for ``rewardkit score``.

Every problem folds a list: the input is ``n`` and then ``n`` integers, the output one integer,
``acc = STEP`` for each element ``x`` at index ``i``. The solutions are written from one
template per language (input, helpers, loop, output), so each language's program is what a
competitive programmer would write in it; the expected outputs are computed here in Python.
The wrong kind of each (problem, language) rotates, skipping a kind that the problem's cases
could not tell from correct (a 32-bit accumulator is right for a count).

    python benchmarks/multilang_problems.py        # rewrites the data file (deterministic)
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "multilang" / "problems.jsonl"
LANGUAGES = ["python", "c", "cpp", "java", "javascript", "go", "rust"]
KINDS = ["off_by_one", "overflow", "format", "slow"]
BIG = 4000000000000000000

#: (name, initial value, step): the step is an expression over acc, x, i and the helpers.
PROBLEMS: list[tuple[str, int, str]] = [
    ("sum", 0, "acc + x"),
    ("sum_of_squares_mod", 0, "md(acc + x * x)"),
    ("maximum", -BIG, "mx(acc, x)"),
    ("minimum", BIG, "mn(acc, x)"),
    ("xor", 0, "acc ^ x"),
    ("count_even", 0, "acc + eq(pm(x, 2), 0)"),
    ("count_odd", 0, "acc + 1 - eq(pm(x, 2), 0)"),
    ("sum_abs", 0, "acc + ab(x)"),
    ("product_mod", 1, "md(acc * md(x))"),
    ("alternating_sum", 0, "acc + x * (1 - 2 * pm(i, 2))"),
    ("weighted_sum_mod", 0, "md(acc + md(x) * (i + 1))"),
    ("count_positive", 0, "acc + gt(x, 0)"),
    ("count_negative", 0, "acc + gt(0, x)"),
    ("max_abs", 0, "mx(acc, ab(x))"),
    ("sum_of_cubes_mod", 0, "md(acc + md(md(x) * md(x)) * md(x))"),
    ("polynomial_hash", 0, "md(acc * 31 + md(x))"),
    ("count_multiples_of_3", 0, "acc + eq(pm(x, 3), 0)"),
    ("sum_of_last_digits", 0, "acc + pm(ab(x), 10)"),
    ("max_mod_1000", -1, "mx(acc, pm(x, 1000))"),
    ("sum_square_minus_self_mod", 0, "md(acc + x * x - x)"),
    ("max_x_plus_i", -BIG, "mx(acc, x + i)"),
    ("min_x_minus_i", BIG, "mn(acc, x - i)"),
    ("sum_capped_at_100", 0, "acc + mn(x, 100)"),
    ("sum_of_positive_parts", 0, "acc + mx(x, 0)"),
    ("xor_of_x_times_i", 0, "acc ^ (x * i)"),
    ("count_multiples_of_5_or_7", 0, "acc + mx(eq(pm(x, 5), 0), eq(pm(x, 7), 0))"),
    ("sum_of_squared_residues", 0, "acc + pm(x, 100) * pm(x, 100)"),
    ("hash_1000003", 0, "md(acc * 1000003 + pm(x, 1000003))"),
    ("signed_by_parity", 0, "acc + x * (2 * eq(pm(x, 2), 0) - 1)"),
    ("count_above_index", 0, "acc + gt(x, i)"),
    ("max_of_halves", -BIG, "mx(acc, x - pm(x, 2))"),
]

HELPERS_PY = {
    "mx": lambda a, b: a if a > b else b, "mn": lambda a, b: a if a < b else b,
    "ab": abs, "gt": lambda a, b: int(a > b), "eq": lambda a, b: int(a == b),
    "pm": lambda x, m: x % m, "md": lambda x: x % 1000000007,
}


def w32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def fold(init: int, step: str, values: list[int], *, limit: int | None = None,
         wrap: bool = False) -> int:
    acc = init
    code = compile(step, "<step>", "eval")
    for i in range(len(values) if limit is None else limit):
        acc = eval(code, {**HELPERS_PY}, {"acc": acc, "x": values[i], "i": i})
        if wrap:
            acc = w32(acc)
    return acc


def cases(rng: random.Random) -> list[list[int]]:
    small = [rng.randint(-20, 20) for _ in range(rng.randint(3, 8))]
    big = [rng.choice([-1, 1]) * rng.randint(2_200_000_000, 3_000_000_000) for _ in range(6)]
    many = [rng.randint(-10**9, 10**9) for _ in range(200)]
    return [small, [rng.randint(-50, 50)], big, many]


# --- per-language templates -------------------------------------------------------------

C_HELPERS = """typedef long long ll;
static ll mx(ll a, ll b) { return a > b ? a : b; }
static ll mn(ll a, ll b) { return a < b ? a : b; }
static ll ab(ll x) { return x < 0 ? -x : x; }
static ll gt(ll a, ll b) { return a > b; }
static ll eq(ll a, ll b) { return a == b; }
static ll pm(ll x, ll m) { ll r = x % m; return r < 0 ? r + m : r; }
static ll md(ll x) { return pm(x, 1000000007LL); }
"""


def c_program(init: int, step: str, limit: str, acc_type: str, out: str, slow: str) -> str:
    return (f"#include <stdio.h>\n#include <stdlib.h>\n{C_HELPERS}\nint main(void) {{\n"
            "    ll n;\n    if (scanf(\"%lld\", &n) != 1) return 1;\n"
            "    ll *a = (ll *)malloc(sizeof(ll) * (size_t)n);\n"
            "    for (ll i = 0; i < n; i++) if (scanf(\"%lld\", &a[i]) != 1) return 1;\n"
            f"    {acc_type} acc = {init}LL;\n"
            f"    for (ll i = 0; i < {limit}; i++) {{\n        ll x = a[i];\n"
            f"        acc = {step};\n    }}\n{slow}    printf(\"{out}%lld\\n\", (ll)acc);\n"
            "    free(a);\n    return 0;\n}\n")


def cpp_program(init: int, step: str, limit: str, acc_type: str, out: str, slow: str) -> str:
    helpers = C_HELPERS.replace("static ", "")
    return ("#include <iostream>\n#include <vector>\n" + helpers + "\nint main() {\n"
            "    std::ios::sync_with_stdio(false);\n    std::cin.tie(nullptr);\n"
            "    ll n;\n    if (!(std::cin >> n)) return 1;\n    std::vector<ll> a(n);\n"
            "    for (auto &v : a) std::cin >> v;\n"
            f"    {acc_type} acc = {init}LL;\n"
            f"    for (ll i = 0; i < {limit}; i++) {{\n        ll x = a[i];\n"
            f"        acc = {step};\n    }}\n{slow}"
            f"    std::cout << \"{out}\" << (ll)acc << \"\\n\";\n    return 0;\n}}\n")


def java_program(init: int, step: str, limit: str, wrap: bool, out: str, slow: str) -> str:
    body = f"({step})"
    if wrap:
        body = f"(long) (int) {body}"
    return ("import java.io.*;\nimport java.util.*;\n\npublic class Main {\n"
            "    static long mx(long a, long b) { return Math.max(a, b); }\n"
            "    static long mn(long a, long b) { return Math.min(a, b); }\n"
            "    static long ab(long x) { return Math.abs(x); }\n"
            "    static long gt(long a, long b) { return a > b ? 1 : 0; }\n"
            "    static long eq(long a, long b) { return a == b ? 1 : 0; }\n"
            "    static long pm(long x, long m) { return Math.floorMod(x, m); }\n"
            "    static long md(long x) { return pm(x, 1000000007L); }\n\n"
            "    public static void main(String[] args) throws IOException {\n"
            "        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));\n"
            "        StringBuilder all = new StringBuilder();\n"
            "        String line;\n"
            "        while ((line = in.readLine()) != null) all.append(line).append(' ');\n"
            "        StringTokenizer tok = new StringTokenizer(all.toString());\n"
            "        long n = Long.parseLong(tok.nextToken());\n"
            "        long[] a = new long[(int) n];\n"
            "        for (int k = 0; k < n; k++) a[k] = Long.parseLong(tok.nextToken());\n"
            f"        long acc = {init}L;\n"
            f"        for (long i = 0; i < {limit}; i++) {{\n            long x = a[(int) i];\n"
            f"            acc = {body};\n        }}\n{slow}"
            f"        System.out.println(\"{out}\" + acc);\n    }}\n}}\n")


def js_program(init: int, step: str, limit: str, wrap: bool, out: str, slow: str) -> str:
    step = re.sub(r"\b(\d+)\b", r"\1n", step)
    body = f"BigInt.asIntN(32, {step})" if wrap else step
    return ("const t = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(BigInt);\n"
            "const n = Number(t[0]);\nconst a = t.slice(1, 1 + n);\n"
            "const mx = (p, q) => (p > q ? p : q);\nconst mn = (p, q) => (p < q ? p : q);\n"
            "const ab = (v) => (v < 0n ? -v : v);\nconst gt = (p, q) => (p > q ? 1n : 0n);\n"
            "const eq = (p, q) => (p === q ? 1n : 0n);\n"
            "const pm = (v, m) => { const r = v % m; return r < 0n ? r + m : r; };\n"
            "const md = (v) => pm(v, 1000000007n);\n"
            f"let acc = {init}n;\n"
            f"for (let j = 0; j < {limit}; j++) {{\n  const i = BigInt(j);\n  const x = a[j];\n"
            f"  acc = {body};\n}}\n{slow}console.log('{out}' + String(acc));\n")


def go_program(init: int, step: str, limit: str, wrap: bool, out: str, slow: str) -> str:
    body = f"int64(int32({step}))" if wrap else step
    return ("package main\n\nimport (\n\t\"bufio\"\n\t\"fmt\"\n\t\"os\"\n)\n\n"
            "func mx(a, b int64) int64 {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n"
            "func mn(a, b int64) int64 {\n\tif a < b {\n\t\treturn a\n\t}\n\treturn b\n}\n"
            "func ab(x int64) int64 {\n\tif x < 0 {\n\t\treturn -x\n\t}\n\treturn x\n}\n"
            "func gt(a, b int64) int64 {\n\tif a > b {\n\t\treturn 1\n\t}\n\treturn 0\n}\n"
            "func eq(a, b int64) int64 {\n\tif a == b {\n\t\treturn 1\n\t}\n\treturn 0\n}\n"
            "func pm(x, m int64) int64 {\n\tr := x % m\n\tif r < 0 {\n\t\tr += m\n\t}\n"
            "\treturn r\n}\nfunc md(x int64) int64 { return pm(x, 1000000007) }\n\n"
            "func main() {\n\tin := bufio.NewReader(os.Stdin)\n\tvar n int64\n"
            "\tfmt.Fscan(in, &n)\n\ta := make([]int64, n)\n"
            "\tfor k := range a {\n\t\tfmt.Fscan(in, &a[k])\n\t}\n"
            f"\tvar acc int64 = {init}\n"
            f"\tfor i := int64(0); i < {limit}; i++ {{\n\t\tx := a[i]\n\t\tacc = {body}\n\t}}\n"
            f"{slow}\tfmt.Printf(\"{out}%d\\n\", acc)\n}}\n")


def rust_program(init: int, step: str, limit: str, wrap: bool, out: str, slow: str) -> str:
    body = f"(({step}) as i32) as i64" if wrap else step
    return ("#![allow(dead_code, unused_variables)]\nuse std::io::Read;\n\n"
            "fn mx(a: i64, b: i64) -> i64 { if a > b { a } else { b } }\n"
            "fn mn(a: i64, b: i64) -> i64 { if a < b { a } else { b } }\n"
            "fn ab(x: i64) -> i64 { x.abs() }\n"
            "fn gt(a: i64, b: i64) -> i64 { if a > b { 1 } else { 0 } }\n"
            "fn eq(a: i64, b: i64) -> i64 { if a == b { 1 } else { 0 } }\n"
            "fn pm(x: i64, m: i64) -> i64 { x.rem_euclid(m) }\n"
            "fn md(x: i64) -> i64 { pm(x, 1_000_000_007) }\n\n"
            "fn main() {\n    let mut s = String::new();\n"
            "    std::io::stdin().read_to_string(&mut s).unwrap();\n"
            "    let v: Vec<i64> = s.split_ascii_whitespace().map(|t| t.parse().unwrap()).collect();\n"
            "    let n = v[0];\n    let a = &v[1..];\n"
            f"    let mut acc: i64 = {init};\n"
            f"    for i in 0..{limit} {{\n        let x = a[i as usize];\n"
            f"        acc = {body};\n    }}\n{slow}"
            f"    println!(\"{out}{{}}\", acc);\n}}\n")


def python_program(init: int, step: str, limit: str, wrap: bool, out: str, slow: str) -> str:
    body = f"w32({step})" if wrap else step
    return ("import sys\n\n\ndef mx(a, b):\n    return a if a > b else b\n\n\n"
            "def mn(a, b):\n    return a if a < b else b\n\n\nab = abs\n\n\n"
            "def gt(a, b):\n    return int(a > b)\n\n\ndef eq(a, b):\n    return int(a == b)\n\n\n"
            "def pm(x, m):\n    return x % m\n\n\ndef md(x):\n    return x % 1000000007\n\n\n"
            "def w32(v):\n    v &= 0xFFFFFFFF\n    return v - (1 << 32) if v >= 1 << 31 else v\n\n\n"
            "t = sys.stdin.read().split()\nn = int(t[0])\na = [int(v) for v in t[1:1 + n]]\n"
            f"acc = {init}\nfor i in range({limit}):\n    x = a[i]\n    acc = {body}\n"
            f"{slow}print('{out}' + str(acc))\n")


SLOW = {
    "c": "    volatile ll s = acc;\n    for (ll k = 0; k < 4000000000000LL; k++) s = (s * 31 + k) % 1000003;\n",
    "java": "        long s = acc;\n        for (long k = 0; k < 4000000000000L; k++) s = (s * 31 + k) % 1000003;\n"
            "        if (s == -1) System.out.println(s);\n",
    "javascript": "let s = acc;\nfor (let k = 0n; k < 4000000000000n; k++) s = (s * 31n + k) % 1000003n;\n"
                  "if (s === -1n) console.log(s);\n",
    "go": "\ts := acc\n\tfor k := int64(0); k < 4000000000000; k++ {\n\t\ts = (s*31 + k) % 1000003\n\t}\n"
          "\tif s == -1 {\n\t\tfmt.Println(s)\n\t}\n",
    "rust": "    let mut s = acc;\n    for k in 0..4_000_000_000_000i64 { s = (s * 31 + k) % 1_000_003; }\n"
            "    if s == -1 { println!(\"{}\", s); }\n",
    "python": "s = acc\nfor k in range(4 * 10**12):\n    s = (s * 31 + k) % 1000003\n",
}
SLOW["cpp"] = SLOW["c"]
TAGS = {"python": "python", "c": "c", "cpp": "cpp", "java": "java", "javascript": "javascript",
        "go": "go", "rust": "rust"}


def program(language: str, init: int, step: str, kind: str) -> str:
    limit = "n - 1" if kind == "off_by_one" else "n"
    wrap = kind == "overflow"
    out = "Answer: " if kind == "format" else ""
    slow = SLOW[language] if kind == "slow" else ""
    if language in ("c", "cpp"):
        make = c_program if language == "c" else cpp_program
        return make(init, step, limit, "int" if wrap else "ll", out, slow)
    makers = {"java": java_program, "javascript": js_program, "go": go_program,
              "rust": rust_program, "python": python_program}
    return makers[language](init, step, limit, wrap, out, slow)


def effective(kind: str, init: int, step: str, tests: list[list[int]]) -> bool:
    """Whether the wrong kind gives a wrong answer on at least one case."""
    if kind in ("format", "slow"):
        return True
    for values in tests:
        right = fold(init, step, values)
        if kind == "off_by_one" and fold(init, step, values, limit=len(values) - 1) != right:
            return True
        if kind == "overflow" and fold(init, step, values, wrap=True) != right:
            return True
    return False


def rows() -> list[dict[str, Any]]:
    rng = random.Random(16)
    out: list[dict[str, Any]] = []
    for p, (name, init, step) in enumerate(PROBLEMS):
        tests = cases(rng)
        reference_cases = [{"stdin": f"{len(v)}\n{' '.join(map(str, v))}\n",
                            "stdout": f"{fold(init, step, v)}\n"} for v in tests]
        for li, language in enumerate(LANGUAGES):
            kinds = KINDS[(p + li) % 4:] + KINDS[:(p + li) % 4]
            wrong = next(k for k in kinds if effective(k, init, step, tests))
            for kind in ("correct", wrong):
                source = program(language, init, step, "" if kind == "correct" else kind)
                out.append({"problem": name, "language": language, "kind": kind,
                            "expect": 1.0 if kind == "correct" else 0.0,
                            "completion": f"```{TAGS[language]}\n{source}```",
                            "reference": {"language": language, "cases": reference_cases}})
    return out


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w") as f:
        for row in rows():
            f.write(json.dumps(row) + "\n")
    print(f"wrote {OUT} ({len(PROBLEMS)} problems x {len(LANGUAGES)} languages x 2)")


if __name__ == "__main__":
    main()
