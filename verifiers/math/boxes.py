"""``\\boxed{}`` in a text: every closed box in one linear pass, and the closing group of them.

The final answer of a completion is its *closing group* of boxes: the last box and the boxes
before it that are separated from it only by connecting words, punctuation or spacing
(``\\boxed{1} and \\boxed{2}``, ``\\boxed{(2, 2)} \\quad \\text{and} \\quad \\boxed{(6, 2)}``,
``x_1 = \\boxed{3}, x_2 = \\boxed{5}``). A box followed by more reasoning and another box is
an intermediate result and is not part of the group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOX_START = re.compile(r"\\(?:boxed|fbox)\s*\{")
_BOX_BARE = re.compile(r"\\boxed[ \t]+([^\s$]+)")  # MATH's "\boxed 5"
_BRACE = re.compile(r"\\[\\{}]|[{}]")  # escaped braces and \\ are skipped as one token

#: More unclosed ``\\boxed{`` than this is a degenerate completion, not a truncated one.
MAX_UNCLOSED_BOXES = 100
#: How many boxes-in-a-box are unwrapped (``\\boxed{\\boxed{7}}`` is 7).
MAX_UNWRAP = 3
#: Longest text between two boxes of one group (a separator is a few words at most).
MAX_SEPARATOR_CHARS = 80

# What may stand between two boxes of one group: spacing, punctuation, math delimiters,
# connecting words, part labels ("(a)"), the head of the next assignment ("x_2 =") and
# rules of three or more symbols ("------", "++++++"): decoration, not mathematics.
# Single characters only in the repetition (no `\s+` inside `*`): no backtracking blow-up.
_SEPARATOR = re.compile(
    r"(?:\s|[,;:.&~]|\\\\|\$|\\[()\[\]]|\\q?quad\b|\\[,;:! ]|\\hspace\{[^{}]{0,10}\}"
    r"|(?i:\b(?:and|or|also|plus|both|respectively|as\s+well\s+as|for|part|case)\b)"
    r"|\([a-z]\)|\b[a-z]\)|[-+=*_#|/~]{3,}"
    r"|\b[A-Za-z](?:_\{?\w{1,3}\}?)?\s*=)*"
)
# Words naming what a box counts ("\boxed{1} papers and \boxed{2} bins"): a few at most,
# and none that carries reasoning on ("then", "so", "wait", "is", ...).
_WORDS = re.compile(r"[A-Za-z]+")
MAX_UNIT_WORDS = 3
_REASONING = frozenset(re.findall(r"\w+", """
then so thus therefore hence wait but actually maybe perhaps hmm no
not now next instead rather recheck check let we get gives give becomes is are was were be
equals because since which that after before finally answer final correct wrong if else
otherwise"""))
#: Commands that only style what they wrap (``\\text{and}``, ``\\textit{No}``, ``\\emph{Yes}``,
#: ``\\underline{7}``): group 1 is what they wrap. One pattern for the whole verifier, so
#: what counts as words around an answer is the same wherever it is asked.
TEXT_WRAP = re.compile(r"\\(?:text(?:bf|rm|it|sf|tt|up|sc|normal)?|math(?:rm|bf|it|sf|tt)|mbox"
                       r"|emph|underline|operatorname)\s*\{([^{}]*)\}")
#: LaTeX spacing commands (``\\,``, ``\\;``, ``\\quad``): spacing, never a comma or a word.
LATEX_SPACE = re.compile(r"\\[,;:! ]|\\q?quad(?![A-Za-z])")


class MalformedAnswer(ValueError):
    """The text is degenerate where its answer should be (thousands of unclosed boxes)."""


@dataclass(frozen=True)
class Box:
    """A closed box: where ``\\boxed`` starts, and where its content starts and ends."""

    start: int
    content_start: int
    content_end: int

    @property
    def end(self) -> int:
        """Just after the closing brace."""
        return self.content_end + 1


def closed_boxes(text: str) -> list[Box]:
    """The outermost closed boxes of ``text`` in order, braces balanced.

    Unclosed boxes are ignored (a truncated answer) unless there are more than
    :data:`MAX_UNCLOSED_BOXES` of them: :class:`MalformedAnswer`.
    """
    first = _BOX_START.search(text)
    if first is None:
        return []
    box_opens = {m.end() - 1: m.start() for m in _BOX_START.finditer(text, first.start())}
    stack: list[int] = []
    found: list[Box] = []
    for token in _BRACE.finditer(text, first.start()):
        brace = token.group()
        if brace == "{":
            stack.append(token.start())
        elif brace == "}" and stack:
            opened = stack.pop()
            if opened in box_opens:
                box = Box(box_opens[opened], opened + 1, token.start())
                # Boxes close inner first: an outer box replaces the ones it holds.
                while found and found[-1].start > box.start:
                    found.pop()
                found.append(box)
    unclosed = len(set(box_opens).intersection(stack))
    if unclosed > MAX_UNCLOSED_BOXES:
        raise MalformedAnswer(f"the text has {unclosed:,} unclosed \\boxed{{ (degenerate output)")
    return found


def box_content(text: str, box: Box) -> str:
    """A box's content, a box whose whole content is another box unwrapped."""
    content = text[box.content_start:box.content_end].strip()
    for _ in range(MAX_UNWRAP):  # bounded: 20,000 nested boxes must stay linear
        if not content.startswith(("\\boxed", "\\fbox")):
            break
        inner = closed_boxes(content)
        if len(inner) != 1 or inner[0].start != 0 or inner[0].end != len(content):
            break
        content = content[inner[0].content_start:inner[0].content_end].strip()
    return content


def closing_group(text: str) -> tuple[list[str], int] | None:
    """The contents of the closing group of boxes and the offset just after its last box.

    None when the text has no closed box (a bare ``\\boxed 5`` counts as a group of one).
    """
    boxes = closed_boxes(text)
    if not boxes:
        bare = None
        for bare in _BOX_BARE.finditer(text):  # noqa: B007 - the last one is wanted
            pass
        return ([bare.group(1)], bare.end()) if bare else None
    group = [boxes[-1]]
    for box in reversed(boxes[:-1]):
        if not is_separator(text[box.end:group[0].start]):
            break
        group.insert(0, box)
    return [box_content(text, box) for box in group], boxes[-1].end


def is_separator(between: str) -> bool:
    """Whether the text between two boxes only connects them (no further reasoning)."""
    if len(between) > MAX_SEPARATOR_CHARS:
        return False
    # A line break written against the next box (\\boxed) leaves its first backslash here.
    between = TEXT_WRAP.sub(r" \1 ", between.removesuffix("\\"))
    if _SEPARATOR.fullmatch(between):
        return True
    # Otherwise a few unit words may stand beside the connectors.
    words = [w.lower() for w in _WORDS.findall(between)]
    units = [w for w in words if _SEPARATOR.fullmatch(w) is None]
    if len(units) > MAX_UNIT_WORDS or _REASONING.intersection(units):
        return False
    return _SEPARATOR.fullmatch(_WORDS.sub(" ", between)) is not None
