"""How many 1 bits are in the binary representation of n (1 <= n < 2^31). Input: ``n``;
output: the count."""

TASK = "count_bits"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['number']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

n = int(sys.stdin.read())
count = 0
for bit in range(31):
    if n >> bit & 1:
        count += 1
print(count)
""",
    "c": """
#include <stdio.h>
int main(void) {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    int count = 0;
    for (int bit = 0; bit < 31; bit++)
        if ((n >> bit) & 1) count++;
    printf("%d\\n", count);
    return 0;
}
""",
    "cpp": """
#include <iostream>
int main() {
    long long n;
    std::cin >> n;
    int count = 0;
    for (int bit = 0; bit < 31; ++bit)
        if ((n >> bit) & 1) ++count;
    std::cout << count << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        int count = 0;
        for (int bit = 0; bit < 31; bit++)
            if (((n >> bit) & 1) == 1) count++;
        System.out.println(count);
    }
}
""",
    "javascript": """
const n = Number(require("fs").readFileSync(0, "utf8").trim());
let count = 0;
for (let bit = 0; bit < 31; bit++) {
  if ((n >>> bit) & 1) count++;
}
console.log(count);
""",
    "go": """
package main

import "fmt"

func main() {
	var n int64
	fmt.Scan(&n)
	count := 0
	for bit := 0; bit < 31; bit++ {
		if (n>>bit)&1 == 1 {
			count++
		}
	}
	fmt.Println(count)
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let n: i64 = input.trim().parse().unwrap();
    let mut count = 0;
    for bit in 0..31 {
        if (n >> bit) & 1 == 1 {
            count += 1;
        }
    }
    println!("{}", count);
}
""",
}

# Each wrong solution looks at 30 bits only and misses bit 30 of the larger numbers.
WRONG = {language: ("off_by_one", source.replace("31", "30"))
         for language, source in SOLUTIONS.items()}
