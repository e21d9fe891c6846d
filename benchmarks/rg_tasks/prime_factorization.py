"""Prime factorization of an integer in [2, 100000]. Input: ``n``; output: its prime factors in
increasing order, with repetition, separated by spaces (the oracle's ``2 × 2 × 3`` as ``2 2 3``)."""

TASK = "prime_factorization"
CONFIG: dict[str, object] = {"min_value": 2, "max_value": 100000}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['number']}\n"


def stdout(entry: dict) -> str:
    return " ".join(entry["answer"].split(" × ")) + "\n"


SOLUTIONS = {
    "python": """
n = int(input())
factors = []
d = 2
while d * d <= n:
    while n % d == 0:
        factors.append(d)
        n //= d
    d += 1
if n > 1:
    factors.append(n)
print(" ".join(map(str, factors)))
""",
    "c": """
#include <stdio.h>
int main(void) {
    long n;
    if (scanf("%ld", &n) != 1) return 1;
    const char *sep = "";
    for (long d = 2; d * d <= n; d++) {
        while (n % d == 0) {
            printf("%s%ld", sep, d);
            sep = " ";
            n /= d;
        }
    }
    if (n > 1) printf("%s%ld", sep, n);
    printf("\\n");
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <vector>
int main() {
    long long n;
    std::cin >> n;
    std::vector<long long> factors;
    for (long long d = 2; d * d <= n; ++d) {
        while (n % d == 0) {
            factors.push_back(d);
            n /= d;
        }
    }
    if (n > 1) factors.push_back(n);
    for (size_t i = 0; i < factors.size(); ++i)
        std::cout << (i ? " " : "") << factors[i];
    std::cout << "\\n";
}
""",
    "java": """
import java.util.ArrayList;
import java.util.List;
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        List<String> factors = new ArrayList<>();
        for (long d = 2; d * d <= n; d++) {
            while (n % d == 0) {
                factors.add(Long.toString(d));
                n /= d;
            }
        }
        if (n > 1) factors.add(Long.toString(n));
        System.out.println(String.join(" ", factors));
    }
}
""",
    "javascript": """
let n = Number(require("fs").readFileSync(0, "utf8").trim());
const factors = [];
for (let d = 2; d * d <= n; d++) {
  while (n % d === 0) {
    factors.push(d);
    n /= d;
  }
}
if (n > 1) factors.push(n);
console.log(factors.join(" "));
""",
    "go": """
package main

import (
	"fmt"
	"strconv"
	"strings"
)

func main() {
	var n int64
	fmt.Scan(&n)
	factors := []string{}
	for d := int64(2); d*d <= n; d++ {
		for n%d == 0 {
			factors = append(factors, strconv.FormatInt(d, 10))
			n /= d
		}
	}
	if n > 1 {
		factors = append(factors, strconv.FormatInt(n, 10))
	}
	fmt.Println(strings.Join(factors, " "))
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut n: u64 = input.trim().parse().unwrap();
    let mut factors: Vec<String> = Vec::new();
    let mut d: u64 = 2;
    while d * d <= n {
        while n % d == 0 {
            factors.push(d.to_string());
            n /= d;
        }
        d += 1;
    }
    if n > 1 {
        factors.push(n.to_string());
    }
    println!("{}", factors.join(" "));
}
""",
}

# Most wrong solutions divide each factor out only once (`if` for the inner `while`), losing
# repeated factors; JavaScript joins the factors with commas.
WRONG = {
    "python": ("logic", SOLUTIONS["python"].replace("    while n % d == 0:", "    if n % d == 0:")),
    "c": ("logic", SOLUTIONS["c"].replace("while (n % d == 0)", "if (n % d == 0)")),
    "cpp": ("logic", SOLUTIONS["cpp"].replace("while (n % d == 0)", "if (n % d == 0)")),
    "java": ("logic", SOLUTIONS["java"].replace("while (n % d == 0)", "if (n % d == 0)")),
    "javascript": ("format",
                   SOLUTIONS["javascript"].replace('factors.join(" ")', "factors.join()")),
    "go": ("logic", SOLUTIONS["go"].replace("for n%d == 0", "if n%d == 0")),
    "rust": ("logic", SOLUTIONS["rust"].replace("while n % d == 0", "if n % d == 0")),
}
