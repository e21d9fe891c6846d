"""Simplify the fraction numerator/denominator to lowest terms. Input: ``numerator
denominator`` (positive integers); output: ``p/q``, the fraction in lowest terms."""

import re

TASK = "fraction_simplification"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['numerator']} {entry['metadata']['denominator']}\n"


def stdout(entry: dict) -> str:
    numerator, denominator = re.findall(r"\d+", entry["answer"])
    return f"{numerator}/{denominator}\n"


SOLUTIONS = {
    "python": """
import sys
from math import gcd

a, b = map(int, sys.stdin.read().split())
g = gcd(a, b)
print(f"{a // g}/{b // g}")
""",
    "c": """
#include <stdio.h>
long gcd(long a, long b) {
    while (b) { long t = a % b; a = b; b = t; }
    return a;
}
int main(void) {
    long a, b;
    if (scanf("%ld %ld", &a, &b) != 2) return 1;
    long g = gcd(a, b);
    printf("%ld/%ld\\n", a / g, b / g);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <numeric>
int main() {
    long long a, b;
    std::cin >> a >> b;
    long long g = std::gcd(a, b);
    std::cout << a / g << "/" << b / g << "\\n";
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
        long a = in.nextLong(), b = in.nextLong();
        long g = gcd(a, b);
        System.out.println(a / g + "/" + b / g);
    }
}
""",
    "javascript": """
const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
const gcd = (x, y) => (y === 0 ? x : gcd(y, x % y));
const g = gcd(a, b);
console.log(`${a / g}/${b / g}`);
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
	var a, b int64
	fmt.Scan(&a, &b)
	g := gcd(a, b)
	fmt.Printf("%d/%d\\n", a/g, b/g)
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
    let v: Vec<u64> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let g = gcd(v[0], v[1]);
    println!("{}/{}", v[0] / g, v[1] / g);
}
""",
}

WRONG = {
    # Divides out only the smallest common prime factor instead of the gcd.
    "python": ("logic", SOLUTIONS["python"].replace(
        "g = gcd(a, b)", "g = next((p for p in range(2, a + 1) if a % p == 0 and b % p == 0), 1)")),
    # Prints the reduced fraction with spaces around the slash.
    "c": ("format", SOLUTIONS["c"].replace('"%ld/%ld\\n"', '"%ld / %ld\\n"')),
    # Forgets to divide the denominator.
    "cpp": ("logic", SOLUTIONS["cpp"].replace('b / g << "\\n"', 'b << "\\n"')),
    # Only divides out common factors of two.
    "java": ("logic", SOLUTIONS["java"].replace(
        "long g = gcd(a, b);",
        "long g = 1;\n        while (a % (2 * g) == 0 && b % (2 * g) == 0) g *= 2;")),
    # Prints the numerator and denominator on separate lines.
    "javascript": ("format", SOLUTIONS["javascript"].replace("`${a / g}/${b / g}`",
                                                            "`${a / g}\\n${b / g}`")),
    # Swaps numerator and denominator.
    "go": ("logic", SOLUTIONS["go"].replace("a/g, b/g", "b/g, a/g")),
    # Integer division of the numerator by the denominator (truncates to 0).
    "rust": ("logic", SOLUTIONS["rust"].replace('println!("{}/{}", v[0] / g, v[1] / g);',
                                                'println!("{}/{}", v[0] / v[1], v[1] / g);')),
}
