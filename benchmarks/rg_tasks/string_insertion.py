"""Scan a string over A-E left to right; where ABCD, BCDE, CDEA, DEAB or EABC starts (first
match in that order), copy the pattern, insert A, B, C, D or E respectively after it and resume
after the pattern; otherwise copy one character. Input: the string; output: the new string."""

TASK = "string_insertion"
CONFIG: dict[str, object] = {"min_string_length": 50, "max_string_length": 200}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['string']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
s = input().strip()
patterns = ["ABCD", "BCDE", "CDEA", "DEAB", "EABC"]
out = []
i = 0
while i < len(s):
    for pattern in patterns:
        if s.startswith(pattern, i):
            out.append(pattern + pattern[0])
            i += len(pattern)
            break
    else:
        out.append(s[i])
        i += 1
print("".join(out))
""",
    "c": """
#include <stdio.h>
#include <string.h>
int main(void) {
    static char s[4096], out[8192];
    const char *patterns[] = {"ABCD", "BCDE", "CDEA", "DEAB", "EABC"};
    if (scanf("%4095s", s) != 1) return 1;
    size_t n = strlen(s), i = 0, k = 0;
    while (i < n) {
        int matched = 0;
        for (int p = 0; p < 5; p++) {
            if (strncmp(s + i, patterns[p], 4) == 0) {
                memcpy(out + k, patterns[p], 4);
                out[k + 4] = patterns[p][0];
                k += 5;
                i += 4;
                matched = 1;
                break;
            }
        }
        if (!matched) out[k++] = s[i++];
    }
    out[k] = '\\0';
    printf("%s\\n", out);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <string>
int main() {
    std::string s, out;
    std::cin >> s;
    const std::string patterns[] = {"ABCD", "BCDE", "CDEA", "DEAB", "EABC"};
    size_t i = 0;
    while (i < s.size()) {
        bool matched = false;
        for (const std::string &pattern : patterns) {
            if (s.compare(i, pattern.size(), pattern) == 0) {
                out += pattern + pattern[0];
                i += pattern.size();
                matched = true;
                break;
            }
        }
        if (!matched) out += s[i++];
    }
    std::cout << out << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        String s = new Scanner(System.in).next();
        String[] patterns = {"ABCD", "BCDE", "CDEA", "DEAB", "EABC"};
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            boolean matched = false;
            for (String pattern : patterns) {
                if (s.startsWith(pattern, i)) {
                    out.append(pattern).append(pattern.charAt(0));
                    i += pattern.length();
                    matched = true;
                    break;
                }
            }
            if (!matched) out.append(s.charAt(i++));
        }
        System.out.println(out);
    }
}
""",
    "javascript": """
const s = require("fs").readFileSync(0, "utf8").trim();
const patterns = ["ABCD", "BCDE", "CDEA", "DEAB", "EABC"];
let out = "";
let i = 0;
while (i < s.length) {
  const pattern = patterns.find((p) => s.startsWith(p, i));
  if (pattern !== undefined) {
    out += pattern + pattern[0];
    i += pattern.length;
  } else {
    out += s[i];
    i += 1;
  }
}
console.log(out);
""",
    "go": """
package main

import (
	"fmt"
	"strings"
)

func main() {
	var s string
	fmt.Scan(&s)
	patterns := []string{"ABCD", "BCDE", "CDEA", "DEAB", "EABC"}
	var out strings.Builder
	i := 0
	for i < len(s) {
		matched := false
		for _, pattern := range patterns {
			if strings.HasPrefix(s[i:], pattern) {
				out.WriteString(pattern)
				out.WriteByte(pattern[0])
				i += len(pattern)
				matched = true
				break
			}
		}
		if !matched {
			out.WriteByte(s[i])
			i++
		}
	}
	fmt.Println(out.String())
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let s = input.trim().as_bytes();
    let patterns: [&[u8]; 5] = [b"ABCD", b"BCDE", b"CDEA", b"DEAB", b"EABC"];
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        match patterns.iter().find(|p| s[i..].starts_with(p)) {
            Some(pattern) => {
                out.extend_from_slice(pattern);
                out.push(pattern[0]);
                i += pattern.len();
            }
            None => {
                out.push(s[i]);
                i += 1;
            }
        }
    }
    println!("{}", String::from_utf8(out).unwrap());
}
""",
}

# Each wrong solution resumes the scan one character after a match's start instead of after the
# whole pattern, so overlapping matches insert extra letters.
WRONG = {
    "python": ("logic", SOLUTIONS["python"].replace("i += len(pattern)", "i += 1")),
    "c": ("logic", SOLUTIONS["c"].replace("i += 4;", "i += 1;")),
    "cpp": ("logic", SOLUTIONS["cpp"].replace("i += pattern.size();", "i += 1;")),
    "java": ("logic", SOLUTIONS["java"].replace("i += pattern.length();", "i += 1;")),
    "javascript": ("logic", SOLUTIONS["javascript"].replace("i += pattern.length;", "i += 1;")),
    "go": ("logic", SOLUTIONS["go"].replace("i += len(pattern)", "i++")),
    "rust": ("logic", SOLUTIONS["rust"].replace("i += pattern.len();", "i += 1;")),
}
