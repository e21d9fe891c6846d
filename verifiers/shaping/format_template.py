"""``format``: the completion follows a declared template.

The default is the R1 template, ``<think>...</think><answer>...</answer>`` with nothing but
white space around and between the two blocks. ``pattern`` replaces it with a regex the
whole (stripped) completion must match. With ``partial_credit`` a completion earns 0.25 per
well-formed block and the remaining 0.5 only for the whole template, so tags that are
duplicated, nested, unclosed or in the wrong order never add up to full credit (the tag
counting of open-r1's early ``tag_count_reward`` could be gamed that way).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, model_validator

from rewardkit import Result, Sample, Trust, Verifier, VerifierOptions, hookimpl

_TAG_NAME = r"[A-Za-z][\w-]{0,31}"


class FormatOptions(VerifierOptions):
    #: The tag around the reasoning block.
    think_tag: str = Field(default="think", pattern=rf"^{_TAG_NAME}$")
    #: The tag around the final answer.
    answer_tag: str = Field(default="answer", pattern=rf"^{_TAG_NAME}$")
    #: 0.25 per well-formed block, plus 0.5 for the whole template; else 1 or 0.
    partial_credit: bool = False
    #: A regex the whole stripped completion must match (``re.DOTALL``), instead of the
    #: template. Operator-only: a hostile pattern could backtrack for minutes (the worker's
    #: deadline still stops it).
    pattern: Annotated[str | None, Trust.OPERATOR] = None
    #: The longest completion it judges, in characters; a longer one gets 0. Keeps the tag
    #: scan trivial. A request may only lower it.
    max_chars: Annotated[int, Trust.BOUNDED] = Field(default=200_000, ge=1)

    @model_validator(mode="after")
    def _check(self) -> FormatOptions:
        if self.think_tag == self.answer_tag:
            raise ValueError("think_tag and answer_tag must differ")
        if self.pattern is not None:
            if self.partial_credit:
                raise ValueError("partial_credit applies to the tag template, not to a pattern")
            try:
                re.compile(self.pattern)
            except (re.error, OverflowError, RecursionError) as exc:  # a{4294967296}, deep (((
                raise ValueError(f"pattern is not a valid regex: {exc}") from None
        return self


class FormatVerifier(Verifier):
    name = "format"
    description = "the completion follows <think>..</think><answer>..</answer> (or a regex)"
    Options = FormatOptions
    version = "2"  # 2: max_chars
    # The tag scan is linear; a user's regex is not, so with one the sample goes to a worker.
    inline = True

    def __init__(self, options: FormatOptions | dict[str, object] | None = None) -> None:
        super().__init__(options)
        assert isinstance(self.options, FormatOptions)
        if self.options.pattern is not None:
            self.inline = False  # type: ignore[misc]
            self._regex: re.Pattern[str] | None = re.compile(self.options.pattern, re.DOTALL)
        else:
            self._regex = None

    def verify(self, sample: Sample) -> Result:
        options = self.options
        assert isinstance(options, FormatOptions)
        text = sample.completion_text
        if len(text) > options.max_chars:
            return Result(reward=0.0, reason=f"too long: the completion has {len(text):,} "
                                             f"characters; max_chars is {options.max_chars:,}",
                          details={"chars": len(text), "max_chars": options.max_chars})
        text = text.strip()
        if self._regex is not None:
            if self._regex.fullmatch(text):
                return Result(reward=1.0, reason="matches the pattern")
            return Result(reward=0.0, reason="does not match the pattern")
        return check_template(text, options.think_tag, options.answer_tag,
                              partial=options.partial_credit)


def check_template(text: str, think: str, answer: str, *, partial: bool) -> Result:
    """Score ``text`` against ``<think>..</think>`` then ``<answer>..</answer>``."""
    tags = [f"<{think}>", f"</{think}>", f"<{answer}>", f"</{answer}>"]
    found = [(m.start(), m.group()) for m in
             re.finditer("|".join(re.escape(tag) for tag in tags), text)]
    blocks = {name: _block(text, found, f"<{name}>", f"</{name}>") for name in (think, answer)}
    whole = ([tag for _, tag in found] == tags and _only_space_outside(text, found)
             and None not in blocks.values())
    details = {"think_block": blocks[think] is not None, "answer_block": blocks[answer] is not None,
               "template": whole}
    if whole:
        return Result(reward=1.0, reason="follows the template", details=details)
    problems = [f"<{name}> block missing, repeated, nested, unclosed or empty"
                for name, block in blocks.items() if block is None]
    reason = "; ".join(problems) or "blocks out of order or text outside them"
    reward = 0.25 * sum(block is not None for block in blocks.values()) if partial else 0.0
    return Result(reward=reward, reason=reason, details=details)


def _block(text: str, found: list[tuple[int, str]], open_tag: str, close_tag: str) -> str | None:
    """The block's content when its tags occur once each, in order, with no other template
    tag between them, not inside another block, and a letter or digit inside; else None
    (a prefilled ``<think>...</think>`` skeleton is empty)."""
    opens = [i for i, (_, tag) in enumerate(found) if tag == open_tag]
    closes = [i for i, (_, tag) in enumerate(found) if tag == close_tag]
    if len(opens) != 1 or len(closes) != 1 or closes[0] != opens[0] + 1:
        return None
    before = [tag for _, tag in found[:opens[0]]]
    if sum(tag.startswith("</") for tag in before) != len(before) / 2:
        return None  # an open block encloses this one
    start = found[opens[0]][0] + len(open_tag)
    content = text[start:found[closes[0]][0]]
    return content if any(char.isalnum() for char in content) else None


def _only_space_outside(text: str, found: list[tuple[int, str]]) -> bool:
    """True when the text before the first tag, between the blocks and after the last is blank."""
    _, (think_end, think_close), (answer_start, _), (end, last) = found
    outside = (text[:found[0][0]], text[think_end + len(think_close):answer_start],
               text[end + len(last):])
    return all(not part.strip() for part in outside)


@hookimpl
def register_verifiers(register):  # type: ignore[no-untyped-def]
    register(FormatVerifier)
