"""Least common multiple of two to four integers in [1, 1000] (it can exceed 2^31). Input: the
numbers on one line; output: their LCM."""

TASK = "lcm"
CONFIG: dict[str, object] = {"min_numbers": 2, "max_numbers": 4, "min_value": 1, "max_value": 1000}


def stdin(entry: dict) -> str:
    return " ".join(map(str, entry["metadata"]["numbers"])) + "\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import math
import sys

numbers = list(map(int, sys.stdin.read().split()))
result = 1
for x in numbers:
    result = result // math.gcd(result, x) * x
print(result)
""",
    "c": """
#include <stdio.h>
long long gcd(long long a, long long b) {
    while (b != 0) {
        long long t = a % b;
        a = b;
        b = t;
    }
    return a;
}
int main(void) {
    long long x, result = 1;
    while (scanf("%lld", &x) == 1) result = result / gcd(result, x) * x;
    printf("%lld\\n", result);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <numeric>
int main() {
    long long x, result = 1;
    while (std::cin >> x) result = result / std::gcd(result, x) * x;
    std::cout << result << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long result = 1;
        while (in.hasNextLong()) {
            long x = in.nextLong();
            result = result / gcd(result, x) * x;
        }
        System.out.println(result);
    }
}
""",
    "javascript": """
const numbers = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(BigInt);
const gcd = (a, b) => (b === 0n ? a : gcd(b, a % b));
let result = 1n;
for (const x of numbers) result = (result / gcd(result, x)) * x;
console.log(result.toString());
""",
    "go": """
package main

import "fmt"

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func main() {
	var result int64 = 1
	var x int64
	for {
		if _, err := fmt.Scan(&x); err != nil {
			break
		}
		result = result / gcd(result, x) * x
	}
	fmt.Println(result)
}
""",
    "rust": """
use std::io::Read;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut result: u64 = 1;
    for token in input.split_whitespace() {
        let x: u64 = token.parse().unwrap();
        result = result / gcd(result, x) * x;
    }
    println!("{}", result);
}
""",
}

# The compiled languages keep the LCM in a 32-bit integer, which overflows; JavaScript uses
# plain numbers truncated with `| 0`; Python divides the product by the gcd of all numbers.
WRONG = {
    "python": ("logic", SOLUTIONS["python"].replace(
        "result = 1\nfor x in numbers:\n    result = result // math.gcd(result, x) * x",
        "result = math.prod(numbers) // math.gcd(*numbers)")),
    "c": ("overflow", SOLUTIONS["c"].replace("long long x, result = 1;", "int x, result = 1;")
          .replace('scanf("%lld", &x)', 'scanf("%d", &x)').replace('"%lld\\\\n"', '"%d\\\\n"')),
    "cpp": ("overflow", SOLUTIONS["cpp"].replace("long long x, result = 1;", "int x, result = 1;")),
    "java": ("overflow", SOLUTIONS["java"].replace("long result = 1;", "int result = 1;")
             .replace("result = result / gcd(result, x) * x;",
                      "result = (int) (result / gcd(result, x) * x);")),
    "javascript": ("overflow", SOLUTIONS["javascript"].replace(".map(BigInt)", ".map(Number)")
                   .replace("b === 0n", "b === 0").replace("let result = 1n;", "let result = 1;")
                   .replace("(result / gcd(result, x)) * x",
                            "((result / gcd(result, x)) * x) | 0")),
    "go": ("overflow", SOLUTIONS["go"].replace("int64", "int32")),
    "rust": ("overflow", SOLUTIONS["rust"].replace("u64", "u32")),
}
