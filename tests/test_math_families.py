"""The miss families of issue 11, each with cases written here: a family is fixed, not a row.

All cases are scored in one batch by one engine with the default (lenient) options; each
case is its own test. (completion, reference, expected reward)
"""

from __future__ import annotations

from typing import Any

import pytest

from rewardkit import RewardEngine, Sample, make_plugin_manager

Y, N = 1.0, 0.0

FAMILIES: dict[str, list[tuple[str, Any, float]]] = {
    # 1. The closing group of boxes is the answer: a set against several answers, a hedge
    #    against one; a box followed by more reasoning is an intermediate result.
    "box group": [
        ("The roots are \\boxed{3} and \\boxed{5}.", "\\{3, 5\\}", Y),
        ("The roots are \\boxed{5} and \\boxed{3}.", "3, 5", Y),
        ("$\\boxed{(1, 4)}$, $\\boxed{(4, 1)}$", "(1, 4), (4, 1)", Y),
        ("\\boxed{a = 2} \\quad \\text{and} \\quad \\boxed{b = 9}", "a = 2, b = 9", Y),
        ("x_1 = \\boxed{-1}, x_2 = \\boxed{4}", "-1, 4", Y),
        ("\\boxed{2}; \\boxed{6}; \\boxed{10}", "\\{2, 6, 10\\}", Y),
        ("\\boxed{3} and \\boxed{5}", "\\{3, 7\\}", N),  # one element wrong
        ("\\boxed{3} and \\boxed{5}", "\\{3, 5, 7\\}", N),  # one missing
        ("\\boxed{3} or \\boxed{5}", "5", N),  # a hedge against one answer
        ("\\boxed{5} and \\boxed{5}", "5", Y),  # the same answer twice is one answer
        ("First \\boxed{12}. Then we add 3 to get the total: \\boxed{15}", "15", Y),
        ("First \\boxed{12}. Then we add 3 to get the total: \\boxed{15}", "12", N),
        ("\\boxed{4} apples and \\boxed{6} pears", "4, 6", Y),
        ("\\boxed{12} so the next step gives \\boxed{15}", "15", Y),
        # A rule of symbols between boxes is decoration; one operator is mathematics.
        ("\\boxed{7 cm} ------ \\boxed{2}", "\\boxed{7 cm} ++++++ \\boxed{2}", Y),
        ("\\boxed{3} ======== \\boxed{8}", "3, 8", Y),
        ("\\boxed{3} *** \\boxed{8}", "8", N),  # two answers against one: a hedge
        ("\\boxed{3} + \\boxed{8}", "3, 8", N),
        # A set written with plain braces: its commas separate elements, never decimals.
        ("\\boxed{3} and \\boxed{4}", "{3,4}", Y),
        ("\\boxed{4}, \\boxed{3}", "{3, 4}", Y),
        ("\\boxed{3}", "{3,4}", N),
        ("\\boxed{3.4}", "{3,4}", N),
        ("\\boxed{2} and \\boxed{7}", "{2,7,9}", N),
        ("$\\boxed{3} \\\\ \\boxed{8}$", "3, 8", Y),  # a line break between them
        ("$\\boxed{3} ---\\\\boxed{8}$", "3, 8", Y),  # ... written against the box
        # Any styling command around a connecting word: \textit{and} as \text{and}.
        ("\\boxed{3} \\textit{and} \\boxed{5}", "3, 5", Y),
        ("\\boxed{3} \\emph{and} \\boxed{5}", "\\{3, 5\\}", Y),
    ],
    # 2. No box: math-verify's extraction and priorities find the closing sentence's answer.
    "no box": [
        ("We compute 3 * 4 = 12 and more.\nFinal Answer: The largest $k$ is 27.", "27", Y),
        ("Adding 5 and 6 gives 11, so the total cost is $\\$12.50$.", "12.5", Y),
        ("There are 3 bags of 8 marbles, so 24 marbles in all.", "24", Y),
        ("So the area of the 4 by 5 rectangle is $20$.", "20", Y),
        ("Final Answer: The final answer is $\\frac{2}{9}$. I hope it is correct.",
         "\\frac{2}{9}", Y),
        ("After 2 hours she has walked 9 km.", "9", Y),
        ("Final Answer: The smallest value of $m$ is 8.", "7", N),
        ("The probability is $\\frac{1}{6}$.", "\\frac{1}{6}", Y),
        ("Therefore she needs 15 more stickers.", "15", Y),
        ("It takes 6 days, and the answer: 42.", "42", Y),
        ("Answer: $x = 5$", "5", Y),
    ],
    # 3. References written as text are extracted like completions.
    "reference text": [
        ("\\boxed{10000}", "the answer is 10000", Y),
        ("\\boxed{32349}", "So the answer is: \\[ \\boxed{32349} \\]", Y),
        ("\\boxed{32349}", "So the answer is: \\[ \\boxed{32, 349} \\]", N),
        ("\\boxed{12}", "Final Answer: The final answer is 12. I hope it is correct.", Y),
        ("\\boxed{5}", "<answer>5</answer>", Y),
        ("\\boxed{72}", "She sold 48 + 24 = 72 clips.\n#### 72", Y),
        ("\\boxed{\\frac{1}{3}}", "The probability is $\\frac{1}{3}$.", Y),
        ("\\boxed{1, 2}", "$\\boxed{1}\\boxed{2}$", Y),
        ("\\boxed{-2, 1}", "\\(\\boxed{1}\\) and \\(\\boxed{-2}\\).", Y),
        ("\\boxed{7}", "Thus the answer is 8.", N),
        ("\\boxed{9}", "The answer is $9$.", Y),
    ],
    # 4. An extractor whose capture is no answer falls through to the next one.
    "fall through": [
        ("The answer is #### 42", "42", Y),
        ("The answer is as follows\n#### 17", "17", Y),
        ("The final answer is computed below.\n#### 5", "5", Y),
        ("The answer is shown in the box: \\boxed{8}", "8", Y),
        ("<answer>see the working above</answer>\n#### 30", "30", Y),
        ("The answer is hard to find. Final Answer: The largest $n$ is 34.", "34", Y),
        ("The answer is #### 42", "41", N),
        ("The answer is given by the following.\n#### 3/4", "0.75", Y),
        ("Final answer: obtained from the table\n#### 11", "11", Y),
        ("The answer is: we need all cases. So $\\boxed{6}$", "6", Y),
    ],
    # 5. Number forms.
    # A reference in LaTeX ("$3,5$", "\\boxed{3,5}") is the two numbers 3 and 5, as
    # math-verify's LaTeX parser reads it (before, 3.5 passed); in plain text it is 3.5.
    "decimal comma": [
        ("\\boxed{1,22}", "1.22", Y), ("\\boxed{1000,99}", "1000.99", Y),
        ("1,22", "1.22", Y), ("1000,99", "1000.99", Y), ("\\boxed{1.22}", "1,22", Y),
        ("\\boxed{3.5}", "$3,5$", N), ("\\boxed{3.5}", "\\boxed{3,5}", N),
        ("\\boxed{5, 3}", "$3,5$", Y), ("\\boxed{\\{3,5\\}}", "\\boxed{3,5}", Y),
        ("\\boxed{3,5}", "$3,5$", Y), ("\\boxed{1000}", "$1,000$", Y), ("\\boxed{3}", "$3,5$", N),
        ("\\boxed{0,5}", "\\frac{1}{2}", Y), ("\\boxed{3,75}", "3.75", Y),
        ("\\boxed{3,7}", "3.75", N), ("\\boxed{12,5}", "12.5", Y), ("\\boxed{2,5}", "25", N),
        ("\\boxed{1,000}", "1000", Y),  # three digits after one comma: thousands
    ],
    "list comma": [
        ("\\boxed{32, 349}", "32349", N), ("\\boxed{32,349}", "32349", Y),
        ("\\boxed{1, 000}", "1000", N), ("\\boxed{4, 5}", "45", N),
        ("\\boxed{4, 5}", "4, 5", Y), ("\\boxed{4, 5}", "\\{5, 4\\}", Y),
        ("\\boxed{10, 200}", "10200", N), ("\\boxed{10,200}", "10200", Y),
        ("\\boxed{1, 2, 3}", "\\{1,2,3\\}", Y), ("\\boxed{7, 49}", "749", N),
    ],
    "mod in a chain": [
        ("\\boxed{17 \\bmod 5 = 2}", "2", Y), ("\\boxed{17 \\bmod 5 = 2}", "3", N),
        ("\\boxed{2^{10} \\bmod 7 = 2}", "2", Y), ("\\boxed{100 \\bmod 9 = 1}", "1", Y),
        ("\\boxed{23 \\bmod 4 = 3}", "3", Y), ("\\boxed{45 \\bmod 6 = 3}", "3", Y),
        ("\\boxed{45 \\bmod 6 = 3}", "4", N), ("\\boxed{9 \\bmod 2 = 1}", "1", Y),
        ("\\boxed{81 \\bmod 10 = 1}", "1", Y), ("\\boxed{50 \\bmod 7 = 1}", "1", Y),
    ],
    "mixed number": [
        ("\\boxed{918\\frac{1}{2}}", "918.5", Y), ("\\boxed{918\\frac{1}{2}}", "459", N),
        ("\\boxed{2\\frac{1}{2}}", "\\frac{5}{2}", Y), ("\\boxed{3\\frac{3}{4}}", "3.75", Y),
        ("\\boxed{1\\dfrac{2}{3}}", "\\frac{5}{3}", Y), ("\\boxed{-2\\frac{1}{4}}", "-2.25", Y),
        ("\\boxed{5\\frac{1}{3}}", "5", N), ("\\boxed{10\\frac{1}{10}}", "10.1", Y),
        ("\\boxed{4\\tfrac12}", "4.5", Y), ("\\boxed{2.5}", "2\\frac{1}{2}", Y),
    ],
    "stray backslash": [
        ("\\boxed{5}", "5\\", Y), ("\\boxed{5}", "$5$\\", Y), ("\\boxed{5}", "5 \\\\", Y),
        ("\\boxed{\\frac{1}{2}}", "\\frac{1}{2}\\", Y), ("\\boxed{6}", "5\\", N),
        ("\\boxed{x+1}", "x + 1\\", Y), ("\\boxed{0.25}", "\\frac{1}{4} \\", Y),
        ("\\boxed{\\sqrt{2}}", "\\sqrt{2}\\", Y), ("\\boxed{-3}", "-3\\", Y),
        ("\\boxed{7}", "\\boxed{7}\\", Y),
    ],
    # Digit soup: math-verify's scan reads a number glued to the front of a word; a word of
    # mixed letter and digit runs is no answer in any preset (units such as 100m2 still are).
    "digit soup": [
        ("7NO4ySeekdVOXND9", "7", N), ("The answer is 7NO4ySeekdVOXND9", "7", N),
        ("Final Answer: 7abc4def", "7", N), ("9x8y7z6", "9", N), ("12ab34cd", "12", N),
        ("Result: 5Kq3Lm", "5", N), ("3 + 4 = 7", "7", Y), ("The area is 100m2.", "100", Y),
        ("It costs $15.", "15", Y), ("The speed is 60km/h.", "60", Y),
    ],
    # 6. A list is several acceptable answers: right when any one matches.
    "json list": [
        ("\\boxed{4}", '["4", "four"]', Y), ("\\boxed{four}", '["4", "four"]', Y),
        ("\\boxed{5}", '["4", "four"]', N), ("\\boxed{0.5}", '["\\\\frac{1}{2}", "50\\\\%"]', Y),
        ("\\boxed{x = 2}", '["2", "-2"]', Y), ("\\boxed{-2}", '["2", "-2"]', Y),
        ("\\boxed{3}", ["3", "3.0"], Y), ("\\boxed{3}", [3, 4], Y), ("\\boxed{5}", [3, 4], N),
        ("\\boxed{[1,2]}", "[1, 2]", Y),  # a JSON list of numbers reads as the interval
        ("\\boxed{1}", "[1, 2]", N),
    ],
    # 7. An anchored answer the text then takes back ("Wait, that's wrong.") before more
    #    mathematics is not the final answer: what follows it is. A check that mentions a
    #    wrong value, or a retraction with nothing after it, takes nothing back.
    "taken back": [
        ("#### 47.125\nWait, that's wrong.\nTherefore we get $48.125$.", "47.125", N),
        ("#### 47.125\nWait, that's wrong.\nTherefore we get $48.125$.", "48.125", Y),
        ("The answer is \\dfrac{2}{3}. Hmm, wait, no.\nHence\n\\[\n\\dfrac{3}{5}\n\\]",
         "\\frac{2}{3}", N),
        ("The answer is \\dfrac{2}{3}. Hmm, wait, no.\nHence\n\\[\n\\dfrac{3}{5}\n\\]",
         "\\frac{3}{5}", Y),
        ("$\\boxed{12}$. Oops, I made a mistake: the total is 15.", "12", N),
        ("$\\boxed{12}$. Oops, I made a mistake: the total is 15.", "15", Y),
        ("#### x = 15\nThat is incorrect.\nPutting everything together:\n\nx = 18", "15", N),
        ("The answer is 7. No, let me recount: 3 + 5 = 8.", "7", N),
        ("答案是 5。不对，应该是 $6$。", "5", N),
        ("#### 40,297\nScratch that.\nLa respuesta es 40,397.", "40297", N),
        ("The answer is $7$. No other value works, since 8 > 7.", "7", Y),
        ("\\boxed{12}\n\nCheck: 3 \\times 4 = 12, and a wrong guess like 10 fails.", "12", Y),
        ("The answer is 7. Wait, that's wrong.", "7", Y),  # nothing follows: as math-verify
        ("\\boxed{5}. Is 6 wrong? Yes: 6 > 5.", "5", Y),
        ("The answer is 441. No mistakes: 441 - 3 = 438.", "441", Y),
        ("Final Answer: $(-3, 2)$\n\nThis is not a mistake: 5 * 11 = 55.", "(-3, 2)", Y),
        ("\\boxed{297}\n\n确认没有错误：297 + 5 = 302。", "297", Y),
        ("**Answer:** 5\n\nIs there any other solution? No, because 2 * 391 = 782.", "5", Y),
        ("**Answer:** 7\n\nHmm, no, wait, let me double check: 3 + 4 = 7, 9 > 2.", "7", Y),
        ("**Final Answer:** 19\\pi\n\nProbe: 3^2 = 9, die Antwort ist also richtig.",
         "19\\pi", Y),
        ("**Final Answer:** $12\\pi$\nComprobemos la respuesta: $5^2 = 25$.", "12\\pi", Y),
        ("**Answer:** x = 242\n\nWait, the answer is wrong. Let me recount: $9 + 11 = 20$. "
         "So we get $x = 252$.", "242", N),
        ("#### 10/19\n\nAttendez, c'est faux. Let me recount: $4 + 6 = 10$.\n\n1/2",
         "\\frac{10}{19}", N),
        ("所以答案是 $(-1, -9)$。\n等等，这不对。 Recomputing: $2 + 2 = 4$. So we get $(-9, -1)$.",
         "(-9, -1)", Y),
        ("#### (B)\n\nHmm, this isn't correct.\n\n$(C)$", "B", N),
        ("Answer: $11\\pi$\n\nNope. Therefore x = 13\\pi.", "11\\pi", N),
        ("#### 3\nHold on, there is an error in step two.\n\n$4$", "3", N),
        ("Initially, $\\boxed{415}$ seemed right. Let me verify again.\n"
         "Therefore, the result is $416$.", "415", N),
        ("\\boxed{415}, which seems right: 400 + 15 = 415.", "415", Y),
        ("The answer is 641? No, let's recompute.\nComputing gives $$= 648$$", "641", N),
        ("The answer is 641? No, let's recompute.\nComputing gives $$= 648$$", "648", Y),
        ("**Answer:** 15\\pi\nWait. I think I miscounted. Therefore x = 17\\pi.", "15\\pi", N),
        ("#### (-2, -1]\nHmm, so the answer is not (-2, -1].\n\n$(-2, 0]$", "(-2, -1]", N),
        ("<answer>217</answer>\n\nHmm, let me reconsider. I should have used $2 + 12 = 14$ "
         "instead. Therefore x = 215.", "215", Y),
        # Checks that recompute are no retraction; more ways of taking an answer back.
        ("\\boxed{81}\nLet me recompute to be sure: $81 + 75 = 156$, and "
         "$156 \\div 12 = 13$, which matches.", "81", Y),
        ("#### 29\n\nBut wait — that answer is incorrect, because I used the wrong value. "
         "We get 30.\n\n30", "29", N),
        ("\\boxed{98}\n\nMistake: I should have divided, not multiplied.\n\\[ 108 \\]", "98", N),
        ("So the answer is (C). I need to correct my earlier answer.\n\n"
         "The correct answer is $D$.", "D", Y),
        ("The answer is $\\boxed{5}$.\n\nActually, I realize I made an error.\n\n$6$", "6", Y),
        ("Final Answer: 12\n\nUpon re-examination, the answer above is wrong: 2 + 2 = 4.",
         "12", N),
        # After an answer taken back, a last line that is nothing but an answer is the new one.
        ("The answer is $C$.\n\nScratch that. The correct choice is (D).\n\n(D)", "D", Y),
        ("#### 3/8\nWait, that is wrong.\n\n**3/11**", "\\frac{3}{11}", Y),
        ("\\boxed{11}\nOops, I made an error.\n\\[ 12\\text{ feet} \\]", "12", Y),
        ("#### (5, 8)\nNope.\n\n(-5, 8)", "(-5, 8)", Y),
    ],
    # 8. Lead-ins math-verify's scan also reads: a "Final Answer" heading its own line, an
    #    "Answer =", the answer in backticks, after "=" or in a display over several lines,
    #    and "the answer is" in the languages models answer in.
    "answer lead-ins": [
        ("**Final Answer**\n\n4π", "4\\pi", Y),
        ("#### 3π\nWait, that's wrong.\n**Final Answer**\n\n4π", "3\\pi", N),
        ("We add them.\n## Answer\n\n551", "551", Y),
        ("Answer = 5π", "5\\pi", Y),
        ("The answer is `-9/16`.", "-\\frac{9}{16}", Y),
        ("Intermediate value: -7/9.\nThe answer is `-9/16`.", "-\\frac{7}{9}", N),
        ("Final Answer: The final answer is $= 403$. I hope it is correct.", "403", Y),
        ("Initially, $\\boxed{= 402}$ seemed right.\n"
         "Final Answer: The final answer is $= 403$. I hope it is correct.", "402", N),
        ("Die Antwort ist 12. Probe: 3 \\cdot 4 = 12, 5 > 2.", "12", Y),
        ("La réponse est $\\frac{1}{2}$. Vérification : 2 > 1.", "0.5", Y),
        ("La respuesta es 40,397. Comprobamos con 3 y 7.", "40397", Y),
        ("A resposta é 8, pois 2 \\cdot 4 = 8 e 9 > 1.", "8", Y),
        ("Ответ: 17. Проверка: 10 + 7 = 17, 3 < 4.", "17", Y),
        ("Die Antwort lautet 12. Probe: 3 \\cdot 4 = 12, 5 > 2.", "13", N),
        # A display over several lines after the lead-in is the answer, not an earlier one.
        ("#### 5\nThe answer is:\n\\[\nx = 7\n\\]", "7", Y),
        ("#### 7\nThe answer is:\n\\[\nx = 5\n\\]", "7", N),
        # Words around the answer: "indeed", ", not ...", "です", and "the answer is correct"
        # (a verdict on an answer, not one).
        ("So the answer is indeed D.", "D", Y),
        ("The answer is 937 dollars.", "937", Y), ("The answer is -3/4 meters.", "-0.75", Y),
        ("The answer is 29/10, not 57/20.", "\\frac{29}{10}", Y),
        ("The answer is 29/10, not 57/20.", "\\frac{57}{20}", N),
        ("答えは -90 です。確認: 3 + 4 = 7。", "-90", Y),
        ("Final Answer: 12\n\nCheck: 3 \\cdot 4 = 12, so the answer is correct.", "12", Y),
    ],
}

# Families of a differential fuzz against math-verify, scored under both presets:
# (completion, reference, expected under lenient, expected under strict). A wrong answer
# earns nothing in either; a plainly written right one earns 1 in both.
BOTH_PRESETS: dict[str, list[tuple[str, Any, float, float]]] = {
    # A percentage is its value (50% is 0.5), or its number between whole numbers (50% is
    # 50); two percentages compare as written. Never off by a factor of 100 the wrong way.
    "percent": [
        ("The answer is $0.5\\%$.", "50\\%", N, N), ("\\boxed{\\frac12\\%}", "0.5", N, N),
        ("\\boxed{0.25%}", "0.25", N, N), ("#### 0.5\\%", "0.5", N, N),
        ("\\boxed{5000}", "50\\%", N, N), ("\\boxed{12.5\\%}", "12.5", N, N),
        ("\\boxed{50}", "50\\%", Y, Y), ("\\boxed{0.5}", "50\\%", Y, Y),
        ("\\boxed{50\\%}", "0.5", Y, Y), ("\\boxed{50\\%}", "50", Y, Y),
        ("\\boxed{12.5\\%}", "0.125", Y, Y), ("\\boxed{0.5\\%}", "0.005", Y, Y),
        ("Hence $\\boxed{12 percent}$.", "12\\%", Y, Y), ("\\boxed{12 percent}", "0.12", Y, Y),
        ("The answer is 12 percent.", "12", Y, Y),
    ],
    # A decimal equals a number it is a correct rounding of only when written to at least
    # 6 places with 2 significant digits, and never with more places than the reference.
    "rounding": [
        ("\\boxed{0.0999999}", "0.1", N, N), ("The answer is 0.1000001.", "0.1", N, N),
        ("\\boxed{0.0000013}", "0.0000012", N, N), ("\\boxed{0.000001}", "0.0000012", N, N),
        ("\\boxed{1.3\\times10^{-6}}", "0.0000012", N, N), ("\\boxed{x = 0.0999999}", "0.1", N, N),
        ("We get 4.\n\n**0.0000013**", "0.0000012", N, N),
        ("\\boxed{0.333333}", "\\frac{1}{3}", Y, Y), ("\\boxed{0.666667}", "2/3", Y, Y),
        ("\\boxed{\\frac{1}{3}}", "0.333333", Y, Y),
        ("\\boxed{1.2\\times10^{-6}}", "0.0000012", Y, Y),
        ("\\boxed{0.33}", "\\frac{1}{3}", N, N), ("\\boxed{3.141593}", "3.14159265", Y, Y),
    ],
    # A number followed by a word that scales it is scaled (or refused), never the number.
    "scaling words": [
        ("The answer is 5 thousand.", "5", N, N), ("**Answer:** 5 hundred", "5", N, N),
        ("The answer is 5 squared.", "5", N, N), ("Answer = 5 thousand", "5", N, N),
        ("\\boxed{5\\text{ thousand}}", "5", N, N), ("#### 5 million", "5", N, N),
        ("We count the boxes.\n\n5 dozen", "5", N, N), ("\\boxed{5 dozen}", "5", N, N),
        ("The answer is 5 thousand.", "5000", Y, Y), ("\\boxed{5\\text{ dozen}}", "60", Y, Y),
        ("The answer is 5 squared.", "25", Y, N),  # strict: arithmetic left to do
    ],
    # An answer in degrees against a reference in radians is converted (x° = xπ/180).
    "degrees": [
        ("\\boxed{\\frac{\\pi}{6}^\\circ}", "\\frac{\\pi}{6}", N, N),
        ("The answer is $\\frac{\\pi}{6}^\\circ$.", "\\frac{\\pi}{6}", N, N),
        ("\\boxed{30^\\circ}", "\\frac{\\pi}{6}", Y, Y), ("\\boxed{30°}", "\\frac{\\pi}{6}", Y, Y),
        ("\\boxed{45^\\circ}", "\\frac{\\pi}{6}", N, N), ("\\boxed{30^\\circ}", "30", Y, Y),
        ("\\boxed{30 degrees}", "30", Y, Y), ("\\boxed{30 degrees}", "30^\\circ", Y, Y),
        ("\\boxed{60^\\circ}", "\\frac{\\pi}{3}", Y, Y),
        ("\\boxed{\\frac{\\pi}{6}}", "\\frac{\\pi}{6}", Y, Y),
    ],
    # math-verify reads bare LaTeX only up to a command it does not take: \frac{1}{2}\pi is
    # no 1/2, 2\sqrt{2} no 2. A capture that runs on into more mathematics is no answer.
    "truncated capture": [
        ("Thus we conclude.\n\n\\frac{1}{2}\\pi", "\\frac{1}{2}", N, N),
        ("Thus we conclude.\n\n\\frac{7}{2}\\pi", "\\frac{7}{2}", N, N),
        ("Thus we conclude.\n\n\\frac{1}{2}x", "\\frac{1}{2}", N, N),
        ("Thus we conclude.\n\n2\\sqrt{2}", "2", N, N),
        ("Thus we conclude.\n\n\\frac{1}{2}^2", "\\frac{1}{2}", N, N),
        ("Thus we conclude.\n\n\\frac{1}{2} \\pi", "\\frac{1}{2}", N, N),
        ("Thus we conclude.\n\n\\frac{1}{2}", "\\frac{1}{2}", Y, N),  # strict: no anchor
        ("Thus we conclude.\n\n\\frac{1}{2}\\pi", "\\frac{\\pi}{2}", N, N),  # as math-verify
        ("Final Answer: $\\frac{1}{2}\\pi$", "\\frac{\\pi}{2}", Y, Y),
        ("The area is 100m2.", "100", Y, N), ("It takes $\\frac{1}{2}$ hours.", "0.5", Y, N),
    ],
    # A set is unordered and a tuple ordered: neither equals the other.
    "set or tuple": [
        ("\\boxed{(1,2)}", "\\{1,2\\}", N, N), ("<answer>(1,2)</answer>", "\\{1,2\\}", N, N),
        ("\\boxed{\\{1,2\\}}", "(1,2)", N, N), ("\\boxed{[1,2]}", "\\{1,2\\}", N, N),
        ("\\boxed{\\{2,1\\}}", "\\{1,2\\}", Y, Y), ("\\boxed{(1,2)}", "(1,2)", Y, Y),
        ("\\boxed{\\{1,2\\}}", "1, 2", Y, Y), ("\\boxed{(2,1)}", "(1,2)", N, N),
        ("\\boxed{1, 2}", "\\{1,2\\}", Y, Y), ("\\boxed{(1,2,3)}", "\\{1,2,3\\}", N, N),
    ],
    # Plain spellings of a right answer strict accepts: unit words, braces, bold, a minus
    # in the denominator, \over.
    "plain spellings": [
        ("\\boxed{12 square feet}", "12\\text{ square feet}", Y, Y), ("#### 5 apples", "5", Y, Y),
        ("#### 5 centimeters", "5", Y, Y), ("Hence $\\boxed{{42}}$.", "42", Y, Y),
        ("**Answer:** ${42}$", "42", Y, Y),
        ("The answer is \\mathbf{\\frac{7}{2}}.", "\\frac{7}{2}", Y, Y),
        ("\\boxed{\\frac{3}{-4}}", "-\\frac{3}{4}", Y, Y),
        ("\\boxed{{1 \\over 2}}", "\\frac{1}{2}", Y, Y),
        ("\\boxed{\\textbf{42}}", "42", Y, Y), ("\\boxed{{43}}", "42", N, N),
        ("\\boxed{\\frac{3}{-4}}", "\\frac{3}{4}", N, N), ("\\boxed{2 x}", "2", N, N),
        ("#### 6 apples", "5", N, N), ("\\boxed{{2 \\over 1}}", "\\frac{1}{2}", N, N),
    ],
}

CASES = [(family, *case) for family, cases in FAMILIES.items() for case in cases]
PRESET_CASES = [(family, *case) for family, cases in BOTH_PRESETS.items() for case in cases]


@pytest.fixture(scope="module")
def scored() -> list[Any]:
    samples = [Sample(completion=c, reference=r) for _, c, r, _ in CASES]
    with RewardEngine(["math"], plugin_manager=make_plugin_manager(), workers=2) as engine:
        return [score.results[0] for score in engine.score(samples)]


def test_every_family_has_ten_cases():
    assert all(len(cases) >= 10 for cases in FAMILIES.values())


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{c[0]}:{c[1][-30:]!r}~{str(c[2])[:20]!r}" for c in CASES])
def test_family_case(scored, index):
    _, _, _, expected = CASES[index]
    result = scored[index]
    assert (result.reward, result.status.value) == (expected, "ok"), result.reason


@pytest.fixture(scope="module")
def scored_presets() -> list[Any]:
    samples = [Sample(completion=c, reference=r) for _, c, r, _, _ in PRESET_CASES]
    specs = [{"name": "math", "label": p, "options": {"preset": p}} for p in ("lenient", "strict")]
    with RewardEngine(specs, plugin_manager=make_plugin_manager(), workers=2) as engine:
        return [score.results for score in engine.score(samples)]


def test_every_preset_family_has_ten_cases():
    assert all(len(cases) >= 10 for cases in BOTH_PRESETS.values())


@pytest.mark.parametrize("index", range(len(PRESET_CASES)),
                         ids=[f"{c[0]}:{c[1][-30:]!r}~{str(c[2])[:20]!r}" for c in PRESET_CASES])
def test_preset_family_case(scored_presets, index):
    lenient, strict = scored_presets[index]
    _, _, _, want_lenient, want_strict = PRESET_CASES[index]
    assert (lenient.reward, lenient.status.value) == (want_lenient, "ok"), lenient.reason
    assert (strict.reward, strict.status.value) == (want_strict, "ok"), strict.reason
