"""Minimum number of swaps (of any two characters) that make a binary string alternating, or -1
if impossible. Input: the string on one line; output: the number."""

TASK = "binary_alternation"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['string']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

s = sys.stdin.read().strip()
n, ones = len(s), s.count("1")
best = -1
for first in (0, 1):
    want_ones = n // 2 if first == 0 else (n + 1) // 2
    if ones != want_ones:
        continue
    mismatches = sum(1 for i, ch in enumerate(s) if int(ch) != first ^ (i % 2))
    swaps = mismatches // 2
    if best == -1 or swaps < best:
        best = swaps
print(best)
""",
    "c": """
#include <stdio.h>
#include <string.h>
int main(void) {
    char s[256];
    if (scanf("%255s", s) != 1) return 1;
    int n = (int) strlen(s), ones = 0, best = -1;
    for (int i = 0; i < n; i++) ones += s[i] == '1';
    for (int first = 0; first < 2; first++) {
        int want_ones = first == 0 ? n / 2 : (n + 1) / 2;
        if (ones != want_ones) continue;
        int mismatches = 0;
        for (int i = 0; i < n; i++)
            if (s[i] - '0' != (first ^ (i % 2))) mismatches++;
        int swaps = mismatches / 2;
        if (best == -1 || swaps < best) best = swaps;
    }
    printf("%d\\n", best);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <string>
int main() {
    std::string s;
    std::cin >> s;
    int n = (int) s.size(), ones = 0, best = -1;
    for (char ch : s) ones += ch == '1';
    for (int first = 0; first < 2; ++first) {
        int want_ones = first == 0 ? n / 2 : (n + 1) / 2;
        if (ones != want_ones) continue;
        int mismatches = 0;
        for (int i = 0; i < n; ++i)
            if (s[i] - '0' != (first ^ (i % 2))) ++mismatches;
        int swaps = mismatches / 2;
        if (best == -1 || swaps < best) best = swaps;
    }
    std::cout << best << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        String s = new Scanner(System.in).next();
        int n = s.length(), ones = 0, best = -1;
        for (char ch : s.toCharArray()) if (ch == '1') ones++;
        for (int first = 0; first < 2; first++) {
            int wantOnes = first == 0 ? n / 2 : (n + 1) / 2;
            if (ones != wantOnes) continue;
            int mismatches = 0;
            for (int i = 0; i < n; i++)
                if (s.charAt(i) - '0' != (first ^ (i % 2))) mismatches++;
            int swaps = mismatches / 2;
            if (best == -1 || swaps < best) best = swaps;
        }
        System.out.println(best);
    }
}
""",
    "javascript": """
const s = require("fs").readFileSync(0, "utf8").trim();
const n = s.length;
let ones = 0;
for (const ch of s) if (ch === "1") ones++;
let best = -1;
for (let first = 0; first < 2; first++) {
  const wantOnes = first === 0 ? Math.floor(n / 2) : Math.floor((n + 1) / 2);
  if (ones !== wantOnes) continue;
  let mismatches = 0;
  for (let i = 0; i < n; i++) if (Number(s[i]) !== (first ^ (i % 2))) mismatches++;
  const swaps = Math.floor(mismatches / 2);
  if (best === -1 || swaps < best) best = swaps;
}
console.log(best);
""",
    "go": """
package main

import "fmt"

func main() {
	var s string
	fmt.Scan(&s)
	n, ones, best := len(s), 0, -1
	for i := 0; i < n; i++ {
		if s[i] == '1' {
			ones++
		}
	}
	for first := 0; first < 2; first++ {
		wantOnes := n / 2
		if first == 1 {
			wantOnes = (n + 1) / 2
		}
		if ones != wantOnes {
			continue
		}
		mismatches := 0
		for i := 0; i < n; i++ {
			if int(s[i]-'0') != first^(i%2) {
				mismatches++
			}
		}
		swaps := mismatches / 2
		if best == -1 || swaps < best {
			best = swaps
		}
	}
	fmt.Println(best)
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let s: Vec<u8> = input.trim().bytes().collect();
    let n = s.len();
    let ones = s.iter().filter(|&&c| c == b'1').count();
    let mut best: i64 = -1;
    for first in 0..2usize {
        let want_ones = if first == 0 { n / 2 } else { (n + 1) / 2 };
        if ones != want_ones {
            continue;
        }
        let mismatches = (0..n).filter(|&i| (s[i] - b'0') as usize != first ^ (i % 2)).count();
        let swaps = (mismatches / 2) as i64;
        if best == -1 || swaps < best {
            best = swaps;
        }
    }
    println!("{}", best);
}
""",
}

# Each wrong solution reports the number of misplaced characters, not the swaps (each swap fixes
# two of them).
WRONG = {language: ("logic", source.replace("mismatches // 2", "mismatches")
                    .replace("Math.floor(mismatches / 2)", "mismatches")
                    .replace("mismatches / 2", "mismatches"))
         for language, source in SOLUTIONS.items()}
