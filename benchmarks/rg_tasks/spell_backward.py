"""Spell a word backward. Input: one word on a line; output: its letters in reverse order."""

TASK = "spell_backward"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['word']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

word = sys.stdin.readline().strip()
out = []
for i in range(len(word) - 1, -1, -1):
    out.append(word[i])
print("".join(out))
""",
    "c": """
#include <stdio.h>
#include <string.h>
int main(void) {
    char word[256];
    if (scanf("%255s", word) != 1) return 1;
    int n = (int) strlen(word);
    for (int i = n - 1; i >= 0; i--) putchar(word[i]);
    putchar('\\n');
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <string>
int main() {
    std::string word, out;
    std::cin >> word;
    for (int i = (int) word.size() - 1; i >= 0; --i) out += word[i];
    std::cout << out << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        String word = new Scanner(System.in).next();
        StringBuilder out = new StringBuilder();
        for (int i = word.length() - 1; i >= 0; i--) out.append(word.charAt(i));
        System.out.println(out);
    }
}
""",
    "javascript": """
const word = require("fs").readFileSync(0, "utf8").trim();
let out = "";
for (let i = word.length - 1; i >= 0; i--) out += word[i];
console.log(out);
""",
    "go": """
package main

import "fmt"

func main() {
	var word string
	fmt.Scan(&word)
	runes := []rune(word)
	out := make([]rune, 0, len(runes))
	for i := len(runes) - 1; i >= 0; i-- {
		out = append(out, runes[i])
	}
	fmt.Println(string(out))
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let chars: Vec<char> = input.trim().chars().collect();
    let mut out = String::new();
    for i in (0..chars.len()).rev() {
        out.push(chars[i]);
    }
    println!("{}", out);
}
""",
}

# Each wrong solution stops one letter early and drops the word's first letter.
WRONG = {language: ("off_by_one", source.replace("i >= 0", "i > 0")
                    .replace("range(len(word) - 1, -1, -1)", "range(len(word) - 1, 0, -1)")
                    .replace("(0..chars.len())", "(1..chars.len())"))
         for language, source in SOLUTIONS.items()}
