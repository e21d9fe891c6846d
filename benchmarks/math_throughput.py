"""Throughput of the ``math`` verifier against math-verify, on GRPO-like data.

4,000 completions (500 prompts x 8 samples, all distinct texts) whose final answers repeat
the way a GRPO group's do, a few of them 30,000 characters long, are scored three times in
the same run, on the same data:

- pool baseline (what verl or PrimeIntellect verifiers users run): math-verify's ``parse``
  (reference and completion) and ``verify`` with its defaults (signal-based timeouts on, one
  per worker's main thread) in a ``multiprocessing.Pool`` of as many workers as rewardkit;
- sequential baseline: the same calls in one loop;
- rewardkit: ``RewardEngine(["math"])`` with its worker pool (``--workers``), cache included.

Prints the times, both speed ratios and the verdict agreement over the samples where
math-verify finished (did not time out). Run from the repository root::

    .venv/bin/python benchmarks/math_throughput.py --workers 2
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import random
import time
from dataclasses import dataclass

import math_verify

from rewardkit import RewardEngine, Sample

PROMPTS = 500
SAMPLES_PER_PROMPT = 8
LONG_CHARS = 30_000
LONG_COUNT = 6


@dataclass(frozen=True)
class Problem:
    gold: str  # as a data set stores it: "$...$"
    right: tuple[str, ...]  # ways a model writes the correct answer
    wrong: tuple[str, ...]  # the wrong answers a group tends to repeat


def problems(rng: random.Random, count: int = PROMPTS) -> list[Problem]:
    """``count`` problems of the answer shapes MATH and GSM8K have."""
    made: list[Problem] = []
    while len(made) < count:
        kind = len(made) % 8
        a, b = rng.randint(2, 60), rng.randint(61, 97)
        if kind == 0:  # GSM8K-style integers
            n = rng.randint(10, 50_000)
            made.append(Problem(f"${n}$", (str(n), f"{n:,}" if n >= 1000 else f"{n}.0"),
                                (str(n + rng.randint(1, 9)), str(n * 2))))
        elif kind == 1:  # fractions and their decimals
            made.append(Problem(f"$\\frac{{{a}}}{{{b}}}$", (f"\\frac{{{a}}}{{{b}}}",
                                f"\\dfrac{{{2 * a}}}{{{2 * b}}}"),
                                (f"\\frac{{{b}}}{{{a}}}", f"\\frac{{{a + 1}}}{{{b}}}")))
        elif kind == 2:
            made.append(Problem(f"${a}/4$", (f"{a / 4}", f"\\frac{{{a}}}{{4}}"),
                                (f"{a / 4 + 0.5}", f"{a}")))
        elif kind == 3:  # radicals
            made.append(Problem(f"${a}\\sqrt{{2}}$", (f"{a}\\sqrt{{2}}", f"\\sqrt{{{2 * a * a}}}"),
                                (f"{a}\\sqrt{{3}}", f"{2 * a}")))
        elif kind == 4:  # pi
            made.append(Problem(f"$\\frac{{{a}\\pi}}{{3}}$", (f"\\frac{{{a}\\pi}}{{3}}",
                                f"\\frac{{{a}}}{{3}}\\pi"), (f"{a}\\pi", f"\\frac{{{a}}}{{3}}")))
        elif kind == 5:  # polynomials
            made.append(Problem(f"$x^2+{2 * a}x+{a * a}$", (f"(x+{a})^2", f"x^2+{2 * a}x+{a * a}"),
                                (f"(x-{a})^2", f"x^2+{a * a}")))
        elif kind == 6:  # intervals
            made.append(Problem(f"$[{a},{b})$", (f"[{a},{b})", f"[{a}, {b})"),
                                (f"({a},{b})", f"[{a},{b}]")))
        else:  # sets of roots
            made.append(Problem(f"$\\{{{a},{b}\\}}$", (f"\\{{{a},{b}\\}}", f"\\{{{b},{a}\\}}"),
                                (f"\\{{{a}\\}}", f"\\{{{a},{b + 1}\\}}")))
    return made


FILLER = [
    "Let us set up the equation carefully. ", "We substitute $x = {n}$ into the expression. ",
    "Multiplying both sides by ${n}$ gives a simpler form. ", "Check: ${n} + {m} = {s}$. ",
    "Hmm, wait, let me recompute that step. ", "So the remaining part is $\\frac{{{n}}}{{{m}}}$. ",
    "This means the total is ${s}$ before the last step. ", "Now consider the second case. ",
]


def reasoning(rng: random.Random, chars: int) -> str:
    parts: list[str] = []
    size = 0
    while size < chars:
        n, m = rng.randint(1, 99), rng.randint(1, 99)
        part = rng.choice(FILLER).format(n=n, m=m, s=n + m)
        parts.append(part)
        size += len(part)
    return "".join(parts)


def completions(rng: random.Random, prompts: int = PROMPTS) -> list[Sample]:
    samples: list[Sample] = []
    long_slots = set(rng.sample(range(prompts * SAMPLES_PER_PROMPT), LONG_COUNT))
    for p, problem in enumerate(problems(rng, prompts)):
        for k in range(SAMPLES_PER_PROMPT):
            index = p * SAMPLES_PER_PROMPT + k
            # Most of a group agrees on one answer; a few stray.
            roll = rng.random()
            if roll < 0.55:
                answer = problem.right[0]
            elif roll < 0.7:
                answer = problem.right[1]
            else:
                answer = rng.choice(problem.wrong)
            body = reasoning(rng, LONG_CHARS if index in long_slots else rng.randint(300, 1500))
            ending = f"\n\nTherefore, the final answer is $\\boxed{{{answer}}}$."
            samples.append(Sample(prompt=f"problem {p}", completion=body + ending,
                                  reference=problem.gold))
    return samples


class _TimeoutFlag(logging.Handler):
    """Notes math-verify's "Timeout during ..." warnings (it returns no verdict then)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        if "Timeout" in record.getMessage():
            self.seen = True


_FLAG = _TimeoutFlag()


def _install_flag() -> None:
    for name in ("math_verify.parser", "math_verify.grader"):
        logging.getLogger(name).addHandler(_FLAG)


def math_verify_one(pair: tuple[str, str]) -> bool | None:
    """math-verify on one (reference, completion) with its defaults; None where it timed out."""
    _FLAG.seen = False
    gold = math_verify.parse(pair[0])
    answer = math_verify.parse(pair[1])
    verdict = bool(math_verify.verify(gold, answer))
    return None if _FLAG.seen else verdict


def baseline(samples: list[Sample]) -> tuple[list[bool | None], float]:
    """math-verify in a sequential loop: verdicts (None where it timed out) and seconds."""
    _install_flag()
    start = time.perf_counter()
    verdicts = [math_verify_one((str(s.reference), s.completion_text)) for s in samples]
    return verdicts, time.perf_counter() - start


def pool_baseline(samples: list[Sample], workers: int) -> tuple[list[bool | None], float]:
    """math-verify in a process pool of ``workers``: verdicts and seconds (pool start
    included, as rewardkit's time includes its own)."""
    pairs = [(str(s.reference), s.completion_text) for s in samples]
    # A few chunks per worker: big enough to amortise the pickling, small enough to balance.
    chunksize = max(1, len(pairs) // (workers * 16))
    start = time.perf_counter()
    # The platform's default start method, as a plain multiprocessing.Pool() user gets it
    # (fork on Linux: math-verify is already imported, so workers start at once).
    with multiprocessing.Pool(workers, initializer=_install_flag) as pool:
        verdicts = pool.map(math_verify_one, pairs, chunksize=chunksize)
    return verdicts, time.perf_counter() - start


def rewardkit_run(samples: list[Sample], workers: int) -> tuple[list[bool], float, int]:
    """The engine with the math verifier: verdicts, seconds (pool start included), errors."""
    start = time.perf_counter()
    with RewardEngine(["math"], workers=workers) as engine:
        scores = engine.score(samples)
    seconds = time.perf_counter() - start
    not_ok = sum(1 for s in scores if s.results[0].status.value != "ok")
    return [s.reward > 0 for s in scores], seconds, not_ok


def agreement(ours: list[bool], theirs: list[bool | None]) -> tuple[int, int]:
    compared = [(a, b) for a, b in zip(ours, theirs) if b is not None]
    return sum(1 for a, b in compared if a == b), len(compared)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--prompts", type=int, default=PROMPTS,
                        help=f"prompts of {SAMPLES_PER_PROMPT} completions each (2000: 16,000)")
    parser.add_argument("--skip-sequential", action="store_true",
                        help="leave out the sequential loop (the slowest part)")
    parser.add_argument("--skip-pool", action="store_true",
                        help="time rewardkit alone (no baselines: for a scaling series whose "
                             "pool runs are timed at fewer worker counts)")
    args = parser.parse_args()
    logging.getLogger("math_verify").setLevel(logging.ERROR)
    samples = completions(random.Random(args.seed), args.prompts)
    long_count = sum(1 for s in samples if len(s.completion_text) >= LONG_CHARS)
    texts = len({s.completion_text for s in samples})
    distinct = len({(s.reference, s.completion_text.rsplit("boxed", 1)[-1]) for s in samples})
    print(f"{len(samples)} completions ({args.prompts} prompts x {SAMPLES_PER_PROMPT}), {texts} "
          f"distinct texts, {long_count} of {LONG_CHARS:,}+ characters, {distinct} distinct "
          f"final answers")

    ours, ours_seconds, not_ok = rewardkit_run(samples, args.workers)
    print(f"rewardkit engine     : {ours_seconds:7.2f} s  ({len(samples) / ours_seconds:6.1f}/s),"
          f" {args.workers} workers, {not_ok} results not ok")
    if args.skip_pool:
        return
    pooled, pool_seconds = pool_baseline(samples, args.workers)
    print(f"math-verify pool     : {pool_seconds:7.2f} s  ({len(samples) / pool_seconds:6.1f}/s),"
          f" {args.workers} processes")
    print(f"ratio vs pool        : {pool_seconds / ours_seconds:.2f}x")
    agree, compared = agreement(ours, pooled)
    print(f"verdict agreement    : {agree}/{compared} = {agree / compared:.2%} "
          f"({len(samples) - compared} math-verify timeouts excluded)")
    if not args.skip_sequential:
        _, loop_seconds = baseline(samples)
        print(f"math-verify loop     : {loop_seconds:7.2f} s  "
              f"({len(samples) / loop_seconds:6.1f}/s), 1 process")
        print(f"ratio vs loop        : {loop_seconds / ours_seconds:.2f}x")
    shown = 0
    for i, (a, b) in enumerate(zip(ours, pooled)):
        if b is not None and a != b and shown < 10:
            shown += 1
            print(f"  disagree #{i}: rewardkit={a} math-verify={b} "
                  f"reference={samples[i].reference!r} ending={samples[i].completion_text[-60:]!r}")


if __name__ == "__main__":
    main()
