"""Evaluate an integer expression with +, -, *, / (floor division, as Python's //), unary minus
and parentheses, with the usual precedence (unary minus binds tightest). Input: the expression
on one line; output: its value."""

TASK = "basic_arithmetic"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['expression']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer'].strip()}\n"


SOLUTIONS = {
    "python": """
import sys

text = sys.stdin.read()
pos = 0


def peek():
    global pos
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return text[pos] if pos < len(text) else ""


def expr():
    global pos
    value = term()
    while peek() in ("+", "-") and peek():
        op = text[pos]
        pos += 1
        value = value + term() if op == "+" else value - term()
    return value


def term():
    global pos
    value = unary()
    while peek() in ("*", "/") and peek():
        op = text[pos]
        pos += 1
        value = value * unary() if op == "*" else value // unary()
    return value


def unary():
    global pos
    if peek() == "-":
        pos += 1
        return -unary()
    if peek() == "(":
        pos += 1
        value = expr()
        peek()
        pos += 1
        return value
    start = pos
    while pos < len(text) and text[pos].isdigit():
        pos += 1
    return int(text[start:pos])


print(expr())
""",
    "c": """
#include <ctype.h>
#include <stdio.h>
typedef __int128 num;
char text[4096];
int pos = 0;
char peek(void) {
    while (text[pos] == ' ' || text[pos] == '\\t') pos++;
    return text[pos];
}
num floordiv(num a, num b) {
    num q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0))) q--;
    return q;
}
num expr(void);
num unary(void) {
    if (peek() == '-') { pos++; return -unary(); }
    if (peek() == '(') { pos++; num v = expr(); peek(); pos++; return v; }
    num v = 0;
    while (isdigit((unsigned char) text[pos])) v = v * 10 + (text[pos++] - '0');
    return v;
}
num term(void) {
    num v = unary();
    while (peek() == '*' || peek() == '/') {
        char op = text[pos++];
        num r = unary();
        v = op == '*' ? v * r : floordiv(v, r);
    }
    return v;
}
num expr(void) {
    num v = term();
    while (peek() == '+' || peek() == '-') {
        char op = text[pos++];
        num r = term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}
int main(void) {
    if (!fgets(text, sizeof text, stdin)) return 1;
    num v = expr();
    char digits[64];
    int n = 0;
    unsigned __int128 mag = v < 0 ? -(unsigned __int128) v : (unsigned __int128) v;
    do { digits[n++] = (char) ('0' + (int) (mag % 10)); mag /= 10; } while (mag);
    if (v < 0) putchar('-');
    while (n) putchar(digits[--n]);
    putchar('\\n');
    return 0;
}
""",
    "cpp": """
#include <cctype>
#include <iostream>
#include <string>
typedef __int128 num;
std::string text;
size_t pos = 0;
char peek() {
    while (pos < text.size() && std::isspace((unsigned char) text[pos])) pos++;
    return pos < text.size() ? text[pos] : '\\0';
}
num floordiv(num a, num b) {
    num q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0))) q--;
    return q;
}
num expr();
num unary() {
    if (peek() == '-') { pos++; return -unary(); }
    if (peek() == '(') { pos++; num v = expr(); peek(); pos++; return v; }
    num v = 0;
    while (pos < text.size() && std::isdigit((unsigned char) text[pos]))
        v = v * 10 + (text[pos++] - '0');
    return v;
}
num term() {
    num v = unary();
    while (peek() == '*' || peek() == '/') {
        char op = text[pos++];
        num r = unary();
        v = op == '*' ? v * r : floordiv(v, r);
    }
    return v;
}
num expr() {
    num v = term();
    while (peek() == '+' || peek() == '-') {
        char op = text[pos++];
        num r = term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}
int main() {
    std::getline(std::cin, text);
    num v = expr();
    unsigned __int128 mag = v < 0 ? -(unsigned __int128) v : (unsigned __int128) v;
    std::string digits;
    do { digits = char('0' + (int) (mag % 10)) + digits; mag /= 10; } while (mag);
    std::cout << (v < 0 ? "-" : "") << digits << "\\n";
}
""",
    "java": """
import java.math.BigInteger;
import java.util.Scanner;

public class Main {
    static String text;
    static int pos = 0;

    static char peek() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        return pos < text.length() ? text.charAt(pos) : '\\0';
    }

    static BigInteger floorDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        if (qr[1].signum() != 0 && (a.signum() < 0) != (b.signum() < 0))
            return qr[0].subtract(BigInteger.ONE);
        return qr[0];
    }

    static BigInteger unary() {
        if (peek() == '-') { pos++; return unary().negate(); }
        if (peek() == '(') { pos++; BigInteger v = expr(); peek(); pos++; return v; }
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
        return new BigInteger(text.substring(start, pos));
    }

    static BigInteger term() {
        BigInteger v = unary();
        while (peek() == '*' || peek() == '/') {
            char op = text.charAt(pos++);
            BigInteger r = unary();
            v = op == '*' ? v.multiply(r) : floorDiv(v, r);
        }
        return v;
    }

    static BigInteger expr() {
        BigInteger v = term();
        while (peek() == '+' || peek() == '-') {
            char op = text.charAt(pos++);
            BigInteger r = term();
            v = op == '+' ? v.add(r) : v.subtract(r);
        }
        return v;
    }

    public static void main(String[] args) {
        text = new Scanner(System.in).nextLine();
        System.out.println(expr());
    }
}
""",
    "javascript": """
const text = require("fs").readFileSync(0, "utf8");
let pos = 0;
function peek() {
  while (pos < text.length && /\\s/.test(text[pos])) pos++;
  return pos < text.length ? text[pos] : "";
}
function floorDiv(a, b) {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}
function unary() {
  if (peek() === "-") { pos++; return -unary(); }
  if (peek() === "(") { pos++; const v = expr(); peek(); pos++; return v; }
  const start = pos;
  while (pos < text.length && text[pos] >= "0" && text[pos] <= "9") pos++;
  return BigInt(text.slice(start, pos));
}
function term() {
  let v = unary();
  while (peek() === "*" || peek() === "/") {
    const op = text[pos++];
    const r = unary();
    v = op === "*" ? v * r : floorDiv(v, r);
  }
  return v;
}
function expr() {
  let v = term();
  while (peek() === "+" || peek() === "-") {
    const op = text[pos++];
    const r = term();
    v = op === "+" ? v + r : v - r;
  }
  return v;
}
console.log(expr().toString());
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

var text string
var pos int

func peek() byte {
	for pos < len(text) && strings.ContainsRune(" \\t\\r\\n", rune(text[pos])) {
		pos++
	}
	if pos < len(text) {
		return text[pos]
	}
	return 0
}

func floorDiv(a, b *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(a, b, new(big.Int))
	if r.Sign() != 0 && (a.Sign() < 0) != (b.Sign() < 0) {
		q.Sub(q, big.NewInt(1))
	}
	return q
}

func unary() *big.Int {
	if peek() == '-' {
		pos++
		return new(big.Int).Neg(unary())
	}
	if peek() == '(' {
		pos++
		v := expr()
		peek()
		pos++
		return v
	}
	start := pos
	for pos < len(text) && text[pos] >= '0' && text[pos] <= '9' {
		pos++
	}
	v, _ := new(big.Int).SetString(text[start:pos], 10)
	return v
}

func term() *big.Int {
	v := unary()
	for peek() == '*' || peek() == '/' {
		op := text[pos]
		pos++
		r := unary()
		if op == '*' {
			v = new(big.Int).Mul(v, r)
		} else {
			v = floorDiv(v, r)
		}
	}
	return v
}

func expr() *big.Int {
	v := term()
	for peek() == '+' || peek() == '-' {
		op := text[pos]
		pos++
		r := term()
		if op == '+' {
			v = new(big.Int).Add(v, r)
		} else {
			v = new(big.Int).Sub(v, r)
		}
	}
	return v
}

func main() {
	text, _ = bufio.NewReader(os.Stdin).ReadString('\\n')
	fmt.Println(expr().String())
}
""",
    "rust": """
use std::io::Read;

struct Parser {
    text: Vec<u8>,
    pos: usize,
}

impl Parser {
    fn peek(&mut self) -> u8 {
        while self.pos < self.text.len() && self.text[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        if self.pos < self.text.len() { self.text[self.pos] } else { 0 }
    }

    fn unary(&mut self) -> i128 {
        if self.peek() == b'-' {
            self.pos += 1;
            return -self.unary();
        }
        if self.peek() == b'(' {
            self.pos += 1;
            let v = self.expr();
            self.peek();
            self.pos += 1;
            return v;
        }
        let mut v: i128 = 0;
        while self.pos < self.text.len() && self.text[self.pos].is_ascii_digit() {
            v = v * 10 + (self.text[self.pos] - b'0') as i128;
            self.pos += 1;
        }
        v
    }

    fn term(&mut self) -> i128 {
        let mut v = self.unary();
        while self.peek() == b'*' || self.peek() == b'/' {
            let op = self.text[self.pos];
            self.pos += 1;
            let r = self.unary();
            v = if op == b'*' {
                v * r
            } else if v % r != 0 && ((v < 0) != (r < 0)) {
                v / r - 1
            } else {
                v / r
            };
        }
        v
    }

    fn expr(&mut self) -> i128 {
        let mut v = self.term();
        while self.peek() == b'+' || self.peek() == b'-' {
            let op = self.text[self.pos];
            self.pos += 1;
            let r = self.term();
            v = if op == b'+' { v + r } else { v - r };
        }
        v
    }
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut parser = Parser { text: input.into_bytes(), pos: 0 };
    println!("{}", parser.expr());
}
""",
}

WRONG = {
    # Subtraction taken as right-associative: a - b - c read as a - (b - c).
    "python": ("logic", SOLUTIONS["python"].replace("else value - term()",
                                                    "else value - expr()")),
    # Skips a unary minus without negating what follows.
    "c": ("logic", SOLUTIONS["c"].replace("pos++; return -unary();", "pos++; return unary();")),
    # No precedence level for * and /: the parser stops at the first product.
    "cpp": ("logic", SOLUTIONS["cpp"].replace("num v = term();", "num v = unary();")
            .replace("num r = term();", "num r = unary();")),
    # Prints the value with thousands separators.
    "java": ("format", SOLUTIONS["java"].replace("System.out.println(expr());",
                                                 "System.out.printf(\"%,d%n\", expr());")),
    # Drops a minus sign placed before a parenthesis.
    "javascript": ("logic", SOLUTIONS["javascript"].replace(
        'if (peek() === "-") { pos++; return -unary(); }',
        'if (peek() === "-") { pos++; return peek() === "(" ? unary() : -unary(); }')),
    # Swaps the operands of a subtraction.
    "go": ("logic", SOLUTIONS["go"].replace("new(big.Int).Sub(v, r)", "new(big.Int).Sub(r, v)")),
    # Prints an explicit plus sign on positive values.
    "rust": ("format", SOLUTIONS["rust"].replace('println!("{}", parser.expr());',
                                                 'println!("{:+}", parser.expr());')),
}
