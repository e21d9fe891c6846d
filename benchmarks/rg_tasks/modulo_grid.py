"""Draw the modulo grid: cell (x, y), 0-indexed column x and row y, is ✅ when f(x, y) mod d
equals t and ❌ otherwise, f being sum x+y, diff |x-y|, prod x*y or pow x**y. Input: ``op d t
width height``; output: one line of ✅/❌ per row."""

TASK = "modulo_grid"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    meta = entry["metadata"]
    size_x, size_y = meta["difficulty"]["size_x"], meta["difficulty"]["size_y"]
    return f"{meta['operation']} {meta['divisor']} {meta['target']} {size_x} {size_y}\n"


def stdout(entry: dict) -> str:
    return "\n".join(line.strip() for line in entry["answer"].splitlines()) + "\n"


SOLUTIONS = {
    "python": """
import sys

op, d, t, width, height = sys.stdin.read().split()
d, t, width, height = int(d), int(t), int(width), int(height)
funcs = {
    "sum": lambda x, y: (x + y) % d,
    "diff": lambda x, y: abs(x - y) % d,
    "prod": lambda x, y: (x * y) % d,
    "pow": lambda x, y: pow(x, y, d),
}
f = funcs[op]
for y in range(height):
    print("".join("\\u2705" if f(x, y) == t else "\\u274c" for x in range(width)))
""",
    "c": """
#include <stdio.h>
#include <string.h>
long long value(const char *op, long long x, long long y, long long d) {
    if (strcmp(op, "sum") == 0) return (x + y) % d;
    if (strcmp(op, "diff") == 0) return (x > y ? x - y : y - x) % d;
    if (strcmp(op, "prod") == 0) return (x * y) % d;
    long long result = 1 % d, base = x % d;
    for (long long e = y; e > 0; e--) result = result * base % d;
    return result;
}
int main(void) {
    char op[8];
    long long d, t, width, height;
    if (scanf("%7s %lld %lld %lld %lld", op, &d, &t, &width, &height) != 5) return 1;
    for (long long y = 0; y < height; y++) {
        for (long long x = 0; x < width; x++)
            fputs(value(op, x, y, d) == t ? "\\u2705" : "\\u274c", stdout);
        putchar('\\n');
    }
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <string>
long long value(const std::string &op, long long x, long long y, long long d) {
    if (op == "sum") return (x + y) % d;
    if (op == "diff") return (x > y ? x - y : y - x) % d;
    if (op == "prod") return (x * y) % d;
    long long result = 1 % d, base = x % d;
    for (long long e = y; e > 0; e--) result = result * base % d;
    return result;
}
int main() {
    std::string op;
    long long d, t, width, height;
    std::cin >> op >> d >> t >> width >> height;
    for (long long y = 0; y < height; ++y) {
        std::string row;
        for (long long x = 0; x < width; ++x)
            row += value(op, x, y, d) == t ? "\\u2705" : "\\u274c";
        std::cout << row << "\\n";
    }
}
""",
    "java": """
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Scanner;

public class Main {
    static long value(String op, long x, long y, long d) {
        switch (op) {
            case "sum": return (x + y) % d;
            case "diff": return Math.abs(x - y) % d;
            case "prod": return (x * y) % d;
            default:
                long result = 1 % d, base = x % d;
                for (long e = y; e > 0; e--) result = result * base % d;
                return result;
        }
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        String op = in.next();
        long d = in.nextLong(), t = in.nextLong();
        int width = in.nextInt(), height = in.nextInt();
        StringBuilder out = new StringBuilder();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++)
                out.append(value(op, x, y, d) == t ? "\\u2705" : "\\u274c");
            out.append('\\n');
        }
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        stdout.print(out);
        stdout.flush();
    }
}
""",
    "javascript": """
const [op, ...rest] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/);
const [d, t, width, height] = rest.map(Number);
function value(x, y) {
  if (op === "sum") return (x + y) % d;
  if (op === "diff") return Math.abs(x - y) % d;
  if (op === "prod") return (x * y) % d;
  let result = 1 % d;
  for (let e = 0; e < y; e++) result = (result * (x % d)) % d;
  return result;
}
const rows = [];
for (let y = 0; y < height; y++) {
  let row = "";
  for (let x = 0; x < width; x++) row += value(x, y) === t ? "\\u2705" : "\\u274c";
  rows.push(row);
}
console.log(rows.join("\\n"));
""",
    "go": """
package main

import (
	"fmt"
	"strings"
)

func value(op string, x, y, d int64) int64 {
	switch op {
	case "sum":
		return (x + y) % d
	case "diff":
		if x > y {
			return (x - y) % d
		}
		return (y - x) % d
	case "prod":
		return (x * y) % d
	}
	result, base := 1%d, x%d
	for e := y; e > 0; e-- {
		result = result * base % d
	}
	return result
}

func main() {
	var op string
	var d, t, width, height int64
	fmt.Scan(&op, &d, &t, &width, &height)
	var out strings.Builder
	for y := int64(0); y < height; y++ {
		for x := int64(0); x < width; x++ {
			if value(op, x, y, d) == t {
				out.WriteString("\\u2705")
			} else {
				out.WriteString("\\u274c")
			}
		}
		out.WriteString("\\n")
	}
	fmt.Print(out.String())
}
""",
    "rust": """
use std::io::Read;

fn value(op: &str, x: u64, y: u64, d: u64) -> u64 {
    match op {
        "sum" => (x + y) % d,
        "diff" => x.abs_diff(y) % d,
        "prod" => (x * y) % d,
        _ => {
            let mut result = 1 % d;
            for _ in 0..y {
                result = result * (x % d) % d;
            }
            result
        }
    }
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let tokens: Vec<&str> = input.split_whitespace().collect();
    let n: Vec<u64> = tokens[1..].iter().map(|t| t.parse().unwrap()).collect();
    let (d, t, width, height) = (n[0], n[1], n[2], n[3]);
    let mut out = String::new();
    for y in 0..height {
        for x in 0..width {
            out.push_str(if value(tokens[0], x, y, d) == t { "\\u{2705}" } else { "\\u{274c}" });
        }
        out.push('\\n');
    }
    print!("{}", out);
}
""",
}

WRONG = {
    # Swaps base and exponent in the power rule.
    "python": ("logic", SOLUTIONS["python"].replace("pow(x, y, d)", "pow(y, x, d)")),
    # Forms x**y in 64 bits before reducing it: the power overflows.
    "c": ("overflow", SOLUTIONS["c"].replace(
        "long long result = 1 % d, base = x % d;\n"
        "    for (long long e = y; e > 0; e--) result = result * base % d;\n"
        "    return result;",
        "unsigned long long power = 1;\n"
        "    for (long long e = y; e > 0; e--) power *= (unsigned long long) x;\n"
        "    return (long long) (power % (unsigned long long) d);")),
    # Signed difference: a negative x - y gives a negative remainder.
    "cpp": ("logic", SOLUTIONS["cpp"].replace("(x > y ? x - y : y - x) % d", "(x - y) % d")),
    # Swaps rows and columns (pow is not symmetric).
    "java": ("logic", SOLUTIONS["java"].replace("value(op, x, y, d)", "value(op, y, x, d)")),
    # Counts rows and columns from 1.
    "javascript": ("off_by_one", SOLUTIONS["javascript"].replace("value(x, y) === t",
                                                                 "value(x + 1, y + 1) === t")),
    # Forgets to take the exponent loop to y: one multiplication short.
    "go": ("off_by_one", SOLUTIONS["go"].replace("for e := y; e > 0; e--",
                                                 "for e := y; e > 1; e--")),
    # Prints the cells separated by spaces.
    "rust": ("format", SOLUTIONS["rust"].replace('{ "\\u{2705}" } else { "\\u{274c}" });',
                                                 '{ "\\u{2705} " } else { "\\u{274c} " });')),
}
