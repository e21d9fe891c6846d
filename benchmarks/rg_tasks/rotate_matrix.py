"""Rotate a square matrix clockwise by k quarter turns (k * 90 degrees). Input: ``n k`` on the
first line, then n rows of n integers; output: the rotated matrix in the same format (n rows of
n integers separated by spaces)."""

TASK = "rotate_matrix"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    matrix = entry["metadata"]["matrix"]
    head = f"{len(matrix)} {entry['metadata']['num_rotations']}\n"
    return head + "".join(" ".join(map(str, row)) + "\n" for row in matrix)


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

data = sys.stdin.read().split()
n, k = int(data[0]), int(data[1])
m = [data[2 + i * n:2 + (i + 1) * n] for i in range(n)]
for _ in range(k % 4):
    r = [[""] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            r[j][n - 1 - i] = m[i][j]
    m = r
for row in m:
    print(" ".join(row))
""",
    "c": """
#include <stdio.h>
#include <string.h>
int main(void) {
    int n, k, m[32][32], r[32][32];
    if (scanf("%d %d", &n, &k) != 2) return 1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) scanf("%d", &m[i][j]);
    for (int t = 0; t < k % 4; t++) {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) r[j][n - 1 - i] = m[i][j];
        memcpy(m, r, sizeof m);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) printf(j + 1 < n ? "%d " : "%d\\n", m[i][j]);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <vector>
int main() {
    int n, k;
    std::cin >> n >> k;
    std::vector<std::vector<int>> m(n, std::vector<int>(n));
    for (auto &row : m)
        for (int &x : row) std::cin >> x;
    for (int t = 0; t < k % 4; ++t) {
        std::vector<std::vector<int>> r(n, std::vector<int>(n));
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) r[j][n - 1 - i] = m[i][j];
        m = r;
    }
    for (auto &row : m) {
        for (int j = 0; j < n; ++j) std::cout << (j ? " " : "") << row[j];
        std::cout << "\\n";
    }
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt(), k = in.nextInt();
        int[][] m = new int[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i][j] = in.nextInt();
        for (int t = 0; t < k % 4; t++) {
            int[][] r = new int[n][n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) r[j][n - 1 - i] = m[i][j];
            m = r;
        }
        StringBuilder out = new StringBuilder();
        for (int[] row : m) {
            for (int j = 0; j < n; j++) out.append(j > 0 ? " " : "").append(row[j]);
            out.append("\\n");
        }
        System.out.print(out);
    }
}
""",
    "javascript": """
const data = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
const [n, k] = data;
let m = [];
for (let i = 0; i < n; i++) m.push(data.slice(2 + i * n, 2 + (i + 1) * n));
for (let t = 0; t < k % 4; t++) {
  const r = Array.from({ length: n }, () => new Array(n));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) r[j][n - 1 - i] = m[i][j];
  m = r;
}
console.log(m.map((row) => row.join(" ")).join("\\n"));
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
	var n, k int
	fmt.Fscan(reader, &n, &k)
	m := make([][]int, n)
	for i := range m {
		m[i] = make([]int, n)
		for j := range m[i] {
			fmt.Fscan(reader, &m[i][j])
		}
	}
	for t := 0; t < k%4; t++ {
		r := make([][]int, n)
		for i := range r {
			r[i] = make([]int, n)
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				r[j][n-1-i] = m[i][j]
			}
		}
		m = r
	}
	for _, row := range m {
		parts := make([]string, n)
		for j, x := range row {
			parts[j] = strconv.Itoa(x)
		}
		fmt.Println(strings.Join(parts, " "))
	}
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let data: Vec<i64> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let (n, k) = (data[0] as usize, data[1] as usize);
    let mut m: Vec<Vec<i64>> = (0..n).map(|i| data[2 + i * n..2 + (i + 1) * n].to_vec()).collect();
    for _ in 0..k % 4 {
        let mut r = vec![vec![0i64; n]; n];
        for i in 0..n {
            for j in 0..n {
                r[j][n - 1 - i] = m[i][j];
            }
        }
        m = r;
    }
    for row in &m {
        let parts: Vec<String> = row.iter().map(|x| x.to_string()).collect();
        println!("{}", parts.join(" "));
    }
}
""",
}

# Each wrong solution turns the matrix counter-clockwise instead of clockwise.
WRONG = {language: ("logic", source.replace("r[j][n - 1 - i]", "r[n - 1 - j][i]")
                    .replace("r[j][n-1-i]", "r[n-1-j][i]"))
         for language, source in SOLUTIONS.items()}
