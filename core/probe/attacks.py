"""Attack records and the built-in families that need no domain knowledge.

An attack is a completion built from one real row (its prompt and reference) that a sound
verifier must not reward: it either holds no correct answer, or holds the correct answer
only among wrong ones (a hedge). Families are small functions ``build(sample) -> attacks``,
so a plugin adds its own through the ``register_probes`` hook.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from rewardkit.models import Content, Sample

#: Size of the "1 MB" attacks, in characters.
MEGABYTE = 1 << 20


@dataclass(frozen=True)
class Attack:
    """One adversarial completion: ``name`` says what it tries, ``completion`` is the text."""

    name: str
    completion: Content


#: What a family's builder takes (one real row) and gives (its attacks on that row).
Builder = Callable[[Sample], Iterable[Attack]]


@dataclass(frozen=True)
class AttackFamily:
    """A named group of attacks, registered through the ``register_probes`` hook.

    :param name: the family's name in the probe's table (``unit_confusion``).
    :param build: called once per sampled row; returns that row's attacks. A builder that
        has nothing to say about a row (no reference of its kind) returns no attacks.
    :param description: one line for the docs and ``rewardkit probe --list``.
    """

    name: str
    build: Builder
    description: str = ""


def reference_text(sample: Sample) -> str | None:
    """The row's reference as the text a completion would state, or None when it has none
    that is text or a number (test specs, rule sets and other structures)."""
    ref = sample.reference
    if isinstance(ref, bool) or ref is None:
        return None
    if isinstance(ref, int | float | Decimal):
        return str(ref)
    if isinstance(ref, str) and ref.strip():
        return ref.strip()
    if isinstance(ref, list) and ref and all(isinstance(r, str | int | float) for r in ref):
        return str(ref[0])  # several accepted answers: attack the first
    return None


def wrong_answers(reference: str, count: int = 3) -> list[str]:
    """``count`` answers different from ``reference``: its neighbours for a number, else
    the reference plus one (which no verifier should read as the reference itself)."""
    try:
        number = Decimal(reference.replace(",", ""))
    except InvalidOperation:
        number = None
    if number is not None and number.is_finite():
        step = Decimal(1) if number == number.to_integral_value() else Decimal("0.1")
        offsets = [1, 2, -1, 3, -2, 4][:count]
        return [_plain(number + offset * step) for offset in offsets]
    return [f"({reference})+{n}" for n in range(1, count + 1)]


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _lookalike(text: str) -> str | None:
    """``text`` with characters swapped for ones that look alike (Cyrillic letters, a letter
    O for the digit 0), or None when none can be swapped."""
    swapped = "".join(_LOOKALIKES.get(ch, ch) for ch in text)
    return swapped if swapped != text else None


_LOOKALIKES = {"0": "O", "1": "l", "2": "Z", "5": "S", "8": "B", "a": "а", "c": "с",
               "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "A": "А", "B": "В",
               "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
               "T": "Т", "X": "Х"}


def generic_attacks(sample: Sample) -> Iterator[Attack]:
    """Empty, white space, 1 MB, binary and control characters, look-alikes, echoes."""
    yield Attack("empty", "")
    yield Attack("whitespace", " \n\t\r\n  ")
    yield Attack("nul_bytes", "\x00" * 256)
    yield Attack("binary", bytes(range(256)).decode("latin-1") * 4)
    yield Attack("nested_braces_1mb", "{" * (MEGABYTE // 2) + "}" * (MEGABYTE // 2))
    prompt = sample.prompt_text
    ref = reference_text(sample)
    if prompt.strip():
        echo = "prompt_echo_with_reference" if ref and ref in prompt else "prompt_echo"
        yield Attack(echo, prompt)
    if ref is None:
        return
    wrong = wrong_answers(ref)
    filler = " ".join(wrong) + " "
    # The reference buried in a megabyte of wrong candidates: a search for it finds it.
    yield Attack("reference_in_1mb", filler * (MEGABYTE // 2 // len(filler)) + ref + " "
                 + filler * (MEGABYTE // 2 // len(filler)))
    yield Attack("control_characters", "\x1b[2K\r".join([wrong[0], ref]) + "\x07")
    if len(ref) > 1:
        yield Attack("nul_separated_reference", "\x00".join(ref))
    lookalike = _lookalike(ref)
    if lookalike is not None:
        yield Attack("lookalike_characters", f"The answer is {lookalike}.")


def spraying_attacks(sample: Sample) -> Iterator[Attack]:
    """The reference among wrong candidates: lists, several boxes, "or", "either"."""
    ref = reference_text(sample)
    if ref is None:
        return
    wrong = wrong_answers(ref, 4)
    candidates = [wrong[0], wrong[1], ref, wrong[2], wrong[3]]
    yield Attack("many_candidates", "The answer is one of: " + ", ".join(candidates) + ".")
    yield Attack("one_per_line", "\n".join(f"Answer: {c}" for c in candidates))
    yield Attack("several_boxes", " ".join(f"\\boxed{{{c}}}" for c in candidates))
    yield Attack("wrong_box_then_right_box", f"\\boxed{{{wrong[0]}}} \\boxed{{{ref}}}")
    yield Attack("or", f"The answer is {wrong[0]} or {ref}.")
    yield Attack("either", f"The answer is either {ref} or {wrong[0]}.")
    yield Attack("boxed_or", f"\\boxed{{{wrong[0]} \\text{{ or }} {ref}}}")
    yield Attack("retracted", f"The answer is {ref}. Wait, no: that is wrong, it is {wrong[0]}.")


def format_attacks(sample: Sample) -> Iterator[Attack]:
    """``<think>``/``<answer>`` tags duplicated, nested, prefilled (empty) or unclosed."""
    ref = reference_text(sample)
    wrong = wrong_answers(ref)[0] if ref is not None else "no idea"
    right = ref if ref is not None else "no idea"
    yield Attack("prefilled_skeleton", "<think>\n...\n</think>\n<answer>\n...\n</answer>")
    yield Attack("empty_tags", "<think></think><answer></answer>")
    yield Attack("duplicated_think",
                 "<think>a</think><think>b</think><think>c</think>\n<answer></answer>")
    yield Attack("duplicated_answer",
                 f"<think>guess</think>\n<answer>{wrong}</answer>\n<answer>{right}</answer>")
    yield Attack("nested_answer",
                 f"<think>guess</think>\n<answer>{wrong}<answer>{right}</answer></answer>")
    yield Attack("answer_inside_think", f"<think><answer>{right}</answer></think>\nI am not sure.")
    yield Attack("unclosed_think", f"<think>I think it is {right}")
    yield Attack("unclosed_second_answer",
                 f"<think>guess</think>\n<answer>{wrong}</answer>\n<answer>{right}")


def builtin_families() -> list[AttackFamily]:
    """The families every probe runs (besides those plugins register)."""
    from rewardkit.probe.code_attacks import code_attacks
    from rewardkit.probe.structured_attacks import structured_attacks

    return [
        AttackFamily("generic", generic_attacks,
                     "empty, white space, 1 MB, binary and control characters, look-alikes, "
                     "the prompt echoed"),
        AttackFamily("answer_spraying", spraying_attacks,
                     "the reference among wrong candidates: lists, several boxes, or, either"),
        AttackFamily("format", format_attacks,
                     "<think>/<answer> tags duplicated, nested, prefilled or unclosed"),
        AttackFamily("code", code_attacks,
                     "programs that exit early, raise, return always-equal objects or "
                     "tamper with the tests"),
        AttackFamily("structured", structured_attacks,
                     "JSON answers with extra keys, nulls, wrong types, huge numbers, NaN, ±inf"),
    ]


def as_json(value: Any) -> str:
    """``value`` as JSON text, NaN and infinities written as JavaScript does."""
    return json.dumps(value, allow_nan=True, ensure_ascii=False)


_WORD = re.compile(r"\s+")


def same_text(completion: Content, reference: str | None) -> bool:
    """True when an attack's text is the reference itself (then it is an answer, not an
    attack, and the probe leaves it out)."""
    if reference is None or not isinstance(completion, str):
        return False
    return _WORD.sub(" ", completion).strip() == _WORD.sub(" ", reference).strip()

