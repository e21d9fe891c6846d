"""Rewrite a string over a-c with an ordered subset of 20 fixed rules (numbered as in
reasoning-gym's list): apply the first applicable rule, repeat until none applies or a state
repeats (then keep the state before it). Input: the string, then the rule count and the rule
numbers in order; output: the final string."""

from reasoning_gym.algorithmic.string_manipulation import (
    StringManipulationConfig,
    StringManipulationDataset,
)

TASK = "string_manipulation"
CONFIG: dict[str, object] = {"min_string_length": 10, "max_string_length": 30,
                             "min_num_rules": 8, "max_num_rules": 20}
_TEXTS = [text for text, _ in StringManipulationDataset(StringManipulationConfig()).rules]


def stdin(entry: dict) -> str:
    ids = [_TEXTS.index(text) + 1 for text in entry["metadata"]["selected_rules"]]
    return f"{entry['metadata']['string']}\n{len(ids)} " + " ".join(map(str, ids)) + "\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

RULES = {
    1: lambda s: "ca" + s[2:] if s.startswith("ab") else None,
    2: lambda s: s[:-2] + "cb" if s.endswith("ac") else None,
    3: lambda s: s[2:] + "aa" if s.startswith("bc") else None,
    4: lambda s: s[:-2] if s.endswith("bb") else None,
    5: lambda s: "aa" + s[2:-1] if s.startswith("cb") else None,
    6: lambda s: "bb" + s[2:] + "c" if s.startswith("ca") else None,
    7: lambda s: "a" + s[:-2] + "b" if s.endswith("cc") else None,
    8: lambda s: s[1:] if s.startswith("aa") else None,
    9: lambda s: s.replace("abc", "cab", 1) if "abc" in s else None,
    10: lambda s: s.replace("bca", "", 1) if "bca" in s else None,
    11: lambda s: s[:-2] + "ab" if s.endswith("ba") else None,
    12: lambda s: s[2:] if s.startswith("cc") else None,
    13: lambda s: s.replace("acb", "bca", 1) if "acb" in s else None,
    14: lambda s: s[:-1] if s.endswith("ca") else None,
    15: lambda s: s[0] + s[2:] if s.startswith("bb") else None,
    16: lambda s: s[:-2] + "cc" if s.endswith("aa") else None,
    17: lambda s: s[:i] + s[i + 2:] if (i := s.find("ca", 1)) != -1 else None,
    18: lambda s: s + "ab" if s.count("b") > 0 and s.count("b") % 2 == 0 else None,
    19: lambda s: s[:len(s) // 2] + s[len(s) // 2 + 1:] if len(s) > 15 else None,
    20: lambda s: "zz" + s[2:] if s.startswith("ac") else None,
}

lines = sys.stdin.read().split("\\n")
s = lines[0].strip()
rules = list(map(int, lines[1].split()))[1:]
seen = {s}
while True:
    new = next((r for r in (RULES[i](s) for i in rules) if r is not None), None)
    if new is None or new in seen:
        break
    seen.add(new)
    s = new
print(s)
""",
    "c": """
#include <stdio.h>
#include <string.h>
#define L 4096
static char seen[2048][L];
static int nseen = 0;
static int starts(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }
static int ends(const char *s, const char *p) {
    size_t n = strlen(s), m = strlen(p);
    return n >= m && strcmp(s + n - m, p) == 0;
}
static int apply(int id, const char *s, char *o) {
    size_t n = strlen(s);
    const char *f;
    switch (id) {
    case 1: if (!starts(s, "ab")) return 0; sprintf(o, "ca%s", s + 2); return 1;
    case 2: if (!ends(s, "ac")) return 0; sprintf(o, "%.*scb", (int) n - 2, s); return 1;
    case 3: if (!starts(s, "bc")) return 0; sprintf(o, "%saa", s + 2); return 1;
    case 4: if (!ends(s, "bb")) return 0; sprintf(o, "%.*s", (int) n - 2, s); return 1;
    case 5: if (!starts(s, "cb")) return 0; sprintf(o, "aa%.*s", (int) n - 3, s + 2); return 1;
    case 6: if (!starts(s, "ca")) return 0; sprintf(o, "bb%sc", s + 2); return 1;
    case 7: if (!ends(s, "cc")) return 0; sprintf(o, "a%.*sb", (int) n - 2, s); return 1;
    case 8: if (!starts(s, "aa")) return 0; strcpy(o, s + 1); return 1;
    case 9:
        if (!(f = strstr(s, "abc"))) return 0;
        sprintf(o, "%.*scab%s", (int) (f - s), s, f + 3); return 1;
    case 10:
        if (!(f = strstr(s, "bca"))) return 0;
        sprintf(o, "%.*s%s", (int) (f - s), s, f + 3); return 1;
    case 11: if (!ends(s, "ba")) return 0; sprintf(o, "%.*sab", (int) n - 2, s); return 1;
    case 12: if (!starts(s, "cc")) return 0; strcpy(o, s + 2); return 1;
    case 13:
        if (!(f = strstr(s, "acb"))) return 0;
        sprintf(o, "%.*sbca%s", (int) (f - s), s, f + 3); return 1;
    case 14: if (!ends(s, "ca")) return 0; sprintf(o, "%.*s", (int) n - 1, s); return 1;
    case 15: if (!starts(s, "bb")) return 0; sprintf(o, "%c%s", s[0], s + 2); return 1;
    case 16: if (!ends(s, "aa")) return 0; sprintf(o, "%.*scc", (int) n - 2, s); return 1;
    case 17:
        if (n < 1 || !(f = strstr(s + 1, "ca"))) return 0;
        sprintf(o, "%.*s%s", (int) (f - s), s, f + 2); return 1;
    case 18: {
        int b = 0;
        for (size_t i = 0; i < n; i++) b += s[i] == 'b';
        if (b == 0 || b % 2 != 0) return 0;
        sprintf(o, "%sab", s); return 1;
    }
    case 19:
        if (!(n > 15)) return 0;
        sprintf(o, "%.*s%s", (int) (n / 2), s, s + n / 2 + 1); return 1;
    case 20: if (!starts(s, "ac")) return 0; sprintf(o, "zz%s", s + 2); return 1;
    }
    return 0;
}
int main(void) {
    static char s[L], o[L];
    int k, rules[32];
    if (scanf("%4095s %d", s, &k) != 2) return 1;
    for (int i = 0; i < k; i++)
        if (scanf("%d", &rules[i]) != 1) return 1;
    strcpy(seen[nseen++], s);
    for (;;) {
        int applied = 0;
        for (int i = 0; i < k && !applied; i++) applied = apply(rules[i], s, o);
        if (!applied) break;
        int repeated = 0;
        for (int i = 0; i < nseen; i++)
            if (strcmp(seen[i], o) == 0) repeated = 1;
        if (repeated) break;
        strcpy(seen[nseen++], o);
        strcpy(s, o);
    }
    printf("%s\\n", s);
    return 0;
}
""",
    "cpp": """
#include <algorithm>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>
using std::string;
bool starts(const string &s, const string &p) { return s.rfind(p, 0) == 0; }
bool ends(const string &s, const string &p) {
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}
std::optional<string> replace_first(const string &s, const string &p, const string &r,
                                    size_t from) {
    size_t f = s.find(p, from);
    if (f == string::npos) return std::nullopt;
    return s.substr(0, f) + r + s.substr(f + p.size());
}
std::optional<string> apply(int id, const string &s) {
    size_t n = s.size();
    switch (id) {
    case 1: if (starts(s, "ab")) return "ca" + s.substr(2); break;
    case 2: if (ends(s, "ac")) return s.substr(0, n - 2) + "cb"; break;
    case 3: if (starts(s, "bc")) return s.substr(2) + "aa"; break;
    case 4: if (ends(s, "bb")) return s.substr(0, n - 2); break;
    case 5: if (starts(s, "cb")) return "aa" + s.substr(2, n - 3); break;
    case 6: if (starts(s, "ca")) return "bb" + s.substr(2) + "c"; break;
    case 7: if (ends(s, "cc")) return "a" + s.substr(0, n - 2) + "b"; break;
    case 8: if (starts(s, "aa")) return s.substr(1); break;
    case 9: return replace_first(s, "abc", "cab", 0);
    case 10: return replace_first(s, "bca", "", 0);
    case 11: if (ends(s, "ba")) return s.substr(0, n - 2) + "ab"; break;
    case 12: if (starts(s, "cc")) return s.substr(2); break;
    case 13: return replace_first(s, "acb", "bca", 0);
    case 14: if (ends(s, "ca")) return s.substr(0, n - 1); break;
    case 15: if (starts(s, "bb")) return s.substr(0, 1) + s.substr(2); break;
    case 16: if (ends(s, "aa")) return s.substr(0, n - 2) + "cc"; break;
    case 17: return replace_first(s, "ca", "", 1);
    case 18: {
        long b = std::count(s.begin(), s.end(), 'b');
        if (b > 0 && b % 2 == 0) return s + "ab";
        break;
    }
    case 19: if (n > 15) return s.substr(0, n / 2) + s.substr(n / 2 + 1); break;
    case 20: if (starts(s, "ac")) return "zz" + s.substr(2); break;
    }
    return std::nullopt;
}
int main() {
    string s;
    int k;
    std::cin >> s >> k;
    std::vector<int> rules(k);
    for (int &r : rules) std::cin >> r;
    std::set<string> seen{s};
    for (;;) {
        std::optional<string> next;
        for (int r : rules)
            if ((next = apply(r, s))) break;
        if (!next || seen.count(*next)) break;
        seen.insert(*next);
        s = *next;
    }
    std::cout << s << "\\n";
}
""",
    "java": """
import java.util.HashSet;
import java.util.Scanner;
import java.util.Set;

public class Main {
    static String apply(int id, String s) {
        int n = s.length(), f;
        switch (id) {
            case 1: return s.startsWith("ab") ? "ca" + s.substring(2) : null;
            case 2: return s.endsWith("ac") ? s.substring(0, n - 2) + "cb" : null;
            case 3: return s.startsWith("bc") ? s.substring(2) + "aa" : null;
            case 4: return s.endsWith("bb") ? s.substring(0, n - 2) : null;
            case 5: return s.startsWith("cb") ? "aa" + s.substring(2, Math.max(2, n - 1)) : null;
            case 6: return s.startsWith("ca") ? "bb" + s.substring(2) + "c" : null;
            case 7: return s.endsWith("cc") ? "a" + s.substring(0, n - 2) + "b" : null;
            case 8: return s.startsWith("aa") ? s.substring(1) : null;
            case 9:
                f = s.indexOf("abc");
                return f >= 0 ? s.substring(0, f) + "cab" + s.substring(f + 3) : null;
            case 10:
                f = s.indexOf("bca");
                return f >= 0 ? s.substring(0, f) + s.substring(f + 3) : null;
            case 11: return s.endsWith("ba") ? s.substring(0, n - 2) + "ab" : null;
            case 12: return s.startsWith("cc") ? s.substring(2) : null;
            case 13:
                f = s.indexOf("acb");
                return f >= 0 ? s.substring(0, f) + "bca" + s.substring(f + 3) : null;
            case 14: return s.endsWith("ca") ? s.substring(0, n - 1) : null;
            case 15: return s.startsWith("bb") ? s.charAt(0) + s.substring(2) : null;
            case 16: return s.endsWith("aa") ? s.substring(0, n - 2) + "cc" : null;
            case 17:
                f = n > 0 ? s.indexOf("ca", 1) : -1;
                return f >= 0 ? s.substring(0, f) + s.substring(f + 2) : null;
            case 18: {
                long b = s.chars().filter(ch -> ch == 'b').count();
                return b > 0 && b % 2 == 0 ? s + "ab" : null;
            }
            case 19: return n > 15 ? s.substring(0, n / 2) + s.substring(n / 2 + 1) : null;
            case 20: return s.startsWith("ac") ? "zz" + s.substring(2) : null;
            default: return null;
        }
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        String s = in.next();
        int k = in.nextInt();
        int[] rules = new int[k];
        for (int i = 0; i < k; i++) rules[i] = in.nextInt();
        Set<String> seen = new HashSet<>();
        seen.add(s);
        while (true) {
            String next = null;
            for (int r : rules) {
                next = apply(r, s);
                if (next != null) break;
            }
            if (next == null || !seen.add(next)) break;
            s = next;
        }
        System.out.println(s);
    }
}
""",
    "javascript": """
const [s0, k, ...rest] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/);
const rules = rest.slice(0, Number(k)).map(Number);
const count = (s, ch) => [...s].filter((c) => c === ch).length;
const replaceFirst = (s, p, r) => (s.includes(p) ? s.replace(p, r) : null);
const RULES = {
  1: (s) => (s.startsWith("ab") ? "ca" + s.slice(2) : null),
  2: (s) => (s.endsWith("ac") ? s.slice(0, -2) + "cb" : null),
  3: (s) => (s.startsWith("bc") ? s.slice(2) + "aa" : null),
  4: (s) => (s.endsWith("bb") ? s.slice(0, -2) : null),
  5: (s) => (s.startsWith("cb") ? "aa" + s.slice(2, -1) : null),
  6: (s) => (s.startsWith("ca") ? "bb" + s.slice(2) + "c" : null),
  7: (s) => (s.endsWith("cc") ? "a" + s.slice(0, -2) + "b" : null),
  8: (s) => (s.startsWith("aa") ? s.slice(1) : null),
  9: (s) => replaceFirst(s, "abc", "cab"),
  10: (s) => replaceFirst(s, "bca", ""),
  11: (s) => (s.endsWith("ba") ? s.slice(0, -2) + "ab" : null),
  12: (s) => (s.startsWith("cc") ? s.slice(2) : null),
  13: (s) => replaceFirst(s, "acb", "bca"),
  14: (s) => (s.endsWith("ca") ? s.slice(0, -1) : null),
  15: (s) => (s.startsWith("bb") ? s[0] + s.slice(2) : null),
  16: (s) => (s.endsWith("aa") ? s.slice(0, -2) + "cc" : null),
  17: (s) => {
    const i = s.indexOf("ca", 1);
    return i >= 1 ? s.slice(0, i) + s.slice(i + 2) : null;
  },
  18: (s) => (count(s, "b") > 0 && count(s, "b") % 2 === 0 ? s + "ab" : null),
  19: (s) => {
    const h = Math.floor(s.length / 2);
    return s.length > 15 ? s.slice(0, h) + s.slice(h + 1) : null;
  },
  20: (s) => (s.startsWith("ac") ? "zz" + s.slice(2) : null),
};
let s = s0;
const seen = new Set([s]);
for (;;) {
  let next = null;
  for (const r of rules) {
    next = RULES[r](s);
    if (next !== null) break;
  }
  if (next === null || seen.has(next)) break;
  seen.add(next);
  s = next;
}
console.log(s);
""",
    "go": """
package main

import (
	"fmt"
	"strings"
)

func apply(id int, s string) (string, bool) {
	n := len(s)
	switch id {
	case 1:
		if strings.HasPrefix(s, "ab") {
			return "ca" + s[2:], true
		}
	case 2:
		if strings.HasSuffix(s, "ac") {
			return s[:n-2] + "cb", true
		}
	case 3:
		if strings.HasPrefix(s, "bc") {
			return s[2:] + "aa", true
		}
	case 4:
		if strings.HasSuffix(s, "bb") {
			return s[:n-2], true
		}
	case 5:
		if strings.HasPrefix(s, "cb") {
			if n == 2 {
				return "aa", true
			}
			return "aa" + s[2:n-1], true
		}
	case 6:
		if strings.HasPrefix(s, "ca") {
			return "bb" + s[2:] + "c", true
		}
	case 7:
		if strings.HasSuffix(s, "cc") {
			return "a" + s[:n-2] + "b", true
		}
	case 8:
		if strings.HasPrefix(s, "aa") {
			return s[1:], true
		}
	case 9:
		if strings.Contains(s, "abc") {
			return strings.Replace(s, "abc", "cab", 1), true
		}
	case 10:
		if strings.Contains(s, "bca") {
			return strings.Replace(s, "bca", "", 1), true
		}
	case 11:
		if strings.HasSuffix(s, "ba") {
			return s[:n-2] + "ab", true
		}
	case 12:
		if strings.HasPrefix(s, "cc") {
			return s[2:], true
		}
	case 13:
		if strings.Contains(s, "acb") {
			return strings.Replace(s, "acb", "bca", 1), true
		}
	case 14:
		if strings.HasSuffix(s, "ca") {
			return s[:n-1], true
		}
	case 15:
		if strings.HasPrefix(s, "bb") {
			return s[:1] + s[2:], true
		}
	case 16:
		if strings.HasSuffix(s, "aa") {
			return s[:n-2] + "cc", true
		}
	case 17:
		if n > 1 {
			if i := strings.Index(s[1:], "ca"); i >= 0 {
				return s[:i+1] + s[i+3:], true
			}
		}
	case 18:
		if b := strings.Count(s, "b"); b > 0 && b%2 == 0 {
			return s + "ab", true
		}
	case 19:
		if n > 15 {
			return s[:n/2] + s[n/2+1:], true
		}
	case 20:
		if strings.HasPrefix(s, "ac") {
			return "zz" + s[2:], true
		}
	}
	return "", false
}

func main() {
	var s string
	var k int
	fmt.Scan(&s, &k)
	rules := make([]int, k)
	for i := range rules {
		fmt.Scan(&rules[i])
	}
	seen := map[string]bool{s: true}
	for {
		next, ok := "", false
		for _, r := range rules {
			if next, ok = apply(r, s); ok {
				break
			}
		}
		if !ok || seen[next] {
			break
		}
		seen[next] = true
		s = next
	}
	fmt.Println(s)
}
""",
    "rust": """
use std::collections::HashSet;
use std::io::Read;

fn apply(id: u32, s: &str) -> Option<String> {
    let n = s.len();
    match id {
        1 if s.starts_with("ab") => Some(format!("ca{}", &s[2..])),
        2 if s.ends_with("ac") => Some(format!("{}cb", &s[..n - 2])),
        3 if s.starts_with("bc") => Some(format!("{}aa", &s[2..])),
        4 if s.ends_with("bb") => Some(s[..n - 2].to_string()),
        5 if s.starts_with("cb") => Some(format!("aa{}", &s[2..(n - 1).max(2)])),
        6 if s.starts_with("ca") => Some(format!("bb{}c", &s[2..])),
        7 if s.ends_with("cc") => Some(format!("a{}b", &s[..n - 2])),
        8 if s.starts_with("aa") => Some(s[1..].to_string()),
        9 if s.contains("abc") => Some(s.replacen("abc", "cab", 1)),
        10 if s.contains("bca") => Some(s.replacen("bca", "", 1)),
        11 if s.ends_with("ba") => Some(format!("{}ab", &s[..n - 2])),
        12 if s.starts_with("cc") => Some(s[2..].to_string()),
        13 if s.contains("acb") => Some(s.replacen("acb", "bca", 1)),
        14 if s.ends_with("ca") => Some(s[..n - 1].to_string()),
        15 if s.starts_with("bb") => Some(format!("{}{}", &s[..1], &s[2..])),
        16 if s.ends_with("aa") => Some(format!("{}cc", &s[..n - 2])),
        17 if n > 1 && s[1..].contains("ca") => {
            let i = s[1..].find("ca").unwrap() + 1;
            Some(format!("{}{}", &s[..i], &s[i + 2..]))
        }
        18 => {
            let b = s.matches('b').count();
            if b > 0 && b % 2 == 0 { Some(format!("{}ab", s)) } else { None }
        }
        19 if n > 15 => Some(format!("{}{}", &s[..n / 2], &s[n / 2 + 1..])),
        20 if s.starts_with("ac") => Some(format!("zz{}", &s[2..])),
        _ => None,
    }
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace();
    let mut s = tokens.next().unwrap().to_string();
    let k: usize = tokens.next().unwrap().parse().unwrap();
    let rules: Vec<u32> = tokens.take(k).map(|t| t.parse().unwrap()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(s.clone());
    loop {
        let next = rules.iter().find_map(|&r| apply(r, &s));
        match next {
            Some(t) if !seen.contains(&t) => {
                seen.insert(t.clone());
                s = t;
            }
            _ => break,
        }
    }
    println!("{}", s);
}
""",
}

# Each wrong solution removes the middle character from strings of length 15 too (``>= 15``).
WRONG = {
    "python": ("off_by_one", SOLUTIONS["python"].replace("if len(s) > 15", "if len(s) >= 15")),
    "c": ("off_by_one", SOLUTIONS["c"].replace("if (!(n > 15))", "if (!(n >= 15))")),
    "cpp": ("off_by_one", SOLUTIONS["cpp"].replace("if (n > 15)", "if (n >= 15)")),
    "java": ("off_by_one", SOLUTIONS["java"].replace("return n > 15 ?", "return n >= 15 ?")),
    "javascript": ("off_by_one",
                   SOLUTIONS["javascript"].replace("s.length > 15", "s.length >= 15")),
    "go": ("off_by_one", SOLUTIONS["go"].replace("if n > 15 {", "if n >= 15 {")),
    "rust": ("off_by_one", SOLUTIONS["rust"].replace("19 if n > 15", "19 if n >= 15")),
}
