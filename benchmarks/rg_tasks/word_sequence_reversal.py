"""Reverse a list of words. Input: the words on one line, separated by spaces; output: the
words in reverse order, separated by a comma and a space."""

TASK = "word_sequence_reversal"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return " ".join(entry["metadata"]["words"]) + "\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

words = sys.stdin.read().split()
words.reverse()
print(", ".join(words))
""",
    "c": """
#include <stdio.h>
int main(void) {
    char words[64][128];
    int n = 0;
    while (n < 64 && scanf("%127s", words[n]) == 1) n++;
    for (int i = n - 1; i >= 0; i--) {
        if (i != n - 1) fputs(", ", stdout);
        fputs(words[i], stdout);
    }
    putchar('\\n');
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <string>
#include <vector>
int main() {
    std::vector<std::string> words;
    std::string w;
    while (std::cin >> w) words.push_back(w);
    for (int i = (int) words.size() - 1; i >= 0; --i) {
        if (i != (int) words.size() - 1) std::cout << ", ";
        std::cout << words[i];
    }
    std::cout << "\\n";
}
""",
    "java": """
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

public class Main {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        List<String> words = new ArrayList<>(Arrays.asList(in.readLine().trim().split("\\\\s+")));
        Collections.reverse(words);
        System.out.println(String.join(", ", words));
    }
}
""",
    "javascript": """
const words = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/);
console.log(words.reverse().join(", "));
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
	line, _ := reader.ReadString('\\n')
	words := strings.Fields(line)
	for i, j := 0, len(words)-1; i < j; i, j = i+1, j-1 {
		words[i], words[j] = words[j], words[i]
	}
	fmt.Println(strings.Join(words, ", "))
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let words: Vec<&str> = input.split_whitespace().rev().collect();
    println!("{}", words.join(", "));
}
""",
}

# Each wrong solution separates the words with a bare comma, without the space.
WRONG = {language: ("format", source.replace('", "', '","'))
         for language, source in SOLUTIONS.items()}
