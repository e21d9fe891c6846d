"""How many times a letter occurs in a text, upper and lower case alike. Input: the (lowercase)
letter on the first line, the text on the second; output: the count."""

TASK = "letter_counting"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['target_letter']}\n" + " ".join(entry["metadata"]["span"]) + "\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

letter = sys.stdin.readline().strip()
text = sys.stdin.readline()
print(sum(1 for ch in text if ch.lower() == letter))
""",
    "c": """
#include <ctype.h>
#include <stdio.h>
int main(void) {
    char letter[8], text[4096];
    if (scanf("%7s ", letter) != 1) return 1;
    if (!fgets(text, sizeof text, stdin)) return 1;
    int count = 0;
    for (char *p = text; *p; p++)
        if (tolower((unsigned char) *p) == letter[0]) count++;
    printf("%d\\n", count);
    return 0;
}
""",
    "cpp": """
#include <cctype>
#include <iostream>
#include <string>
int main() {
    std::string letter, text;
    std::getline(std::cin, letter);
    std::getline(std::cin, text);
    int count = 0;
    for (char ch : text)
        if (std::tolower((unsigned char) ch) == letter[0]) ++count;
    std::cout << count << "\\n";
}
""",
    "java": """
import java.io.BufferedReader;
import java.io.InputStreamReader;

public class Main {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        char letter = in.readLine().trim().charAt(0);
        String text = in.readLine();
        int count = 0;
        for (char ch : text.toCharArray())
            if (Character.toLowerCase(ch) == letter) count++;
        System.out.println(count);
    }
}
""",
    "javascript": """
const [letter, text] = require("fs").readFileSync(0, "utf8").split("\\n");
let count = 0;
for (const ch of text) {
  if (ch.toLowerCase() === letter.trim()) count++;
}
console.log(count);
""",
    "go": """
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	reader := bufio.NewReader(os.Stdin)
	letterLine, _ := reader.ReadString('\\n')
	text, _ := reader.ReadString('\\n')
	letter := []rune(strings.TrimSpace(letterLine))[0]
	count := 0
	for _, ch := range strings.ToLower(text) {
		if ch == letter {
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
    let mut lines = input.lines();
    let letter = lines.next().unwrap().trim().chars().next().unwrap();
    let text = lines.next().unwrap_or("");
    let count = text.chars().filter(|ch| ch.to_ascii_lowercase() == letter).count();
    println!("{}", count);
}
""",
}

# Each wrong solution compares case-sensitively and misses the capital letters.
WRONG = {
    "python": ("logic", SOLUTIONS["python"].replace("ch.lower() == letter", "ch == letter")),
    "c": ("logic", SOLUTIONS["c"].replace("tolower((unsigned char) *p)", "*p")),
    "cpp": ("logic", SOLUTIONS["cpp"].replace("std::tolower((unsigned char) ch)", "ch")),
    "java": ("logic", SOLUTIONS["java"].replace("Character.toLowerCase(ch)", "ch")),
    "javascript": ("logic", SOLUTIONS["javascript"].replace("ch.toLowerCase()", "ch")),
    "go": ("logic", SOLUTIONS["go"].replace("strings.ToLower(text)", "text")),
    "rust": ("logic", SOLUTIONS["rust"].replace("ch.to_ascii_lowercase()", "*ch")),
}
