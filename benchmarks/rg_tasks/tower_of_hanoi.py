"""Tower of Hanoi with three pegs numbered 1-3: print the optimal move list that brings n disks
from the start peg to the target peg. Input: ``n start target``; output: one line per move,
``Move disk D from Peg X to Peg Y``."""

TASK = "tower_of_hanoi"
# Three pegs only: the optimal move list is then unique (with four pegs it is not).
CONFIG: dict[str, object] = {"min_pegs": 3, "max_pegs": 3}


def stdin(entry: dict) -> str:
    meta = entry["metadata"]
    return f"{meta['num_disks']} {meta['start_peg']} {meta['target_peg']}\n"


def stdout(entry: dict) -> str:
    return "\n".join(line.strip() for line in entry["answer"].splitlines()) + "\n"


SOLUTIONS = {
    "python": """
import sys

n, start, target = map(int, sys.stdin.read().split())
out = []


def move(k, source, dest, spare):
    if k == 0:
        return
    move(k - 1, source, spare, dest)
    out.append(f"Move disk {k} from Peg {source} to Peg {dest}")
    move(k - 1, spare, dest, source)


move(n, start, target, 6 - start - target)
print("\\n".join(out))
""",
    "c": """
#include <stdio.h>
void move(int k, int source, int dest, int spare) {
    if (k == 0) return;
    move(k - 1, source, spare, dest);
    printf("Move disk %d from Peg %d to Peg %d\\n", k, source, dest);
    move(k - 1, spare, dest, source);
}
int main(void) {
    int n, start, target;
    if (scanf("%d %d %d", &n, &start, &target) != 3) return 1;
    move(n, start, target, 6 - start - target);
    return 0;
}
""",
    "cpp": """
#include <iostream>
void move(int k, int source, int dest, int spare) {
    if (k == 0) return;
    move(k - 1, source, spare, dest);
    std::cout << "Move disk " << k << " from Peg " << source << " to Peg " << dest << "\\n";
    move(k - 1, spare, dest, source);
}
int main() {
    int n, start, target;
    std::cin >> n >> start >> target;
    move(n, start, target, 6 - start - target);
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    static StringBuilder out = new StringBuilder();

    static void move(int k, int source, int dest, int spare) {
        if (k == 0) return;
        move(k - 1, source, spare, dest);
        out.append("Move disk ").append(k).append(" from Peg ").append(source)
           .append(" to Peg ").append(dest).append('\\n');
        move(k - 1, spare, dest, source);
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt(), start = in.nextInt(), target = in.nextInt();
        move(n, start, target, 6 - start - target);
        System.out.print(out);
    }
}
""",
    "javascript": """
const [n, start, target] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
const out = [];
function move(k, source, dest, spare) {
  if (k === 0) return;
  move(k - 1, source, spare, dest);
  out.push(`Move disk ${k} from Peg ${source} to Peg ${dest}`);
  move(k - 1, spare, dest, source);
}
move(n, start, target, 6 - start - target);
console.log(out.join("\\n"));
""",
    "go": """
package main

import (
	"bufio"
	"fmt"
	"os"
)

var out = bufio.NewWriter(os.Stdout)

func move(k, source, dest, spare int) {
	if k == 0 {
		return
	}
	move(k-1, source, spare, dest)
	fmt.Fprintf(out, "Move disk %d from Peg %d to Peg %d\\n", k, source, dest)
	move(k-1, spare, dest, source)
}

func main() {
	defer out.Flush()
	var n, start, target int
	fmt.Scan(&n, &start, &target)
	move(n, start, target, 6-start-target)
}
""",
    "rust": """
use std::io::Read;

fn hanoi(k: u32, source: u32, dest: u32, spare: u32, out: &mut String) {
    if k == 0 {
        return;
    }
    hanoi(k - 1, source, spare, dest, out);
    out.push_str(&format!("Move disk {} from Peg {} to Peg {}\\n", k, source, dest));
    hanoi(k - 1, spare, dest, source, out);
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let v: Vec<u32> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let mut out = String::new();
    hanoi(v[0], v[1], v[2], 6 - v[1] - v[2], &mut out);
    print!("{}", out);
}
""",
}

WRONG = {
    # Swaps the spare and destination pegs in the second recursive call.
    "python": ("logic", SOLUTIONS["python"].replace("move(k - 1, spare, dest, source)",
                                                    "move(k - 1, spare, source, dest)")),
    # Numbers the disks from 0.
    "c": ("off_by_one", SOLUTIONS["c"].replace("k, source, dest);", "k - 1, source, dest);")),
    # Prints each move with its pegs swapped.
    "cpp": ("logic", SOLUTIONS["cpp"].replace('" from Peg " << source << " to Peg " << dest',
                                              '" from Peg " << dest << " to Peg " << source')),
    # Writes "peg" in lower case.
    "java": ("format", SOLUTIONS["java"].replace('" from Peg "', '" from peg "')),
    # Stops one disk early: the smallest disk is never moved.
    "javascript": ("off_by_one", SOLUTIONS["javascript"].replace("if (k === 0) return;",
                                                                 "if (k <= 1) return;")),
    # Computes the spare peg as if the pegs were numbered 0-2.
    "go": ("off_by_one", SOLUTIONS["go"].replace("6-start-target", "3-start-target")),
    # Moves the tower to the spare peg instead of the target.
    "rust": ("logic", SOLUTIONS["rust"].replace("hanoi(v[0], v[1], v[2], 6 - v[1] - v[2]",
                                                "hanoi(v[0], v[1], 6 - v[1] - v[2], v[2]")),
}
