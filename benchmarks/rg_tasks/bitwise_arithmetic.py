"""Evaluate a fully parenthesised expression of hexadecimal integers with +, -, *, << and >>
(arbitrary-precision signed integers, >> rounding down). Input: the expression on one line;
output: the value in lower-case hexadecimal, ``0x...`` or ``-0x...``."""

TASK = "bitwise_arithmetic"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['problem']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer'].strip()}\n"


SOLUTIONS = {
    "python": """
import sys

tokens = sys.stdin.read().replace("(", " ( ").replace(")", " ) ").split()
pos = 0


def parse():
    global pos
    token = tokens[pos]
    pos += 1
    if token != "(":
        return int(token, 16)
    left = parse()
    op = tokens[pos]
    pos += 1
    right = parse()
    pos += 1
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "<<":
        return left << right
    return left >> right


value = parse()
print(("-" if value < 0 else "") + hex(abs(value)))
""",
    "c": """
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef __int128 i128;
char line[4096];
int pos = 0;
void skip(void) { while (line[pos] == ' ') pos++; }
i128 parse(void) {
    skip();
    if (line[pos] != '(') {
        char *end;
        i128 v = (i128) strtoull(line + pos, &end, 16);
        pos = (int) (end - line);
        return v;
    }
    pos++;
    i128 left = parse();
    skip();
    char op = line[pos];
    pos += (op == '<' || op == '>') ? 2 : 1;
    i128 right = parse();
    skip();
    pos++;
    switch (op) {
        case '+': return left + right;
        case '-': return left - right;
        case '*': return left * right;
        case '<': return left << (int) right;
        default: return left >> (int) right;
    }
}
int main(void) {
    if (!fgets(line, sizeof line, stdin)) return 1;
    i128 value = parse();
    char digits[64];
    int n = 0;
    unsigned __int128 mag = value < 0 ? -(unsigned __int128) value : (unsigned __int128) value;
    do { digits[n++] = "0123456789abcdef"[(int) (mag % 16)]; mag /= 16; } while (mag);
    if (value < 0) putchar('-');
    fputs("0x", stdout);
    while (n) putchar(digits[--n]);
    putchar('\\n');
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <sstream>
#include <string>
#include <vector>
typedef __int128 i128;
std::vector<std::string> tokens;
size_t pos = 0;
i128 parse() {
    std::string token = tokens[pos++];
    if (token != "(") return (i128) std::stoull(token, nullptr, 16);
    i128 left = parse();
    std::string op = tokens[pos++];
    i128 right = parse();
    pos++;
    if (op == "+") return left + right;
    if (op == "-") return left - right;
    if (op == "*") return left * right;
    if (op == "<<") return left << (int) right;
    return left >> (int) right;
}
int main() {
    std::string line, spaced;
    std::getline(std::cin, line);
    for (char c : line) {
        if (c == '(' || c == ')') spaced += std::string(" ") + c + " ";
        else spaced += c;
    }
    std::istringstream in(spaced);
    for (std::string t; in >> t;) tokens.push_back(t);
    i128 value = parse();
    unsigned __int128 mag = value < 0 ? -(unsigned __int128) value : (unsigned __int128) value;
    std::string digits;
    do { digits = "0123456789abcdef"[(int) (mag % 16)] + digits; mag /= 16; } while (mag);
    std::cout << (value < 0 ? "-" : "") << "0x" << digits << "\\n";
}
""",
    "java": """
import java.math.BigInteger;
import java.util.Scanner;

public class Main {
    static String[] tokens;
    static int pos = 0;

    static BigInteger parse() {
        String token = tokens[pos++];
        if (!token.equals("(")) return new BigInteger(token.substring(2), 16);
        BigInteger left = parse();
        String op = tokens[pos++];
        BigInteger right = parse();
        pos++;
        switch (op) {
            case "+": return left.add(right);
            case "-": return left.subtract(right);
            case "*": return left.multiply(right);
            case "<<": return left.shiftLeft(right.intValue());
            default: return left.shiftRight(right.intValue());
        }
    }

    public static void main(String[] args) {
        String line = new Scanner(System.in).nextLine();
        tokens = line.replace("(", " ( ").replace(")", " ) ").trim().split("\\\\s+");
        BigInteger value = parse();
        System.out.println((value.signum() < 0 ? "-" : "") + "0x" + value.abs().toString(16));
    }
}
""",
    "javascript": """
const tokens = require("fs").readFileSync(0, "utf8")
  .replace(/\\(/g, " ( ").replace(/\\)/g, " ) ").trim().split(/\\s+/);
let pos = 0;
function parse() {
  const token = tokens[pos++];
  if (token !== "(") return BigInt(token);
  const left = parse();
  const op = tokens[pos++];
  const right = parse();
  pos++;
  switch (op) {
    case "+": return left + right;
    case "-": return left - right;
    case "*": return left * right;
    case "<<": return left << right;
    default: return left >> right;
  }
}
const value = parse();
console.log((value < 0n ? "-0x" + (-value).toString(16) : "0x" + value.toString(16)));
""",
    "go": """
package main

import (
	"bufio"
	"fmt"
	"math/big"
	"os"
	"strings"
)

var tokens []string
var pos int

func parse() *big.Int {
	token := tokens[pos]
	pos++
	if token != "(" {
		v, _ := new(big.Int).SetString(token[2:], 16)
		return v
	}
	left := parse()
	op := tokens[pos]
	pos++
	right := parse()
	pos++
	switch op {
	case "+":
		return left.Add(left, right)
	case "-":
		return left.Sub(left, right)
	case "*":
		return left.Mul(left, right)
	case "<<":
		return left.Lsh(left, uint(right.Uint64()))
	}
	return left.Rsh(left, uint(right.Uint64()))
}

func main() {
	line, _ := bufio.NewReader(os.Stdin).ReadString('\\n')
	line = strings.NewReplacer("(", " ( ", ")", " ) ").Replace(line)
	tokens = strings.Fields(line)
	value := parse()
	if value.Sign() < 0 {
		fmt.Println("-0x" + new(big.Int).Neg(value).Text(16))
	} else {
		fmt.Println("0x" + value.Text(16))
	}
}
""",
    "rust": """
use std::io::Read;

fn parse(tokens: &[String], pos: &mut usize) -> i128 {
    let token = &tokens[*pos];
    *pos += 1;
    if token != "(" {
        return i128::from_str_radix(&token[2..], 16).unwrap();
    }
    let left = parse(tokens, pos);
    let op = tokens[*pos].clone();
    *pos += 1;
    let right = parse(tokens, pos);
    *pos += 1;
    match op.as_str() {
        "+" => left + right,
        "-" => left - right,
        "*" => left * right,
        "<<" => left << right,
        _ => left >> right,
    }
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let spaced = input.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<String> = spaced.split_whitespace().map(String::from).collect();
    let mut pos = 0;
    let value = parse(&tokens, &mut pos);
    if value < 0 {
        println!("-0x{:x}", -value);
    } else {
        println!("0x{:x}", value);
    }
}
""",
}

WRONG = {
    # Prints a negative value as Python's hex() of its two's complement in 64 bits.
    "python": ("format", SOLUTIONS["python"].replace(
        'print(("-" if value < 0 else "") + hex(abs(value)))',
        "print(hex(value % 2 ** 64))")),
    # Applies the shifts the wrong way round.
    "c": ("logic", SOLUTIONS["c"].replace("case '<': return left << (int) right;\n"
                                          "        default: return left >> (int) right;",
                                          "case '<': return left >> (int) right;\n"
                                          "        default: return left << (int) right;")),
    # 32-bit arithmetic: large products overflow.
    "cpp": ("overflow", SOLUTIONS["cpp"].replace("typedef __int128 i128;", "typedef int i128;")),
    # Prints upper-case hexadecimal digits.
    "java": ("format", SOLUTIONS["java"].replace("value.abs().toString(16)",
                                                 "value.abs().toString(16).toUpperCase()")),
    # Subtracts the operands the wrong way round.
    "javascript": ("logic", SOLUTIONS["javascript"].replace('case "-": return left - right;',
                                                            'case "-": return right - left;')),
    # Forgets the minus sign of a negative result.
    "go": ("format", SOLUTIONS["go"].replace('fmt.Println("-0x" +', 'fmt.Println("0x" +')),
    # Prints the value in decimal.
    "rust": ("format", SOLUTIONS["rust"].replace('println!("0x{:x}", value);',
                                                 'println!("{}", value);')),
}
