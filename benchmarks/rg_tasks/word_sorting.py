"""Sort words by ASCII/Unicode order (upper case before lower case), ascending or descending.
Input: ``ascending`` or ``descending`` on the first line, the words on the second, separated by
spaces; output: the sorted words, separated by a comma and a space."""

TASK = "word_sorting"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    meta = entry["metadata"]
    return f"{meta['direction']}\n" + " ".join(meta["transformed_words"]) + "\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

direction = sys.stdin.readline().strip()
words = sys.stdin.readline().split()
words.sort(reverse=direction == "descending")
print(", ".join(words))
""",
    "c": """
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int descending;

static int compare(const void *a, const void *b) {
    int c = strcmp((const char *) a, (const char *) b);
    return descending ? -c : c;
}

int main(void) {
    char direction[32], words[64][128];
    int n = 0;
    if (scanf("%31s", direction) != 1) return 1;
    descending = strcmp(direction, "descending") == 0;
    while (n < 64 && scanf("%127s", words[n]) == 1) n++;
    qsort(words, n, sizeof words[0], compare);
    for (int i = 0; i < n; i++) printf(i + 1 < n ? "%s, " : "%s\\n", words[i]);
    return 0;
}
""",
    "cpp": """
#include <algorithm>
#include <functional>
#include <iostream>
#include <string>
#include <vector>
int main() {
    std::string direction, w;
    std::cin >> direction;
    std::vector<std::string> words;
    while (std::cin >> w) words.push_back(w);
    if (direction == "descending")
        std::sort(words.begin(), words.end(), std::greater<std::string>());
    else
        std::sort(words.begin(), words.end());
    for (size_t i = 0; i < words.size(); ++i) std::cout << (i ? ", " : "") << words[i];
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
        String[] words = in.readLine().trim().split("\\\\s+");
        Comparator<String> order = Comparator.naturalOrder();
        Arrays.sort(words, descending ? order.reversed() : order);
        System.out.println(String.join(", ", words));
    }
}
""",
    "javascript": """
const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const descending = lines[0].trim() === "descending";
const words = lines[1].trim().split(/\\s+/);
words.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
if (descending) words.reverse();
console.log(words.join(", "));
""",
    "go": """
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	reader := bufio.NewReader(os.Stdin)
	first, _ := reader.ReadString('\\n')
	second, _ := reader.ReadString('\\n')
	descending := strings.TrimSpace(first) == "descending"
	words := strings.Fields(second)
	sort.Slice(words, func(i, j int) bool {
		if descending {
			return words[i] > words[j]
		}
		return words[i] < words[j]
	})
	fmt.Println(strings.Join(words, ", "))
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut lines = input.lines();
    let descending = lines.next().unwrap().trim() == "descending";
    let mut words: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    words.sort();
    if descending {
        words.reverse();
    }
    println!("{}", words.join(", "));
}
""",
}

# Each wrong solution ignores case when comparing (a dictionary order, not ASCII order).
WRONG = {
    "python": ("logic", SOLUTIONS["python"].replace("words.sort(", "words.sort(key=str.lower, ")),
    "c": ("logic", SOLUTIONS["c"].replace("int c = strcmp(", "int c = strcasecmp(")
          .replace("#include <string.h>", "#include <string.h>\n#include <strings.h>")),
    "cpp": ("logic", SOLUTIONS["cpp"].replace("#include <vector>", """#include <vector>
static std::string lower(std::string s) {
    for (char &c : s) c = (char) std::tolower((unsigned char) c);
    return s;
}""").replace("std::greater<std::string>()",
              "[](const std::string &a, const std::string &b) { return lower(a) > lower(b); }")
           .replace("std::sort(words.begin(), words.end());",
                    "std::sort(words.begin(), words.end(), [](const std::string &a,"
                    " const std::string &b) { return lower(a) < lower(b); });")),
    "java": ("logic", SOLUTIONS["java"].replace("Comparator.naturalOrder()",
                                                "String.CASE_INSENSITIVE_ORDER")),
    "javascript": ("logic", SOLUTIONS["javascript"].replace(
        "(a, b) => (a < b ? -1 : a > b ? 1 : 0)", "(a, b) => a.localeCompare(b)")),
    "go": ("logic", SOLUTIONS["go"].replace("words[i] > words[j]",
                                            "strings.ToLower(words[i]) > strings.ToLower(words[j])")
           .replace("words[i] < words[j]",
                    "strings.ToLower(words[i]) < strings.ToLower(words[j])")),
    "rust": ("logic", SOLUTIONS["rust"].replace("words.sort();",
                                                "words.sort_by_key(|w| w.to_lowercase());")),
}
