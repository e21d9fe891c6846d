"""Are two strings isomorphic: is there a one-to-one mapping of characters that turns the first
into the second? Input: the two strings on one line, separated by a space; output: ``True`` or
``False``."""

TASK = "isomorphic_strings"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return " ".join(entry["metadata"]["words"]) + "\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

s, t = sys.stdin.read().split()


def isomorphic(s, t):
    if len(s) != len(t):
        return False
    forward, backward = {}, {}
    for a, b in zip(s, t):
        if forward.get(a, b) != b:
            return False
        if backward.get(b, a) != a:
            return False
        forward[a] = b
        backward[b] = a
    return True


print(isomorphic(s, t))
""",
    "c": """
#include <stdio.h>
#include <string.h>

static int isomorphic(const char *s, const char *t) {
    int forward[256] = {0}, backward[256] = {0};
    size_t n = strlen(s);
    if (n != strlen(t)) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char) s[i], b = (unsigned char) t[i];
        if (forward[a] && forward[a] != b) return 0;
        if (backward[b] && backward[b] != a) return 0;
        forward[a] = b;
        backward[b] = a;
    }
    return 1;
}

int main(void) {
    char s[256], t[256];
    if (scanf("%255s %255s", s, t) != 2) return 1;
    puts(isomorphic(s, t) ? "True" : "False");
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <map>
#include <string>

static bool isomorphic(const std::string &s, const std::string &t) {
    if (s.size() != t.size()) return false;
    std::map<char, char> forward, backward;
    for (size_t i = 0; i < s.size(); ++i) {
        char a = s[i], b = t[i];
        if (forward.count(a) && forward[a] != b) return false;
        if (backward.count(b) && backward[b] != a) return false;
        forward[a] = b;
        backward[b] = a;
    }
    return true;
}

int main() {
    std::string s, t;
    std::cin >> s >> t;
    std::cout << (isomorphic(s, t) ? "True" : "False") << "\\n";
}
""",
    "java": """
import java.util.HashMap;
import java.util.Map;
import java.util.Scanner;

public class Main {
    static boolean isomorphic(String s, String t) {
        if (s.length() != t.length()) return false;
        Map<Character, Character> forward = new HashMap<>(), backward = new HashMap<>();
        for (int i = 0; i < s.length(); i++) {
            char a = s.charAt(i), b = t.charAt(i);
            if (forward.containsKey(a) && forward.get(a) != b) return false;
            if (backward.containsKey(b) && backward.get(b) != a) return false;
            forward.put(a, b);
            backward.put(b, a);
        }
        return true;
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        String s = in.next(), t = in.next();
        System.out.println(isomorphic(s, t) ? "True" : "False");
    }
}
""",
    "javascript": """
const [s, t] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/);

function isomorphic(s, t) {
  if (s.length !== t.length) return false;
  const forward = new Map(), backward = new Map();
  for (let i = 0; i < s.length; i++) {
    const a = s[i], b = t[i];
    if (forward.has(a) && forward.get(a) !== b) return false;
    if (backward.has(b) && backward.get(b) !== a) return false;
    forward.set(a, b);
    backward.set(b, a);
  }
  return true;
}

console.log(isomorphic(s, t) ? "True" : "False");
""",
    "go": """
package main

import "fmt"

func isomorphic(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	forward, backward := map[byte]byte{}, map[byte]byte{}
	for i := 0; i < len(s); i++ {
		a, b := s[i], t[i]
		if v, ok := forward[a]; ok && v != b {
			return false
		}
		if v, ok := backward[b]; ok && v != a {
			return false
		}
		forward[a] = b
		backward[b] = a
	}
	return true
}

func main() {
	var s, t string
	fmt.Scan(&s, &t)
	if isomorphic(s, t) {
		fmt.Println("True")
	} else {
		fmt.Println("False")
	}
}
""",
    "rust": """
use std::collections::HashMap;
use std::io::Read;

fn isomorphic(s: &str, t: &str) -> bool {
    let (s, t): (Vec<char>, Vec<char>) = (s.chars().collect(), t.chars().collect());
    if s.len() != t.len() {
        return false;
    }
    let mut forward: HashMap<char, char> = HashMap::new();
    let mut backward: HashMap<char, char> = HashMap::new();
    for (&a, &b) in s.iter().zip(t.iter()) {
        if forward.get(&a).map_or(false, |&v| v != b) {
            return false;
        }
        if backward.get(&b).map_or(false, |&v| v != a) {
            return false;
        }
        forward.insert(a, b);
        backward.insert(b, a);
    }
    true
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let words: Vec<&str> = input.split_whitespace().collect();
    println!("{}", if isomorphic(words[0], words[1]) { "True" } else { "False" });
}
""",
}

# Each wrong solution forgets that a character of the first string may not map to two different
# characters: it only checks the mapping back from the second string.
_FORWARD = {
    "python": "        if forward.get(a, b) != b:\n            return False\n",
    "c": "        if (forward[a] && forward[a] != b) return 0;\n",
    "cpp": "        if (forward.count(a) && forward[a] != b) return false;\n",
    "java": "            if (forward.containsKey(a) && forward.get(a) != b) return false;\n",
    "javascript": "    if (forward.has(a) && forward.get(a) !== b) return false;\n",
    "go": "\t\tif v, ok := forward[a]; ok && v != b {\n\t\t\treturn false\n\t\t}\n",
    "rust": "        if forward.get(&a).map_or(false, |&v| v != b) {\n            return false;\n"
            "        }\n",
}
WRONG = {language: ("logic", source.replace(_FORWARD[language], ""))
         for language, source in SOLUTIONS.items()}
