"""Machines A, B, C and parts X, Y, Z: repeatedly apply the first applicable rule of A -> 2X + Y,
2B -> X, 2C -> Y, B + C -> A, X + Y -> Z (at most 1000 times) until none applies. Input: the
initial counts of A, B and C; output: the final counts ``A B C X Y Z``."""

TASK = "string_splitting"
CONFIG: dict[str, object] = {"min_initial_machines": 0, "max_initial_machines": 30}


def stdin(entry: dict) -> str:
    return " ".join(map(str, entry["metadata"]["initial_machines"])) + "\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
a, b, c = map(int, input().split())
x = y = z = 0
for _ in range(1000):
    if a >= 1:
        a, x, y = a - 1, x + 2, y + 1
    elif b >= 2:
        b, x = b - 2, x + 1
    elif c >= 2:
        c, y = c - 2, y + 1
    elif b >= 1 and c >= 1:
        b, c, a = b - 1, c - 1, a + 1
    elif x >= 1 and y >= 1:
        x, y, z = x - 1, y - 1, z + 1
    else:
        break
print(a, b, c, x, y, z)
""",
    "c": """
#include <stdio.h>
int main(void) {
    long a, b, c, x = 0, y = 0, z = 0;
    if (scanf("%ld %ld %ld", &a, &b, &c) != 3) return 1;
    for (int step = 0; step < 1000; step++) {
        if (a >= 1) { a -= 1; x += 2; y += 1; }
        else if (b >= 2) { b -= 2; x += 1; }
        else if (c >= 2) { c -= 2; y += 1; }
        else if (b >= 1 && c >= 1) { b -= 1; c -= 1; a += 1; }
        else if (x >= 1 && y >= 1) { x -= 1; y -= 1; z += 1; }
        else break;
    }
    printf("%ld %ld %ld %ld %ld %ld\\n", a, b, c, x, y, z);
    return 0;
}
""",
    "cpp": """
#include <iostream>
int main() {
    long long a, b, c, x = 0, y = 0, z = 0;
    std::cin >> a >> b >> c;
    for (int step = 0; step < 1000; ++step) {
        if (a >= 1) { a -= 1; x += 2; y += 1; }
        else if (b >= 2) { b -= 2; x += 1; }
        else if (c >= 2) { c -= 2; y += 1; }
        else if (b >= 1 && c >= 1) { b -= 1; c -= 1; a += 1; }
        else if (x >= 1 && y >= 1) { x -= 1; y -= 1; z += 1; }
        else break;
    }
    std::cout << a << " " << b << " " << c << " " << x << " " << y << " " << z << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong(), c = in.nextLong(), x = 0, y = 0, z = 0;
        for (int step = 0; step < 1000; step++) {
            if (a >= 1) { a -= 1; x += 2; y += 1; }
            else if (b >= 2) { b -= 2; x += 1; }
            else if (c >= 2) { c -= 2; y += 1; }
            else if (b >= 1 && c >= 1) { b -= 1; c -= 1; a += 1; }
            else if (x >= 1 && y >= 1) { x -= 1; y -= 1; z += 1; }
            else break;
        }
        System.out.println(a + " " + b + " " + c + " " + x + " " + y + " " + z);
    }
}
""",
    "javascript": """
let [a, b, c] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
let x = 0, y = 0, z = 0;
for (let step = 0; step < 1000; step++) {
  if (a >= 1) { a -= 1; x += 2; y += 1; }
  else if (b >= 2) { b -= 2; x += 1; }
  else if (c >= 2) { c -= 2; y += 1; }
  else if (b >= 1 && c >= 1) { b -= 1; c -= 1; a += 1; }
  else if (x >= 1 && y >= 1) { x -= 1; y -= 1; z += 1; }
  else break;
}
console.log([a, b, c, x, y, z].join(" "));
""",
    "go": """
package main

import "fmt"

func main() {
	var a, b, c, x, y, z int
	fmt.Scan(&a, &b, &c)
	for step := 0; step < 1000; step++ {
		if a >= 1 {
			a, x, y = a-1, x+2, y+1
		} else if b >= 2 {
			b, x = b-2, x+1
		} else if c >= 2 {
			c, y = c-2, y+1
		} else if b >= 1 && c >= 1 {
			b, c, a = b-1, c-1, a+1
		} else if x >= 1 && y >= 1 {
			x, y, z = x-1, y-1, z+1
		} else {
			break
		}
	}
	fmt.Println(a, b, c, x, y, z)
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let v: Vec<i64> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let (mut a, mut b, mut c) = (v[0], v[1], v[2]);
    let (mut x, mut y, mut z) = (0i64, 0i64, 0i64);
    for _ in 0..1000 {
        if a >= 1 {
            a -= 1;
            x += 2;
            y += 1;
        } else if b >= 2 {
            b -= 2;
            x += 1;
        } else if c >= 2 {
            c -= 2;
            y += 1;
        } else if b >= 1 && c >= 1 {
            b -= 1;
            c -= 1;
            a += 1;
        } else if x >= 1 && y >= 1 {
            x -= 1;
            y -= 1;
            z += 1;
        } else {
            break;
        }
    }
    println!("{} {} {} {} {} {}", a, b, c, x, y, z);
}
""",
}

# Each wrong solution needs three units of B (`b > 2`) before dismantling two of them.
WRONG = {language: ("off_by_one", source.replace("b >= 2", "b > 2"))
         for language, source in SOLUTIONS.items()}
