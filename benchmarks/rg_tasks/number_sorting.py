"""Sort decimal numbers by value, in ascending or descending order. Input: ``ascending`` or
``descending`` on the first line, the numbers on the second, separated by spaces; output: the
numbers as written in the input, sorted, separated by spaces."""

import ast

TASK = "number_sorting"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    meta = entry["metadata"]
    return f"{meta['direction']}\n" + " ".join(meta["original_numbers"]) + "\n"


def stdout(entry: dict) -> str:
    return " ".join(ast.literal_eval(entry["answer"])) + "\n"


SOLUTIONS = {
    "python": """
import sys

direction = sys.stdin.readline().strip()
numbers = sys.stdin.readline().split()
numbers.sort(key=float, reverse=direction == "descending")
print(" ".join(numbers))
""",
    "c": """
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int descending;

static int compare(const void *a, const void *b) {
    double x = atof((const char *) a), y = atof((const char *) b);
    int c = (x > y) - (x < y);
    return descending ? -c : c;
}

int main(void) {
    char direction[32], numbers[64][32];
    int n = 0;
    if (scanf("%31s", direction) != 1) return 1;
    descending = strcmp(direction, "descending") == 0;
    while (n < 64 && scanf("%31s", numbers[n]) == 1) n++;
    qsort(numbers, n, sizeof numbers[0], compare);
    for (int i = 0; i < n; i++) printf(i + 1 < n ? "%s " : "%s\\n", numbers[i]);
    return 0;
}
""",
    "cpp": """
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>
int main() {
    std::string direction, token;
    std::cin >> direction;
    std::vector<std::string> numbers;
    while (std::cin >> token) numbers.push_back(token);
    bool descending = direction == "descending";
    std::stable_sort(numbers.begin(), numbers.end(),
                     [&](const std::string &a, const std::string &b) {
                         double x = std::stod(a), y = std::stod(b);
                         return descending ? x > y : x < y;
                     });
    for (size_t i = 0; i < numbers.size(); ++i) std::cout << (i ? " " : "") << numbers[i];
    std::cout << "\\n";
}
""",
    "java": """
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Arrays;
import java.util.Comparator;

public class Main {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        boolean descending = in.readLine().trim().equals("descending");
        String[] numbers = in.readLine().trim().split("\\\\s+");
        Comparator<String> byValue = Comparator.comparingDouble(Double::parseDouble);
        Arrays.sort(numbers, descending ? byValue.reversed() : byValue);
        System.out.println(String.join(" ", numbers));
    }
}
""",
    "javascript": """
const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const descending = lines[0].trim() === "descending";
const numbers = lines[1].trim().split(/\\s+/);
numbers.sort((a, b) => (descending ? Number(b) - Number(a) : Number(a) - Number(b)));
console.log(numbers.join(" "));
""",
    "go": """
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

func main() {
	reader := bufio.NewReader(os.Stdin)
	first, _ := reader.ReadString('\\n')
	second, _ := reader.ReadString('\\n')
	descending := strings.TrimSpace(first) == "descending"
	numbers := strings.Fields(second)
	value := func(s string) float64 {
		v, _ := strconv.ParseFloat(s, 64)
		return v
	}
	sort.SliceStable(numbers, func(i, j int) bool {
		if descending {
			return value(numbers[i]) > value(numbers[j])
		}
		return value(numbers[i]) < value(numbers[j])
	})
	fmt.Println(strings.Join(numbers, " "))
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut lines = input.lines();
    let descending = lines.next().unwrap().trim() == "descending";
    let mut numbers: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    let value = |s: &str| s.parse::<f64>().unwrap();
    numbers.sort_by(|a, b| value(a).partial_cmp(&value(b)).unwrap());
    if descending {
        numbers.reverse();
    }
    println!("{}", numbers.join(" "));
}
""",
}

# Each wrong solution compares the numbers as strings, not by value.
WRONG = {
    "python": ("logic", SOLUTIONS["python"].replace("key=float, ", "")),
    "c": ("logic", SOLUTIONS["c"].replace(
        "double x = atof((const char *) a), y = atof((const char *) b);\n"
        "    int c = (x > y) - (x < y);",
        "int c = strcmp((const char *) a, (const char *) b);")),
    "cpp": ("logic", SOLUTIONS["cpp"].replace(
        "double x = std::stod(a), y = std::stod(b);\n"
        "                         return descending ? x > y : x < y;",
        "return descending ? a > b : a < b;")),
    "java": ("logic", SOLUTIONS["java"].replace(
        "Comparator.comparingDouble(Double::parseDouble)", "Comparator.naturalOrder()")),
    "javascript": ("logic", SOLUTIONS["javascript"].replace(
        "(descending ? Number(b) - Number(a) : Number(a) - Number(b))",
        "(descending ? b.localeCompare(a) : a.localeCompare(b))")),
    "go": ("logic", SOLUTIONS["go"].replace("value(numbers[i]) > value(numbers[j])",
                                            "numbers[i] > numbers[j]")
           .replace("value(numbers[i]) < value(numbers[j])", "numbers[i] < numbers[j]")
           .replace('\t"strconv"\n', "")
           .replace("\tvalue := func(s string) float64 {\n\t\tv, _ := strconv.ParseFloat(s, 64)\n"
                    "\t\treturn v\n\t}\n", "")),
    "rust": ("logic", SOLUTIONS["rust"].replace(
        "value(a).partial_cmp(&value(b)).unwrap()", "a.cmp(b)")
        .replace("    let value = |s: &str| s.parse::<f64>().unwrap();\n", "")),
}
