"""Group words that are anagrams of each other. Input: the (lowercase) words on one line; output:
one group per line, its words sorted and separated by spaces, the groups ordered by their first
word (the oracle's canonical order)."""

import json

TASK = "group_anagrams"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return " ".join(entry["metadata"]["words"]) + "\n"


def stdout(entry: dict) -> str:
    return "".join(" ".join(group) + "\n" for group in json.loads(entry["answer"]))


SOLUTIONS = {
    "python": """
import sys

words = sorted(sys.stdin.read().split())
groups: dict[str, list[str]] = {}
for word in words:
    groups.setdefault("".join(sorted(word)), []).append(word)
for group in groups.values():
    print(" ".join(group))
""",
    "c": """
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define MAXW 256
#define MAXL 64
static int cmp_str(const void *a, const void *b) { return strcmp(a, b); }
static int cmp_char(const void *a, const void *b) { return *(const char *) a - *(const char *) b; }
int main(void) {
    static char words[MAXW][MAXL], keys[MAXW][MAXL];
    int n = 0, used[MAXW] = {0};
    while (n < MAXW && scanf("%63s", words[n]) == 1) n++;
    qsort(words, n, MAXL, cmp_str);
    for (int i = 0; i < n; i++) {
        strcpy(keys[i], words[i]);
        qsort(keys[i], strlen(keys[i]), 1, cmp_char);
    }
    for (int i = 0; i < n; i++) {
        if (used[i]) continue;
        printf("%s", words[i]);
        for (int j = i + 1; j < n; j++) {
            if (!used[j] && strcmp(keys[i], keys[j]) == 0) {
                printf(" %s", words[j]);
                used[j] = 1;
            }
        }
        printf("\\n");
    }
    return 0;
}
""",
    "cpp": """
#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <vector>
int main() {
    std::vector<std::string> words;
    std::string word;
    while (std::cin >> word) words.push_back(word);
    std::sort(words.begin(), words.end());
    std::map<std::string, size_t> index;
    std::vector<std::vector<std::string>> groups;
    for (const std::string &w : words) {
        std::string key = w;
        std::sort(key.begin(), key.end());
        auto it = index.find(key);
        if (it == index.end()) {
            index[key] = groups.size();
            groups.push_back({w});
        } else {
            groups[it->second].push_back(w);
        }
    }
    for (const auto &group : groups) {
        for (size_t i = 0; i < group.size(); ++i) std::cout << (i ? " " : "") << group[i];
        std::cout << "\\n";
    }
}
""",
    "java": """
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class Main {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String[] words = in.readLine().trim().split("\\\\s+");
        Arrays.sort(words);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String word : words) {
            char[] key = word.toCharArray();
            Arrays.sort(key);
            groups.computeIfAbsent(new String(key), k -> new ArrayList<>()).add(word);
        }
        StringBuilder out = new StringBuilder();
        for (List<String> group : groups.values()) {
            out.append(String.join(" ", group)).append('\\n');
        }
        System.out.print(out);
    }
}
""",
    "javascript": """
const words = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/);
words.sort();
const groups = new Map();
for (const word of words) {
  const key = [...word].sort().join("");
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(word);
}
console.log([...groups.values()].map((group) => group.join(" ")).join("\\n"));
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
	words := []string{}
	for {
		var word string
		if _, err := fmt.Fscan(reader, &word); err != nil {
			break
		}
		words = append(words, word)
	}
	sort.Strings(words)
	index := map[string]int{}
	groups := [][]string{}
	for _, word := range words {
		letters := strings.Split(word, "")
		sort.Strings(letters)
		key := strings.Join(letters, "")
		if i, ok := index[key]; ok {
			groups[i] = append(groups[i], word)
		} else {
			index[key] = len(groups)
			groups = append(groups, []string{word})
		}
	}
	for _, group := range groups {
		fmt.Println(strings.Join(group, " "))
	}
}
""",
    "rust": """
use std::collections::HashMap;
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut words: Vec<&str> = input.split_whitespace().collect();
    words.sort();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for word in words {
        let mut letters: Vec<char> = word.chars().collect();
        letters.sort();
        let key: String = letters.into_iter().collect();
        match index.get(&key) {
            Some(&i) => groups[i].push(word),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![word]);
            }
        }
    }
    for group in groups {
        println!("{}", group.join(" "));
    }
}
""",
}

# Each wrong solution forgets to sort the words first, so groups and their words come out in
# input order.
WRONG = {
    "python": ("logic", SOLUTIONS["python"].replace("words = sorted(sys.stdin.read().split())",
                                                    "words = sys.stdin.read().split()")),
    "c": ("logic", SOLUTIONS["c"].replace("    qsort(words, n, MAXL, cmp_str);\n", "")),
    "cpp": ("logic", SOLUTIONS["cpp"].replace("    std::sort(words.begin(), words.end());\n", "")),
    "java": ("logic", SOLUTIONS["java"].replace("        Arrays.sort(words);\n", "")),
    "javascript": ("logic", SOLUTIONS["javascript"].replace("words.sort();\n", "")),
    "go": ("logic", SOLUTIONS["go"].replace("\tsort.Strings(words)\n", "")),
    "rust": ("logic", SOLUTIONS["rust"].replace("    words.sort();\n", "")),
}
