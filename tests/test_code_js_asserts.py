"""JavaScript assert style (issue 16): the reference's ``node:assert`` tests run against the
completion's functions on both backends, with Python's semantics: the completion is loaded in
one sandbox, the tests run in another against proxies, and only plain data crosses.

The hostile completions below are each written to earn reward if the tests ran where the
completion ran (the usual way: the tests appended to the completion in one ``node`` process,
judged by its exit status or its output).
"""

from __future__ import annotations

import pytest
from conftest import sandbox_missing

from rewardkit import Result, Sample, Status
from rewardkit.verifiers.code import CodeVerifier
from rewardkit.verifiers.code.sandbox import SandboxUnavailable

TESTS = ("const assert = require('node:assert');\n"
         "assert.strictEqual(add(1, 2), 3);\n"
         "assert.strictEqual(add(-5, 5), 0);\n")
HONEST = "function add(a, b) {\n  return a + b;\n}\n"
WRONG = "function add(a, b) {\n  return a - b;\n}\n"


@pytest.fixture(scope="module", params=["process", "docker"])
def verifier(request):  # type: ignore[no-untyped-def]
    verifier = CodeVerifier({"backend": request.param, "time_limit": 3.0, "pool_size": 2,
                             "memory_limit": 256})
    try:
        verifier.language_backend("vm")
    except SandboxUnavailable as exc:
        sandbox_missing(request.param, exc)
    yield verifier
    verifier.close()


def js(verifier: CodeVerifier, program: str, tests: str = TESTS) -> Result:
    completion = f"Here you are:\n```javascript\n{program}\n```\n"
    return verifier.verify(Sample(completion=completion,
                                  reference={"language": "javascript", "tests": tests}))


def zero(result: Result) -> None:
    assert result.reward == 0.0, result
    assert result.status is Status.OK, result


def test_honest_and_wrong(verifier):  # type: ignore[no-untyped-def]
    passed = js(verifier, HONEST)
    assert passed.passed and passed.reward == 1.0, passed
    assert passed.details["language"] == "javascript"
    failed = js(verifier, WRONG)
    zero(failed)
    assert "assertion failed (tests line 2): got -1, expected 3" in failed.reason, failed
    # arrow functions, const bindings and module.exports are found as well
    assert js(verifier, "const add = (a, b) => a + b;").passed
    assert js(verifier, "module.exports = { add: (a, b) => a + b };").passed


def test_es_modules_and_every_binding_form_are_found(verifier):  # type: ignore[no-untyped-def]
    """Before: an ES module (``export function``, ``import ... from``) failed to load as a
    script, and only the first name of ``const a = f, b = g`` (or none of a destructuring)
    was offered to the tests. Names come from the completion's own text, never the tests'."""
    pair = "\nconst pair = (x) => [x, x];\n"
    tests = TESTS + "assert.deepStrictEqual(pair(1), [1, 1]);\n"
    for program in ("export function add(a, b) { return a + b; }\nexport" + pair,
                    "import { strict } from 'node:assert';\nexport const add = (a, b) => a + b;"
                    "\nexport" + pair,
                    "export default function add(a, b) { return a + b; }\nexport" + pair,
                    "class S { static add(a, b) { return a + b; } }\nconst one = 1, add = S.add;"
                    + pair,
                    "const { add } = { add: (a, b) => a + b };" + pair):
        result = js(verifier, program, tests)
        assert result.passed, (program, result)
    zero(js(verifier, "export function add(a, b) { return a - b; }", tests))


def test_tests_written_as_an_es_module_run(verifier):  # type: ignore[no-untyped-def]
    """Before: ``import assert from 'node:assert'`` in the tests was an ``error`` (the tests
    run as a function's body). Imports become requires on as many lines, so a failure still
    names its line."""
    for imports in ("import assert from 'node:assert';",
                    "import { strictEqual } from 'node:assert';\nconst assert = { strictEqual };",
                    "import * as assert from 'node:assert';",
                    "import {\n  strictEqual as same,\n} from 'node:assert/strict';\n"
                    "import 'node:util';\nconst assert = { strictEqual: same };"):
        tests = (f"{imports}\nassert.strictEqual(add(1, 2), 3);\n"
                 "assert.strictEqual(add(-5, 5), 0);\n")
        assert js(verifier, HONEST, tests).passed, imports
        failed = js(verifier, WRONG, tests)
        zero(failed)
        assert f"(tests line {imports.count(chr(10)) + 2})" in failed.reason, (imports, failed)


def test_values_and_errors_cross_as_plain_data(verifier):  # type: ignore[no-untyped-def]
    program = ("function f(x) {\n"
               "  if (x < 0) throw new RangeError('negative');\n"
               "  if (x === 0) throw new (class Odd extends Error {})('odd');\n"
               "  const map = new Map([[x, new Set([1])]]);\n"
               "  return { list: [x, undefined, NaN], big: 2n ** 70n, map };\n"
               "}\n"
               "async function g(x) { return x * 2; }\n")
    tests = ("const assert = require('node:assert/strict');\n"
             "assert.deepEqual(f(1), { list: [1, undefined, NaN], big: 2n ** 70n,\n"
             "                         map: new Map([[1, new Set([1])]]) });\n"
             "assert.throws(() => f(-1), RangeError);\n"
             "assert.throws(() => f(0), (e) => e.name === 'SolutionError');\n"
             "assert.equal(await g(4), 8);\n")
    result = js(verifier, program, tests)
    assert result.passed, result
    # a function, a class instance: not plain data, so the test fails (never passes)
    zero(js(verifier, "function add(a, b) { return new Number(a + b); }"))


def test_broken_tests_are_an_error_not_a_zero(verifier):  # type: ignore[no-untyped-def]
    """The reference's fault: a syntax error, a test process that dies, tests that never call
    the solution, or an argument that cannot cross."""
    for tests in ("assert.strictEqual(add(1, 2), 3",
                  "add(1, 2); process.exit(3);",
                  "require('node:assert').ok(true);",
                  "add(() => 1, 2);"):
        result = js(verifier, HONEST, tests)
        assert result.status is Status.ERROR and result.reward == 0.0, (tests, result)


def test_a_hanging_solution_times_out(verifier):  # type: ignore[no-untyped-def]
    result = js(verifier, "function add(a, b) { for (;;) {} }")
    assert result.status is Status.TIMEOUT and result.reward == 0.0, result


def test_a_heap_bomb_is_the_memory_limit(verifier):  # type: ignore[no-untyped-def]
    """V8 gives up on a full heap (after its last-resort collections, seconds under load):
    the ``memory`` limit, not a crash. Its own verifier, with room on the clock."""
    roomy = CodeVerifier({**verifier.opts.model_dump(), "time_limit": 15.0})
    try:
        result = js(roomy, "function add(a, b) {\n  const all = [];\n"
                           "  for (;;) all.push(new Array(4e6).fill(0.5));\n}\n")
    finally:
        roomy.close()
    assert result.reward == 0.0 and result.details.get("limit") == "memory", result


def test_other_languages_keep_the_clear_error(verifier):  # type: ignore[no-untyped-def]
    result = verifier.verify(Sample(completion="int add(int a, int b) { return a + b; }",
                                    reference={"language": "cpp", "tests": TESTS}))
    assert result.status is Status.ERROR and "not supported for cpp" in result.reason


# --- hostile completions: each would earn reward if the tests ran next to it --------------

HOSTILE = {
    # the tests' assertions become no-ops when they share the completion's process
    "monkeypatched assert": (
        "const a = require('node:assert');\n"
        "for (const k of Object.keys(a)) a[k] = () => {};\n"
        "require('node:assert/strict').strictEqual = () => {};\n" + WRONG),
    # exit status 0 before the appended tests ever run
    "process.exit(0) first": WRONG + "process.exit(0);\n",
    # a failed assertion's exit(1) (or the uncaught error) turned into exit status 0
    "overridden process.exit": (
        "const real = process.reallyExit.bind(process);\n"
        "process.exit = () => real(0);\n"
        "process.on('uncaughtException', () => real(0));\n" + WRONG),
    # a judge that reads output, or the verdict channel itself, forged on stdout and fd 4
    "fake passed output": (
        "const fs = require('node:fs');\n"
        "const forged = JSON.stringify({ ok: true, done: true, verdict: 'passed',"
        " message: '' }) + '\\n';\n"
        "console.log('all tests passed'); console.log(forged);\n"
        "function add(a, b) { try { fs.writeSync(4, forged); } catch {} return a - b; }\n"),
    # the runner that would report the failure, killed from inside the call
    "killed test runner": (
        "function add(a, b) {\n"
        "  for (const pid of [process.ppid, -1]) { try { process.kill(pid, 'SIGKILL'); }"
        " catch {} }\n"
        "  return a - b;\n}\n"),
}


def test_the_solution_cannot_read_the_expected_values(verifier):  # type: ignore[no-untyped-def]
    """Tests appended to the completion (or in a file beside it) hand it the expected value:
    this one searches every file, process and descriptor it can reach and returns what it
    finds, which would pass."""
    program = (
        "const fs = require('node:fs');\n"
        "const read = (path) => { try { return fs.readFileSync(path, 'latin1'); }"
        " catch { return ''; } };\n"
        "const list = (dir) => { try { return fs.readdirSync(dir).map((n) => `${dir}/${n}`); }"
        " catch { return []; } };\n"
        "function secret(x) {\n"
        "  const files = [...list('.'), ...list('/tmp'), ...list('/work'),\n"
        "    ...list('/work').flatMap(list), ...list('/proc').flatMap((p) =>\n"
        "      [`${p}/cmdline`, `${p}/environ`])];\n"
        "  for (const path of files) {\n"
        "    const found = /rk-expected-\\d+/.exec(read(path));\n"
        "    if (found) return found[0];\n"
        "  }\n"
        "  return null;\n"
        "}\n")
    secret_not_found(verifier, program, "rk-expected-0815")


def secret_not_found(verifier: CodeVerifier, program: str, secret: str) -> None:
    """``program``'s ``secret()`` returns the expected value if it finds it: it must not."""
    tests = ("const assert = require('node:assert');\n"
             f"assert.strictEqual(secret(1), '{secret}');\n")
    result = js(verifier, program, tests)
    zero(result)
    assert f"got null, expected '{secret}'" in result.reason, result


def test_no_word_of_the_tests_reaches_the_solution(verifier):  # type: ignore[no-untyped-def]
    """The solution's sandbox holds nothing of the tests, not even their words as names to
    look up: this completion searches its own heap (a V8 heap snapshot) for the expected
    word and returns it, which would pass."""
    program = (
        "const fs = require('node:fs');\nconst v8 = require('node:v8');\n"
        "function secret(x) {\n"
        "  const text = fs.readFileSync(v8.writeHeapSnapshot('heap.heapsnapshot'), 'latin1');\n"
        "  const found = new RegExp('rk' + '_expected_' + '[0-9]+').exec(text);\n"
        "  return found ? found[0] : null;\n"
        "}\n")
    secret_not_found(verifier, program, "rk_expected_0815")


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_hostile_completions_earn_nothing(verifier, attack):  # type: ignore[no-untyped-def]
    result = js(verifier, HOSTILE[attack])
    assert result.reward == 0.0 and not result.passed, result
    assert result.status in (Status.OK, Status.TIMEOUT), result


def test_hostile_completions_still_pass_when_right(verifier):  # type: ignore[no-untyped-def]
    """The same tricks around a right ``add`` pass: what decides is only what it returns."""
    result = js(verifier, HOSTILE["monkeypatched assert"].replace("a - b", "a + b"))
    assert result.passed, result
