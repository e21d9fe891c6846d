"""Greatest common divisor of two positive integers. Input: ``a b``; output: gcd(a, b)."""

TASK = "gcd"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return " ".join(map(str, entry["metadata"]["numbers"])) + "\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

a, b = map(int, sys.stdin.read().split())
while b != 0:
    a, b = b, a % b
print(a)
""",
    "c": """
#include <stdio.h>
int main(void) {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    while (b != 0) {
        long long t = a % b;
        a = b;
        b = t;
    }
    printf("%lld\\n", a);
    return 0;
}
""",
    "cpp": """
#include <iostream>
int main() {
    long long a, b;
    std::cin >> a >> b;
    while (b != 0) {
        long long t = a % b;
        a = b;
        b = t;
    }
    std::cout << a << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        System.out.println(a);
    }
}
""",
    "javascript": """
let [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
while (b !== 0) {
  const t = a % b;
  a = b;
  b = t;
}
console.log(a);
""",
    "go": """
package main

import "fmt"

func main() {
	var a, b int64
	fmt.Scan(&a, &b)
	for b != 0 {
		a, b = b, a%b
	}
	fmt.Println(a)
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let v: Vec<i64> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let (mut a, mut b) = (v[0], v[1]);
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    println!("{}", a);
}
""",
}

# Each wrong solution does a single step of Euclid's algorithm instead of looping.
WRONG = {
    "python": ("logic", SOLUTIONS["python"].replace("while b != 0:", "if b != 0:")),
    "c": ("logic", SOLUTIONS["c"].replace("while (b != 0)", "if (b != 0)")),
    "cpp": ("logic", SOLUTIONS["cpp"].replace("while (b != 0)", "if (b != 0)")),
    "java": ("logic", SOLUTIONS["java"].replace("while (b != 0)", "if (b != 0)")),
    "javascript": ("logic", SOLUTIONS["javascript"].replace("while (b !== 0)", "if (b !== 0)")),
    "go": ("logic", SOLUTIONS["go"].replace("for b != 0", "if b != 0")),
    "rust": ("logic", SOLUTIONS["rust"].replace("while b != 0", "if b != 0")),
}
