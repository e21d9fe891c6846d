"""Filter a list of decimal numbers against a threshold: keep or remove those strictly larger or
smaller than it. Input: the operation (``keep_larger``, ``keep_smaller``, ``remove_larger`` or
``remove_smaller``) and the threshold on the first line, the numbers on the second; output: the
numbers left, in order and written as given, separated by spaces (an empty line if none)."""

import ast

TASK = "number_filtering"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    meta = entry["metadata"]
    numbers = " ".join(meta["original_numbers"])
    return f"{meta['operation']} {meta['filter_value']}\n{numbers}\n"


def stdout(entry: dict) -> str:
    return " ".join(ast.literal_eval(entry["answer"])) + "\n"


SOLUTIONS = {
    "python": """
import sys

lines = sys.stdin.read().splitlines()
operation, threshold = lines[0].split()
limit = float(threshold)
keep, side = operation.split("_")
kept = []
for token in lines[1].split():
    larger = float(token) > limit if side == "larger" else float(token) < limit
    if larger == (keep == "keep"):
        kept.append(token)
print(" ".join(kept))
""",
    "c": """
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    char operation[32], token[64];
    double limit;
    if (scanf("%31s %lf", operation, &limit) != 2) return 1;
    int keep = strncmp(operation, "keep", 4) == 0;
    int larger = strstr(operation, "larger") != NULL;
    const char *sep = "";
    while (scanf("%63s", token) == 1) {
        double x = strtod(token, NULL);
        int hit = larger ? x > limit : x < limit;
        if (hit == keep) {
            printf("%s%s", sep, token);
            sep = " ";
        }
    }
    printf("\\n");
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <string>
#include <vector>
int main() {
    std::string operation, token;
    double limit;
    std::cin >> operation >> limit;
    bool keep = operation.rfind("keep", 0) == 0;
    bool larger = operation.find("larger") != std::string::npos;
    std::vector<std::string> kept;
    while (std::cin >> token) {
        double x = std::stod(token);
        bool hit = larger ? x > limit : x < limit;
        if (hit == keep) kept.push_back(token);
    }
    for (size_t i = 0; i < kept.size(); ++i) std::cout << (i ? " " : "") << kept[i];
    std::cout << "\\n";
}
""",
    "java": """
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

public class Main {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String[] head = in.readLine().trim().split("\\\\s+");
        String operation = head[0];
        double limit = Double.parseDouble(head[1]);
        boolean keep = operation.startsWith("keep");
        boolean larger = operation.endsWith("larger");
        String line = in.readLine();
        List<String> kept = new ArrayList<>();
        for (String token : line.trim().split("\\\\s+")) {
            if (token.isEmpty()) continue;
            double x = Double.parseDouble(token);
            boolean hit = larger ? x > limit : x < limit;
            if (hit == keep) kept.add(token);
        }
        System.out.println(String.join(" ", kept));
    }
}
""",
    "javascript": """
const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const [operation, threshold] = lines[0].trim().split(/\\s+/);
const limit = Number(threshold);
const keep = operation.startsWith("keep");
const larger = operation.endsWith("larger");
const kept = lines[1].trim().split(/\\s+/).filter((token) => {
  const x = Number(token);
  const hit = larger ? x > limit : x < limit;
  return hit === keep;
});
console.log(kept.join(" "));
""",
    "go": """
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	reader := bufio.NewReader(os.Stdin)
	var operation string
	var limit float64
	fmt.Fscan(reader, &operation, &limit)
	keep := strings.HasPrefix(operation, "keep")
	larger := strings.HasSuffix(operation, "larger")
	kept := []string{}
	for {
		var token string
		if _, err := fmt.Fscan(reader, &token); err != nil {
			break
		}
		x, _ := strconv.ParseFloat(token, 64)
		var hit bool
		if larger {
			hit = x > limit
		} else {
			hit = x < limit
		}
		if hit == keep {
			kept = append(kept, token)
		}
	}
	fmt.Println(strings.Join(kept, " "))
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace();
    let operation = tokens.next().unwrap();
    let limit: f64 = tokens.next().unwrap().parse().unwrap();
    let keep = operation.starts_with("keep");
    let larger = operation.ends_with("larger");
    let kept: Vec<&str> = tokens
        .filter(|token| {
            let x: f64 = token.parse().unwrap();
            let hit = if larger { x > limit } else { x < limit };
            hit == keep
        })
        .collect();
    println!("{}", kept.join(" "));
}
""",
}

# Python, JavaScript and Go compare the numbers as strings (lexicographically); the others
# forget the remove operations and always keep the numbers that pass the comparison.
WRONG = {
    "python": ("logic", SOLUTIONS["python"].replace("limit = float(threshold)", "limit = threshold")
               .replace("float(token) > limit if", "token > limit if")
               .replace("else float(token) < limit", "else token < limit")),
    "c": ("logic", SOLUTIONS["c"].replace("if (hit == keep)", "if (hit)")),
    "cpp": ("logic", SOLUTIONS["cpp"].replace("if (hit == keep)", "if (hit)")),
    "java": ("logic", SOLUTIONS["java"].replace("if (hit == keep)", "if (hit)")),
    "javascript": ("logic", SOLUTIONS["javascript"].replace("const limit = Number(threshold);",
                                                            "const limit = threshold;")
                   .replace("const x = Number(token);", "const x = token;")),
    "go": ("logic", SOLUTIONS["go"].replace("if hit == keep {", "if hit {")),
    "rust": ("logic", SOLUTIONS["rust"].replace("hit == keep\n", "hit\n")),
}
