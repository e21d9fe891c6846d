"""How many primes lie in [start, end] (both included). Input: ``start end``; output: the
count."""

TASK = "count_primes"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['start']} {entry['metadata']['end']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

start, end = map(int, sys.stdin.read().split())
sieve = bytearray([1]) * (end + 1)
sieve[0:2] = b"\\x00\\x00"
for p in range(2, int(end ** 0.5) + 1):
    if sieve[p]:
        sieve[p * p::p] = bytearray(len(range(p * p, end + 1, p)))
print(sum(sieve[start:end + 1]))
""",
    "c": """
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    long start, end;
    if (scanf("%ld %ld", &start, &end) != 2) return 1;
    char *composite = calloc(end + 1, 1);
    long count = 0;
    for (long p = 2; p <= end; p++) {
        if (composite[p]) continue;
        if (p >= start) count++;
        for (long q = p * p; q <= end; q += p) composite[q] = 1;
    }
    printf("%ld\\n", count);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <vector>
int main() {
    long long start, end;
    std::cin >> start >> end;
    std::vector<bool> composite(end + 1, false);
    long long count = 0;
    for (long long p = 2; p <= end; ++p) {
        if (composite[p]) continue;
        if (p >= start) ++count;
        for (long long q = p * p; q <= end; q += p) composite[q] = true;
    }
    std::cout << count << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int start = in.nextInt(), end = in.nextInt();
        boolean[] composite = new boolean[end + 1];
        int count = 0;
        for (int p = 2; p <= end; p++) {
            if (composite[p]) continue;
            if (p >= start) count++;
            for (long q = (long) p * p; q <= end; q += p) composite[(int) q] = true;
        }
        System.out.println(count);
    }
}
""",
    "javascript": """
const [start, end] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
const composite = new Uint8Array(end + 1);
let count = 0;
for (let p = 2; p <= end; p++) {
  if (composite[p]) continue;
  if (p >= start) count++;
  for (let q = p * p; q <= end; q += p) composite[q] = 1;
}
console.log(count);
""",
    "go": """
package main

import "fmt"

func main() {
	var start, end int
	fmt.Scan(&start, &end)
	composite := make([]bool, end+1)
	count := 0
	for p := 2; p <= end; p++ {
		if composite[p] {
			continue
		}
		if p >= start {
			count++
		}
		for q := p * p; q <= end; q += p {
			composite[q] = true
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
    let v: Vec<usize> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let (start, end) = (v[0], v[1]);
    let mut composite = vec![false; end + 1];
    let mut count = 0;
    for p in 2..=end {
        if composite[p] {
            continue;
        }
        if p >= start {
            count += 1;
        }
        let mut q = p * p;
        while q <= end {
            composite[q] = true;
            q += p;
        }
    }
    println!("{}", count);
}
""",
}

# Each wrong solution forgets the range's start and counts every prime up to its end.
WRONG = {language: ("logic", source.replace("if (p >= start) ", "")
                    .replace("if (p >= start) {", "{").replace("if p >= start {", "{"))
         for language, source in SOLUTIONS.items()}
WRONG["python"] = ("logic", SOLUTIONS["python"].replace("sieve[start:end + 1]", "sieve[:end + 1]"))
