"""Can the ransom note be built from the magazine's letters, each letter used at most once?
Input: the note on the first line, the magazine on the second (lowercase letters); output:
``True`` or ``False``."""

TASK = "ransom_note"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['ransom_note']}\n{entry['metadata']['magazine']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys
from collections import Counter

note, magazine = sys.stdin.read().split()
have = Counter(magazine)
ok = all(have[ch] >= n for ch, n in Counter(note).items())
print("True" if ok else "False")
""",
    "c": """
#include <stdio.h>
int main(void) {
    char note[256], magazine[256];
    if (scanf("%255s %255s", note, magazine) != 2) return 1;
    int have[26] = {0};
    for (char *p = magazine; *p; p++) have[*p - 'a']++;
    int ok = 1;
    for (char *p = note; *p; p++)
        if (--have[*p - 'a'] < 0) ok = 0;
    puts(ok ? "True" : "False");
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <string>
int main() {
    std::string note, magazine;
    std::cin >> note >> magazine;
    int have[26] = {0};
    for (char ch : magazine) have[ch - 'a']++;
    bool ok = true;
    for (char ch : note)
        if (--have[ch - 'a'] < 0) ok = false;
    std::cout << (ok ? "True" : "False") << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        String note = in.next(), magazine = in.next();
        int[] have = new int[26];
        for (char ch : magazine.toCharArray()) have[ch - 'a']++;
        boolean ok = true;
        for (char ch : note.toCharArray())
            if (--have[ch - 'a'] < 0) ok = false;
        System.out.println(ok ? "True" : "False");
    }
}
""",
    "javascript": """
const [note, magazine] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/);
const have = new Array(26).fill(0);
for (const ch of magazine) have[ch.charCodeAt(0) - 97]++;
let ok = true;
for (const ch of note)
  if (--have[ch.charCodeAt(0) - 97] < 0) ok = false;
console.log(ok ? "True" : "False");
""",
    "go": """
package main

import "fmt"

func main() {
	var note, magazine string
	fmt.Scan(&note, &magazine)
	have := make([]int, 26)
	for _, ch := range magazine {
		have[ch-'a']++
	}
	ok := true
	for _, ch := range note {
		have[ch-'a']--
		if have[ch-'a'] < 0 {
			ok = false
		}
	}
	if ok {
		fmt.Println("True")
	} else {
		fmt.Println("False")
	}
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let words: Vec<&str> = input.split_whitespace().collect();
    let (note, magazine) = (words[0], words[1]);
    let mut have = [0i32; 26];
    for b in magazine.bytes() {
        have[(b - b'a') as usize] += 1;
    }
    let mut ok = true;
    for b in note.bytes() {
        have[(b - b'a') as usize] -= 1;
        if have[(b - b'a') as usize] < 0 {
            ok = false;
        }
    }
    println!("{}", if ok { "True" } else { "False" });
}
""",
}

# Each wrong solution prints the boolean in lower case (true/false), the format of C-like languages.
WRONG = {
    "python": ("format", SOLUTIONS["python"].replace('print("True" if ok else "False")',
                                                     "print(str(ok).lower())")),
    "c": ("format", SOLUTIONS["c"].replace('"True" : "False"', '"true" : "false"')),
    "cpp": ("format", SOLUTIONS["cpp"].replace('(ok ? "True" : "False")', "std::boolalpha << ok")),
    "java": ("format", SOLUTIONS["java"].replace('ok ? "True" : "False"', "ok")),
    "javascript": ("format", SOLUTIONS["javascript"].replace('ok ? "True" : "False"', "ok")),
    "go": ("format", SOLUTIONS["go"].replace('if ok {\n\t\tfmt.Println("True")\n\t} else {\n'
                                             '\t\tfmt.Println("False")\n\t}', "fmt.Println(ok)")),
    "rust": ("format", SOLUTIONS["rust"].replace('if ok { "True" } else { "False" }', "ok")),
}
