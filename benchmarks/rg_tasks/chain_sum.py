"""Evaluate a chain of additions and subtractions of non-negative integers, left to right.
Input: one line such as ``8872 - 5668 + 7831``, tokens separated by spaces; output: the value."""

TASK = "chain_sum"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['expression']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

tokens = sys.stdin.read().split()
total = int(tokens[0])
for i in range(1, len(tokens), 2):
    value = int(tokens[i + 1])
    total += value if tokens[i] == "+" else -value
print(total)
""",
    "c": """
#include <stdio.h>
int main(void) {
    long long total, value;
    char op[4];
    if (scanf("%lld", &total) != 1) return 1;
    while (scanf("%3s %lld", op, &value) == 2) {
        if (op[0] == '+') total += value;
        else total -= value;
    }
    printf("%lld\\n", total);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <string>
int main() {
    long long total, value;
    std::string op;
    std::cin >> total;
    while (std::cin >> op >> value) {
        if (op == "+") total += value;
        else total -= value;
    }
    std::cout << total << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long total = in.nextLong();
        while (in.hasNext()) {
            String op = in.next();
            long value = in.nextLong();
            if (op.equals("+")) total += value;
            else total -= value;
        }
        System.out.println(total);
    }
}
""",
    "javascript": """
const tokens = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/);
let total = Number(tokens[0]);
for (let i = 1; i < tokens.length; i += 2) {
  const value = Number(tokens[i + 1]);
  total += tokens[i] === "+" ? value : -value;
}
console.log(total);
""",
    "go": """
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	var total, value int64
	var op string
	fmt.Fscan(in, &total)
	for {
		if _, err := fmt.Fscan(in, &op, &value); err != nil {
			break
		}
		if op == "+" {
			total += value
		} else {
			total -= value
		}
	}
	fmt.Println(total)
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let tokens: Vec<&str> = input.split_whitespace().collect();
    let mut total: i64 = tokens[0].parse().unwrap();
    let mut i = 1;
    while i + 1 < tokens.len() {
        let value: i64 = tokens[i + 1].parse().unwrap();
        if tokens[i] == "+" {
            total += value;
        } else {
            total -= value;
        }
        i += 2;
    }
    println!("{}", total);
}
""",
}

WRONG = {
    # Adds every number, ignoring the minus signs.
    "python": ("logic", SOLUTIONS["python"].replace('value if tokens[i] == "+" else -value',
                                                    "value")),
    # Starts from zero and forgets the first number.
    "c": ("logic", SOLUTIONS["c"].replace('if (scanf("%lld", &total) != 1) return 1;',
                                          'if (scanf("%lld", &value) != 1) return 1;\n'
                                          '    total = 0;')),
    # Unsigned total: a negative result wraps around.
    "cpp": ("overflow", SOLUTIONS["cpp"].replace("long long total, value;",
                                                 "unsigned long long total, value;")),
    # Drops the last term of the chain.
    "java": ("off_by_one", SOLUTIONS["java"].replace(
        'if (op.equals("+")) total += value;',
        'if (!in.hasNext()) break;\n            if (op.equals("+")) total += value;')),
    # Concatenates strings instead of adding numbers on "+".
    "javascript": ("logic", SOLUTIONS["javascript"].replace(
        "const value = Number(tokens[i + 1]);", "const value = tokens[i + 1];")
        .replace('total += tokens[i] === "+" ? value : -value;',
                 'total = tokens[i] === "+" ? total + value : total - value;')),
    # Applies each operator to the wrong operand (a - b + c computed as a + b - c).
    "go": ("logic", SOLUTIONS["go"].replace('if op == "+" {', 'if op == "-" {')),
    # Skips the second term.
    "rust": ("off_by_one", SOLUTIONS["rust"].replace("let mut i = 1;", "let mut i = 3;")),
}
