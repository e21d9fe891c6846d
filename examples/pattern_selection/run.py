"""Reasoning-pattern selection under RLVR, on a CPU in minutes.

    python examples/pattern_selection/run.py --out runs/patterns

1. Build a tiny Llama and a character tokenizer in code; teach it (SFT) two-digit addition
   with two patterns: ``direct`` (drops the carry: right only on ``no_carry`` problems) and
   ``carries`` (written column addition: always right), mixed so ``carries`` is the minority.
2. Run GRPO through TRL with ``rewardkit.trl.reward_functions(["math"])`` and a pattern
   classifier plugin (pattern_plugin.py), evaluating on held-out problems with sampling.
3. Write ``OUT/summary.json`` (share and success per pattern, pooled and per stratum, before
   and after RL) and ``OUT/patterns.png``.

It also runs the weak-model regime: a less-trained model, and the same model after a short
extra SFT stage (``--no-regimes`` skips both). ``--smoke`` runs every part in seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).parent))

import pattern_plugin
import seeds as multi_seed
import task
import torch

from rewardkit import RewardEngine, Sample, make_plugin_manager
from rewardkit.patterns import NO_STRATUM, Cell, Cells, split_change
from rewardkit.trl.telemetry import OTHER

MAX_NEW_TOKENS = 26
# Everything an SFT model depends on: a cached one is reused only when all of these match
# (the thread count too: another count rounds differently, so it trains another model).
SFT_KEYS = ("seed", "carry_rate", "carries_share_sft", "sft_batch", "sft_lr", "hidden", "layers",
            "threads")


def settings_for(args: argparse.Namespace, seed: int) -> dict[str, Any]:
    full = {
        "seed": seed, "carry_rate": 0.75, "carries_share_sft": 0.25,
        "sft_steps": 2500, "sft_batch": 64, "sft_lr": 4e-3,
        "weak_sft_steps": 250, "short_sft_steps": 350,
        "rl_steps": 100, "rl_prompts_per_step": 8, "num_generations": 8, "rl_lr": 1e-4,
        "beta": 0.04, "rl_carry_rate": 0.5,
        # Step 0 and the last step decide the finding, so they get 4x the samples: a cell of
        # ~100 (26 % `carries` × 25 % `no_carry` × 1,600) has a 95 % interval ±4.5 points
        # wide, and seed 0 failed the 5-point criterion on that noise alone (docs).
        "eval_every": 20, "eval_samples": 1600, "eval_samples_ends": 6400, "temperature": 1.0,
        "forced_problems": None,  # every held-out problem, each pattern forced
        "hidden": 96, "layers": 2, "threads": args.threads,
    }
    if args.eval_every:
        full["eval_every"] = args.eval_every
    if args.rl_lr:
        full["rl_lr"] = args.rl_lr
    if args.rl_steps:
        full["rl_steps"] = args.rl_steps
    if args.beta is not None:
        full["beta"] = args.beta
    if args.rl_carry_rate is not None:
        full["rl_carry_rate"] = args.rl_carry_rate
    if args.smoke:
        full.update(sft_steps=5, weak_sft_steps=2, short_sft_steps=2, rl_steps=2,
                    rl_prompts_per_step=2, num_generations=4, eval_every=1, eval_samples=64,
                    eval_samples_ends=64, forced_problems=32, sft_batch=16)
    return full


# --- SFT ------------------------------------------------------------------------------------

def sft(model: Any, tokenizer: Any, problems: list[task.Problem], settings: dict[str, Any],
        steps: int, rng: random.Random) -> None:
    """Teach both patterns: each example uses ``carries`` with the configured share."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings["sft_lr"], weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, settings["sft_lr"],
                                                   total_steps=max(steps, 1), pct_start=0.1)
    model.train()
    for _ in range(steps):
        batch = task.draw(problems, settings["sft_batch"], settings["carry_rate"], rng)
        rows, masks = [], []
        for problem in batch:
            pattern = "carries" if rng.random() < settings["carries_share_sft"] else "direct"
            prompt = tokenizer(problem.prompt, add_special_tokens=False)["input_ids"]
            answer = tokenizer(problem.completion(pattern), add_special_tokens=False)["input_ids"]
            rows.append([*prompt, *answer, tokenizer.eos_token_id])
            masks.append([0] * len(prompt) + [1] * (len(answer) + 1))
        width = max(map(len, rows))
        ids = torch.full((len(rows), width), tokenizer.pad_token_id)
        labels = torch.full((len(rows), width), -100)
        attention = torch.zeros((len(rows), width), dtype=torch.long)
        for i, (row, mask) in enumerate(zip(rows, masks)):
            ids[i, :len(row)] = torch.tensor(row)
            attention[i, :len(row)] = 1
            labels[i, :len(row)] = torch.tensor([t if m else -100 for t, m in zip(row, mask)])
        loss = model(input_ids=ids, attention_mask=attention, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
    model.eval()


# --- evaluation -------------------------------------------------------------------------------

@torch.no_grad()
def complete(model: Any, tokenizer: Any, prompts: list[str], settings: dict[str, Any],
           seed: int) -> list[str]:
    """One completion per prompt, sampled at the run's temperature from a fixed seed."""
    was_training = model.training
    model.eval()
    torch.manual_seed(seed)
    completions: list[str] = []
    for start in range(0, len(prompts), 400):
        inputs = tokenizer(prompts[start:start + 400], return_tensors="pt", padding=True,
                           add_special_tokens=False)
        out = model.generate(**inputs, do_sample=True, temperature=settings["temperature"],
                             top_k=0, top_p=1.0, max_new_tokens=MAX_NEW_TOKENS,
                             pad_token_id=tokenizer.pad_token_id,
                             eos_token_id=tokenizer.eos_token_id)
        completions += tokenizer.batch_decode(out[:, inputs["input_ids"].shape[1]:],
                                              skip_special_tokens=True)
    model.train(was_training)
    return completions


@torch.no_grad()
def evaluate(model: Any, tokenizer: Any, problems: list[task.Problem], engine: RewardEngine,
             settings: dict[str, Any], seed: int, n: int) -> dict[str, Any]:
    """Sample one completion for each of ``n`` held-out draws; share and success per pattern
    and stratum."""
    batch = task.draw(problems, n, settings["carry_rate"], random.Random(seed))
    completions = complete(model, tokenizer, [p.prompt for p in batch], settings, seed)
    samples = [Sample(prompt=p.prompt, completion=c, reference=str(p.answer),
                      metadata={"stratum": p.stratum}) for p, c in zip(batch, completions)]
    scores = engine.score(samples)
    cells: dict[str, dict[str, list[int]]] = {}
    for sample, score in zip(samples, scores):
        result = score.results[0]
        label = engine.classify_pattern(sample, result) or OTHER
        cell = cells.setdefault(label, {s: [0, 0] for s in task.STRATA})
        cell[sample.metadata["stratum"]][0] += 1
        cell[sample.metadata["stratum"]][1] += int(result.passed)
    total = len(samples)
    report: dict[str, Any] = {}
    for label, strata in cells.items():
        n = sum(c[0] for c in strata.values())
        passed = sum(c[1] for c in strata.values())
        report[label] = {
            "n": n, "share": n / total, "success": passed / n if n else None,
            "strata": {s: {"n": c[0], "passed": c[1], "success": c[1] / c[0] if c[0] else None}
                       for s, c in strata.items()},
        }
    return report


@torch.no_grad()
def forced(model: Any, tokenizer: Any, problems: list[task.Problem], engine: RewardEngine,
           settings: dict[str, Any], seed: int) -> dict[str, Any]:
    """Each pattern forced on the same held-out problems (its opening written for the model):
    success per pattern and stratum, whichever problems the model would pick the pattern for.

    The natural evaluation's cells hold the problems the model chose a pattern for, which RL
    changes; these hold every problem at both points, so they measure competence alone.
    """
    problems = problems[:settings["forced_problems"]]
    report: dict[str, Any] = {}
    for pattern in task.PATTERNS:
        prompts = [p.prompt + p.opening(pattern) for p in problems]
        texts = [p.opening(pattern) + c
                 for p, c in zip(problems, complete(model, tokenizer, prompts, settings, seed))]
        scores = engine.score([Sample(prompt=p.prompt, completion=t, reference=str(p.answer))
                               for p, t in zip(problems, texts)])
        counts = {s: [0, 0] for s in task.STRATA}
        for problem, score in zip(problems, scores):
            counts[problem.stratum][0] += 1
            counts[problem.stratum][1] += int(score.results[0].passed)
        report[pattern] = {s: {"n": n, "success": k / n if n else None}
                           for s, (n, k) in counts.items()}
    return report


def cells_of(report: dict[str, Any], stratified: bool = True) -> Cells:
    """An evaluation's (stratum, pattern) cells, for :func:`rewardkit.patterns.split_change`."""
    cells: Cells = {}
    for label, data in report.items():
        for stratum, cell in data["strata"].items():
            if cell["n"]:
                key = (stratum if stratified else NO_STRATUM, label)
                old = cells.get(key, Cell(0, 0.0))
                cells[key] = Cell(old.n + cell["n"], old.total + cell["passed"])
    return cells


def split_of(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The change in success between two evaluations, split within strata and pooled."""
    stratified = split_change(cells_of(before), cells_of(after)).as_dict()
    pooled = split_change(cells_of(before, False), cells_of(after, False)).as_dict()
    return {**stratified, "pooled": {k: pooled[k] for k in (
        "selection", "competence", "interaction", "patterns")}}


# --- GRPO -------------------------------------------------------------------------------------

def grpo(model: Any, tokenizer: Any, train: list[task.Problem], held_out: list[task.Problem],
         engine: RewardEngine, plugins: Any, settings: dict[str, Any], out: Path,
         name: str, decisive: bool = True) -> list[dict[str, Any]]:
    """GRPO with rewardkit's math verifier; returns the evaluations (step 0 first).

    A ``decisive`` run (the one the finding is judged on) gets the larger evaluation and the
    forced one at both ends; the weak-model regimes get neither, to keep the run short.
    """
    from datasets import Dataset
    from transformers import TrainerCallback
    from trl import GRPOConfig, GRPOTrainer

    from rewardkit.trl import reward_functions

    rng = random.Random(settings["seed"] + 1)
    steps, per_step = settings["rl_steps"], settings["rl_prompts_per_step"]
    rows = [{"prompt": p.prompt, "answer": str(p.answer), "stratum": p.stratum}
            for p in task.draw(train, steps * per_step, settings["rl_carry_rate"], rng)]
    ends = settings["eval_samples_ends" if decisive else "eval_samples"]

    def end_point(step: int) -> dict[str, Any]:
        record = {"step": step, "patterns": evaluate(
            model, tokenizer, held_out, engine, settings, settings["seed"] + 100 + step, ends)}
        if decisive:
            record["forced"] = forced(model, tokenizer, held_out, engine, settings,
                                      settings["seed"] + 50)
        return record

    history = [end_point(0)]

    class Evaluate(TrainerCallback):  # type: ignore[misc]
        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            step = state.global_step
            if step == steps:
                history.append(end_point(step))
            elif step % settings["eval_every"] == 0:
                history.append({"step": step, "patterns": evaluate(
                    model, tokenizer, held_out, engine, settings, settings["seed"] + 100 + step,
                    settings["eval_samples"])})
                carries = history[-1]["patterns"].get("carries", {}).get("share", 0.0)
                print(f"  [{name}] step {step}: carries share {carries:.2f}", flush=True)

    funcs = reward_functions(["math"], plugin_manager=plugins, workers=1)
    config = GRPOConfig(
        output_dir=str(out / f"grpo-{name}"), per_device_train_batch_size=per_step
        * settings["num_generations"], num_generations=settings["num_generations"],
        max_completion_length=MAX_NEW_TOKENS, learning_rate=settings["rl_lr"],
        beta=settings["beta"], max_steps=steps, logging_steps=1, report_to=[], use_cpu=True,
        save_strategy="no",
        temperature=settings["temperature"], top_k=0, seed=settings["seed"],
        lr_scheduler_type="constant", warmup_steps=0, disable_tqdm=True,
        reward_weights=funcs.weights, dataloader_num_workers=0, shuffle_dataset=False,
        gradient_checkpointing=False,
    )
    if settings["beta"]:
        # TRL loads the KL reference from the policy's path: save the model as RL starts it.
        reference = out / f"reference-{name}"
        model.save_pretrained(reference)
        model.config._name_or_path = str(reference)
    trainer = GRPOTrainer(model=model, processing_class=tokenizer, reward_funcs=funcs,
                          args=config, train_dataset=Dataset.from_list(rows),
                          callbacks=[funcs.callback, Evaluate()])
    trainer.train()
    return history


# --- summary and figure -----------------------------------------------------------------------

def summarize(history: list[dict[str, Any]]) -> dict[str, Any]:
    before, after = history[0]["patterns"], history[-1]["patterns"]
    empty = {"n": 0, "share": 0.0, "success": None,
             "strata": {s: {"n": 0, "success": None} for s in task.STRATA}}
    patterns = {}
    for label in sorted(set(before) | set(after)):
        b, a = before.get(label, empty), after.get(label, empty)
        patterns[label] = {
            "share_before": b["share"], "share_after": a["share"],
            "success_before": b["success"], "success_after": a["success"],
            "strata": {s: {"n_before": b["strata"][s]["n"], "n_after": a["strata"][s]["n"],
                           "success_before": b["strata"][s]["success"],
                           "success_after": a["strata"][s]["success"]} for s in task.STRATA},
        }
    return patterns


def finding(patterns: dict[str, Any], min_cell: int = 100) -> dict[str, Any]:
    """The paper's two claims, measured: the best pattern's share gain, stratified drift."""
    best = max((p for p in patterns if p != OTHER),
               key=lambda p: patterns[p]["success_before"] or 0.0)
    drift = {}
    for label, data in patterns.items():
        for stratum, cell in data["strata"].items():
            if cell["n_before"] >= min_cell and cell["n_after"] >= min_cell:
                drift[f"{label}/{stratum}"] = cell["success_after"] - cell["success_before"]
    return {"best_pattern": best,
            "best_share_gain": patterns[best]["share_after"] - patterns[best]["share_before"],
            "stratified_success_change": drift,
            "max_abs_stratified_change": max(map(abs, drift.values()), default=None)}


def plot(runs: dict[str, list[dict[str, Any]]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    history = next(iter(runs.values()))  # the main run, or the one --only chose
    steps = [h["step"] for h in history]
    panels = 3 if len(runs) > 1 else 2
    fig, axes = plt.subplots(1, panels, figsize=(5.2 * panels, 4))
    for label in ("carries", "direct", OTHER):
        share = [h["patterns"].get(label, {}).get("share", 0.0) for h in history]
        if any(share):
            axes[0].plot(steps, share, marker="o", label=label)
    axes[0].set(title="share of completions", xlabel="GRPO step", ylim=(0, 1))
    axes[0].legend()
    for label, style in (("carries", "-"), ("direct", "--")):
        for stratum, color in (("carry", "tab:red"), ("no_carry", "tab:blue")):
            points = [(h["step"], h["patterns"][label]["strata"][stratum])
                      for h in history if label in h["patterns"]]
            points = [(s, c["success"]) for s, c in points if c["n"] >= 30]
            if points:
                axes[1].plot(*zip(*points), style, color=color, marker=".",
                             label=f"{label} / {stratum}")
        pooled = [(h["step"], h["patterns"][label]["success"]) for h in history
                  if label in h["patterns"] and h["patterns"][label]["n"] >= 30]
        if pooled:
            axes[1].plot(*zip(*pooled), style, color="gray", label=f"{label} pooled")
    axes[1].set(title="success per pattern (cells with n ≥ 30)", xlabel="GRPO step",
                ylim=(-0.05, 1.05))
    axes[1].legend(fontsize=8)
    if panels == 3:
        for name, run in runs.items():
            axes[2].plot([h["step"] for h in run],
                         [h["patterns"].get("carries", {}).get("share", 0.0) for h in run],
                         marker="o", label=name)
        axes[2].set(title="share of 'carries' by starting model", xlabel="GRPO step", ylim=(0, 1))
        axes[2].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run_seed(seed: int, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """Every regime for one seed; writes ``out/summary.json`` and ``out/patterns.png``."""
    started = time.perf_counter()
    settings = settings_for(args, seed)
    out.mkdir(parents=True, exist_ok=True)
    random.seed(seed)
    torch.manual_seed(seed)

    plugins = make_plugin_manager()
    plugins.register(pattern_plugin, name="pattern_selection")
    tokenizer = task.make_tokenizer()
    train, held_out = task.split_problems(seed)
    runs: dict[str, list[dict[str, Any]]] = {}
    plans = [("main", settings["sft_steps"], 0)]
    if args.regimes or args.only:  # --only picks one regime, whether or not --no-regimes
        plans += [("weak", settings["weak_sft_steps"], 0),
                  ("weak+short SFT", settings["weak_sft_steps"], settings["short_sft_steps"])]
    if args.only:
        plans = [plan for plan in plans if plan[0] == args.only]
    with RewardEngine(["math"], plugin_manager=plugins, workers=1) as engine:
        for name, sft_steps, extra_steps in plans:
            rng = random.Random(seed)
            model = task.make_model(tokenizer, hidden=settings["hidden"],
                                    layers=settings["layers"], seed=seed)
            # The SFT model is kept in OUT, so a rerun that changes only RL skips SFT.
            key = json.dumps([settings[k] for k in SFT_KEYS] + [sft_steps, extra_steps])
            cached = out / f"sft-{hashlib.sha1(key.encode()).hexdigest()[:12]}.pt"
            if cached.exists() and not args.smoke:
                model.load_state_dict(torch.load(cached))
            else:
                sft(model, tokenizer, train, settings, sft_steps, rng)
                if extra_steps:
                    sft(model, tokenizer, train, settings, extra_steps, rng)
                if not args.smoke:
                    torch.save(model.state_dict(), cached)
            model.eval()
            print(f"[seed {seed} {name}] SFT done at {time.perf_counter() - started:.0f} s",
                  flush=True)
            runs[name] = grpo(model, tokenizer, train, held_out, engine, plugins, settings,
                              out, name, decisive=not runs)

    main_run = next(iter(runs.values()))
    for record in main_run:  # the split of the change since step 0, at every evaluation
        record["split"] = split_of(main_run[0]["patterns"], record["patterns"])
    patterns = summarize(main_run)
    summary: dict[str, Any] = {
        "regime": next(iter(runs)),
        "patterns": patterns,
        "forced": {pattern: {stratum: {
            "n": cell["n"], "success_before": cell["success"],
            "success_after": main_run[-1]["forced"][pattern][stratum]["success"]}
            for stratum, cell in strata.items()}
            for pattern, strata in main_run[0]["forced"].items()},
        "finding": finding(patterns),
        "split": main_run[-1]["split"],
        "history": main_run,
        "settings": settings,
    }
    if args.regimes:
        summary["regimes"] = {
            name: {"sft_steps": steps,
                   "split": split_of(run[0]["patterns"], run[-1]["patterns"]),
                   "history": [
                {"step": h["step"], **{f"{label}_{kind}": h["patterns"].get(label, {}).get(kind)
                                       for label in task.PATTERNS for kind in ("share", "success")},
                 "carries_success_carry": h["patterns"].get("carries", {}).get(
                     "strata", {}).get("carry", {}).get("success")}
                for h in run]}
            for (name, steps), run in zip(
                [(n, a + b) for n, a, b in plans], runs.values())}
    plot(runs, out / "patterns.png")
    summary["minutes"] = (time.perf_counter() - started) / 60
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0, help="the (first) seed")
    parser.add_argument("--seeds", type=int, default=1,
                        help="run this many seeds (SEED, SEED+1, ...), each into OUT/seed-<n>, "
                             "and write OUT/seeds.json: median, range and 95 %% intervals")
    parser.add_argument("--regimes", action=argparse.BooleanOptionalAction, default=True,
                        help="also run the weak-model and weak+short-SFT regimes (default)")
    parser.add_argument("--threads", type=int, default=2,
                        help="torch threads (2: both cores of the 2-core machine this is sized "
                             "for; fixed, since another count trains another model)")
    parser.add_argument("--only", choices=["main", "weak", "weak+short SFT"],
                        help="run only this regime (its numbers take the main run's place)")
    parser.add_argument("--rl-lr", type=float, default=0.0, help="GRPO learning rate (1e-4)")
    parser.add_argument("--rl-steps", type=int, default=0, help="GRPO steps (100)")
    parser.add_argument("--beta", type=float, default=None,
                        help="GRPO's KL coefficient (0.04; 0 drops the reference model)")
    parser.add_argument("--rl-carry-rate", type=float, default=None,
                        help="share of carry problems among the GRPO prompts (0.5)")
    parser.add_argument("--eval-every", type=int, default=0,
                        help="evaluate every this many GRPO steps (default 20; the number of "
                             "steps evaluates only before and after RL, the cheapest)")
    parser.add_argument("--smoke", action="store_true", help="a few seconds, for tests")
    args = parser.parse_args()
    # Reproducible per seed on one machine: a fixed thread count and deterministic kernels.
    # Another CPU (other vector instructions) or another torch build rounds differently, and
    # sampling turns those last bits into other completions: see docs/pattern-selection.md.
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.use_deterministic_algorithms(True)
    started = time.perf_counter()
    if args.seeds == 1:
        summary = run_seed(args.seed, args, args.out)
        print(json.dumps({"finding": summary["finding"], "minutes": round(summary["minutes"], 2)},
                         indent=2))
        return
    summaries = []
    for number, seed in enumerate(range(args.seed, args.seed + args.seeds), 1):
        done = args.out / f"seed-{seed}" / "summary.json"
        previous = json.loads(done.read_text()) if done.exists() else None
        if previous and previous["settings"] == settings_for(args, seed):
            summaries.append(previous)  # an interrupted multi-seed run resumes where it was
        else:
            summaries.append(run_seed(seed, args, args.out / f"seed-{seed}"))
        print(f"seed {seed} done ({number}/{args.seeds}) at "
              f"{(time.perf_counter() - started) / 60:.1f} min: "
              f"{multi_seed.one_line(summaries[-1])}", flush=True)
        # Written after every seed, so an interrupted run still reports the seeds it did.
        report = multi_seed.aggregate(summaries)
        report["minutes"] = (time.perf_counter() - started) / 60
        report["requested_seeds"] = args.seeds
        (args.out / "seeds.json").write_text(json.dumps(report, indent=2))
    print(multi_seed.table(report))


if __name__ == "__main__":
    main()
