"""Convert a number from one base to another (bases 2 to 16, digits above 9 written as lower-case
letters). Input: ``source_base target_base`` on the first line, the number in the source base on
the second; output: the number in the target base."""

TASK = "base_conversion"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    meta = entry["metadata"]
    return f"{meta['source_base']} {meta['target_base']}\n{meta['source_repr']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

DIGITS = "0123456789abcdef"
source, target, text = sys.stdin.read().split()
source, target = int(source), int(target)
value = int(text, source)
out = ""
while True:
    out = DIGITS[value % target] + out
    value //= target
    if value == 0:
        break
print(out)
""",
    "c": """
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    const char *digits = "0123456789abcdef";
    int source, target;
    char text[128], out[128];
    if (scanf("%d %d %127s", &source, &target, text) != 3) return 1;
    long long value = strtoll(text, NULL, source);
    int len = 0;
    do {
        out[len++] = digits[value % target];
        value /= target;
    } while (value > 0);
    for (int i = len - 1; i >= 0; i--) putchar(out[i]);
    putchar('\\n');
    return 0;
}
""",
    "cpp": """
#include <algorithm>
#include <iostream>
#include <string>
int main() {
    const std::string digits = "0123456789abcdef";
    int source, target;
    std::string text, out;
    std::cin >> source >> target >> text;
    long long value = std::stoll(text, nullptr, source);
    do {
        out += digits[value % target];
        value /= target;
    } while (value > 0);
    std::reverse(out.begin(), out.end());
    std::cout << out << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        String digits = "0123456789abcdef";
        Scanner in = new Scanner(System.in);
        int source = in.nextInt(), target = in.nextInt();
        long value = Long.parseLong(in.next(), source);
        StringBuilder out = new StringBuilder();
        do {
            out.append(digits.charAt((int) (value % target)));
            value /= target;
        } while (value > 0);
        System.out.println(out.reverse());
    }
}
""",
    "javascript": """
const digits = "0123456789abcdef";
const [source, target, text] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/);
let value = parseInt(text, Number(source));
let out = "";
do {
  out = digits[value % Number(target)] + out;
  value = Math.floor(value / Number(target));
} while (value > 0);
console.log(out);
""",
    "go": """
package main

import (
	"fmt"
	"strconv"
)

func main() {
	const digits = "0123456789abcdef"
	var source, target int64
	var text string
	fmt.Scan(&source, &target, &text)
	value, _ := strconv.ParseInt(text, int(source), 64)
	out := []byte{}
	for {
		out = append([]byte{digits[value%target]}, out...)
		value /= target
		if value == 0 {
			break
		}
	}
	fmt.Println(string(out))
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let digits = b"0123456789abcdef";
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let parts: Vec<&str> = input.split_whitespace().collect();
    let source: u64 = parts[0].parse().unwrap();
    let target: u64 = parts[1].parse().unwrap();
    let mut value = u64::from_str_radix(parts[2], source as u32).unwrap();
    let mut out: Vec<u8> = Vec::new();
    loop {
        out.push(digits[(value % target) as usize]);
        value /= target;
        if value == 0 {
            break;
        }
    }
    out.reverse();
    println!("{}", String::from_utf8(out).unwrap());
}
""",
}

# Each wrong solution writes the digits above 9 as upper-case letters.
WRONG = {language: ("format", source.replace('"0123456789abcdef"', '"0123456789ABCDEF"'))
         for language, source in SOLUTIONS.items()}
