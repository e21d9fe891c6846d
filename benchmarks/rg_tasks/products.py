"""The product of two non-negative integers (up to nine digits each). Input: ``a b``; output:
``a * b``."""

TASK = "products"
CONFIG: dict[str, object] = {"max_digits": 9}


def stdin(entry: dict) -> str:
    return " ".join(entry["metadata"]["expression"].split(" * ")) + "\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

a, b = map(int, sys.stdin.read().split())
print(a * b)
""",
    "c": """
#include <stdio.h>
int main(void) {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    printf("%lld\\n", a * b);
    return 0;
}
""",
    "cpp": """
#include <iostream>
int main() {
    long long a, b;
    std::cin >> a >> b;
    std::cout << a * b << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        System.out.println(a * b);
    }
}
""",
    "javascript": """
const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(BigInt);
console.log((a * b).toString());
""",
    "go": """
package main

import "fmt"

func main() {
	var a, b int64
	fmt.Scan(&a, &b)
	fmt.Println(a * b)
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let v: Vec<u64> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    println!("{}", v[0] * v[1]);
}
""",
}

WRONG = {
    # Prints the product with thousands separators.
    "python": ("format", SOLUTIONS["python"].replace("print(a * b)", 'print(f"{a * b:,}")')),
    # 32-bit ints: 25818 * 77042 overflows.
    "c": ("overflow", SOLUTIONS["c"].replace("long long", "int").replace("%lld", "%d")),
    # The product is computed in int before it is widened.
    "cpp": ("overflow", SOLUTIONS["cpp"].replace("long long a, b;", "int a, b;")),
    # int instead of long.
    "java": ("overflow", SOLUTIONS["java"].replace("long a = in.nextLong(), b = in.nextLong();",
                                                   "int a = in.nextInt(), b = in.nextInt();")),
    # Prints the sum instead of the product.
    "javascript": ("logic", SOLUTIONS["javascript"].replace("(a * b)", "(a + b)")),
    # int32 overflows on the larger products.
    "go": ("overflow", SOLUTIONS["go"].replace("var a, b int64", "var a, b int32")),
    # Wrapping 32-bit multiplication.
    "rust": ("overflow", SOLUTIONS["rust"].replace("Vec<u64>", "Vec<u32>")
             .replace("v[0] * v[1]", "v[0].wrapping_mul(v[1])")),
}
