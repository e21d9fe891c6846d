"""All ways to cut a lower-case string into palindromes. Input: the string; output: one
partition per line, its parts separated by spaces, the partitions ordered by their part lengths
compared left to right, shorter first (the order of a backtracking search trying short parts
first)."""

import json

TASK = "palindrome_partitioning"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['string']}\n"


def stdout(entry: dict) -> str:
    partitions = sorted(json.loads(entry["answer"]), key=lambda parts: [len(p) for p in parts])
    return "".join(" ".join(parts) + "\n" for parts in partitions)


SOLUTIONS = {
    "python": """
import sys

s = sys.stdin.read().strip()
out = []


def search(start, parts):
    if start == len(s):
        out.append(" ".join(parts))
        return
    for end in range(start + 1, len(s) + 1):
        piece = s[start:end]
        if piece == piece[::-1]:
            parts.append(piece)
            search(end, parts)
            parts.pop()


search(0, [])
print("\\n".join(out))
""",
    "c": """
#include <stdio.h>
#include <string.h>
char s[64];
int n, cuts[64], count = 0;
int palindrome(int i, int j) {
    while (i < j) if (s[i++] != s[j--]) return 0;
    return 1;
}
void search(int start) {
    if (start == n) {
        int from = 0;
        for (int k = 0; k < count; k++) {
            if (k) putchar(' ');
            fwrite(s + from, 1, cuts[k] - from, stdout);
            from = cuts[k];
        }
        putchar('\\n');
        return;
    }
    for (int end = start + 1; end <= n; end++) {
        if (!palindrome(start, end - 1)) continue;
        cuts[count++] = end;
        search(end);
        count--;
    }
}
int main(void) {
    if (scanf("%63s", s) != 1) return 1;
    n = (int) strlen(s);
    search(0);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <string>
#include <vector>
std::string s;
std::vector<std::string> parts;
std::string out;
bool palindrome(const std::string &p) { return std::string(p.rbegin(), p.rend()) == p; }
void search(size_t start) {
    if (start == s.size()) {
        for (size_t k = 0; k < parts.size(); ++k) out += (k ? " " : "") + parts[k];
        out += "\\n";
        return;
    }
    for (size_t end = start + 1; end <= s.size(); ++end) {
        std::string piece = s.substr(start, end - start);
        if (!palindrome(piece)) continue;
        parts.push_back(piece);
        search(end);
        parts.pop_back();
    }
}
int main() {
    std::cin >> s;
    search(0);
    std::cout << out;
}
""",
    "java": """
import java.util.ArrayList;
import java.util.List;
import java.util.Scanner;

public class Main {
    static String s;
    static List<String> parts = new ArrayList<>();
    static StringBuilder out = new StringBuilder();

    static boolean palindrome(String p) {
        return new StringBuilder(p).reverse().toString().equals(p);
    }

    static void search(int start) {
        if (start == s.length()) {
            out.append(String.join(" ", parts)).append('\\n');
            return;
        }
        for (int end = start + 1; end <= s.length(); end++) {
            String piece = s.substring(start, end);
            if (!palindrome(piece)) continue;
            parts.add(piece);
            search(end);
            parts.remove(parts.size() - 1);
        }
    }

    public static void main(String[] args) {
        s = new Scanner(System.in).next();
        search(0);
        System.out.print(out);
    }
}
""",
    "javascript": """
const s = require("fs").readFileSync(0, "utf8").trim();
const out = [];
const parts = [];
function search(start) {
  if (start === s.length) {
    out.push(parts.join(" "));
    return;
  }
  for (let end = start + 1; end <= s.length; end++) {
    const piece = s.slice(start, end);
    if (piece !== [...piece].reverse().join("")) continue;
    parts.push(piece);
    search(end);
    parts.pop();
  }
}
search(0);
console.log(out.join("\\n"));
""",
    "go": """
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

var s string
var parts []string
var out = bufio.NewWriter(os.Stdout)

func palindrome(p string) bool {
	for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
		if p[i] != p[j] {
			return false
		}
	}
	return true
}

func search(start int) {
	if start == len(s) {
		fmt.Fprintln(out, strings.Join(parts, " "))
		return
	}
	for end := start + 1; end <= len(s); end++ {
		piece := s[start:end]
		if !palindrome(piece) {
			continue
		}
		parts = append(parts, piece)
		search(end)
		parts = parts[:len(parts)-1]
	}
}

func main() {
	defer out.Flush()
	fmt.Scan(&s)
	search(0)
}
""",
    "rust": """
use std::io::Read;

fn search(s: &[u8], start: usize, parts: &mut Vec<String>, out: &mut String) {
    if start == s.len() {
        out.push_str(&parts.join(" "));
        out.push('\\n');
        return;
    }
    for end in start + 1..=s.len() {
        let piece = &s[start..end];
        if !piece.iter().eq(piece.iter().rev()) {
            continue;
        }
        parts.push(String::from_utf8(piece.to_vec()).unwrap());
        search(s, end, parts, out);
        parts.pop();
    }
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let s = input.trim().as_bytes();
    let mut out = String::new();
    search(s, 0, &mut Vec::new(), &mut out);
    print!("{}", out);
}
""",
}

WRONG = {
    # Tries long parts first: the right partitions in the wrong order.
    "python": ("logic", SOLUTIONS["python"].replace("range(start + 1, len(s) + 1)",
                                                    "range(len(s), start, -1)")),
    # Never takes a part that reaches the end of the string.
    "c": ("off_by_one", SOLUTIONS["c"].replace("end <= n; end++", "end < n; end++")),
    # Accepts only single letters and pairs of equal letters.
    "cpp": ("logic", SOLUTIONS["cpp"].replace(
        "if (!palindrome(piece)) continue;",
        "if (!palindrome(piece) || piece.size() > 2) continue;")),
    # Prints the parts joined by commas.
    "java": ("format", SOLUTIONS["java"].replace('String.join(" ", parts)',
                                                 'String.join(",", parts)')),
    # Checks only the first and last letters of a part.
    "javascript": ("logic", SOLUTIONS["javascript"].replace(
        'if (piece !== [...piece].reverse().join("")) continue;',
        "if (piece[0] !== piece[piece.length - 1]) continue;")),
    # Skips the middle letter when comparing: the loop stops one step early.
    "go": ("off_by_one", SOLUTIONS["go"].replace("i < j; i, j = i+1, j-1",
                                                 "i < j-1; i, j = i+1, j-1")),
    # Prints only the first partition found.
    "rust": ("logic", SOLUTIONS["rust"].replace("        parts.pop();\n",
                                                "        parts.pop();\n        return;\n")),
}
