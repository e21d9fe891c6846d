"""Distance to the nearest 0: for each cell of an n x n 0/1 matrix, the Manhattan distance to the
closest 0. Input: ``n`` then the matrix, one row per line; output: the matrix of distances in the
same format (without ``n``)."""

TASK = "binary_matrix"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    matrix = entry["metadata"]["matrix"]
    rows = "".join(" ".join(map(str, row)) + "\n" for row in matrix)
    return f"{len(matrix)}\n{rows}"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

data = sys.stdin.read().split()
n = int(data[0])
inf = 2 * n
dist = [[0 if data[1 + r * n + c] == "0" else inf for c in range(n)] for r in range(n)]
for r in range(n):
    for c in range(n):
        if r > 0:
            dist[r][c] = min(dist[r][c], dist[r - 1][c] + 1)
        if c > 0:
            dist[r][c] = min(dist[r][c], dist[r][c - 1] + 1)
for r in range(n - 1, -1, -1):
    for c in range(n - 1, -1, -1):
        if r < n - 1:
            dist[r][c] = min(dist[r][c], dist[r + 1][c] + 1)
        if c < n - 1:
            dist[r][c] = min(dist[r][c], dist[r][c + 1] + 1)
for row in dist:
    print(" ".join(map(str, row)))
""",
    "c": """
#include <stdio.h>
#define MIN(a, b) ((a) < (b) ? (a) : (b))
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    int dist[64][64];
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++) {
            int v;
            if (scanf("%d", &v) != 1) return 1;
            dist[r][c] = v == 0 ? 0 : 2 * n;
        }
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++) {
            if (r > 0) dist[r][c] = MIN(dist[r][c], dist[r - 1][c] + 1);
            if (c > 0) dist[r][c] = MIN(dist[r][c], dist[r][c - 1] + 1);
        }
    for (int r = n - 1; r >= 0; r--)
        for (int c = n - 1; c >= 0; c--) {
            if (r < n - 1) dist[r][c] = MIN(dist[r][c], dist[r + 1][c] + 1);
            if (c < n - 1) dist[r][c] = MIN(dist[r][c], dist[r][c + 1] + 1);
        }
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++) printf("%d%c", dist[r][c], c == n - 1 ? '\\n' : ' ');
    return 0;
}
""",
    "cpp": """
#include <algorithm>
#include <iostream>
#include <vector>
int main() {
    int n;
    std::cin >> n;
    std::vector<std::vector<int>> dist(n, std::vector<int>(n));
    for (auto &row : dist)
        for (int &cell : row) {
            std::cin >> cell;
            cell = cell == 0 ? 0 : 2 * n;
        }
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) {
            if (r > 0) dist[r][c] = std::min(dist[r][c], dist[r - 1][c] + 1);
            if (c > 0) dist[r][c] = std::min(dist[r][c], dist[r][c - 1] + 1);
        }
    for (int r = n - 1; r >= 0; --r)
        for (int c = n - 1; c >= 0; --c) {
            if (r < n - 1) dist[r][c] = std::min(dist[r][c], dist[r + 1][c] + 1);
            if (c < n - 1) dist[r][c] = std::min(dist[r][c], dist[r][c + 1] + 1);
        }
    for (const auto &row : dist)
        for (int c = 0; c < n; ++c) std::cout << row[c] << (c == n - 1 ? "\\n" : " ");
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt();
        int[][] dist = new int[n][n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) dist[r][c] = in.nextInt() == 0 ? 0 : 2 * n;
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) {
                if (r > 0) dist[r][c] = Math.min(dist[r][c], dist[r - 1][c] + 1);
                if (c > 0) dist[r][c] = Math.min(dist[r][c], dist[r][c - 1] + 1);
            }
        for (int r = n - 1; r >= 0; r--)
            for (int c = n - 1; c >= 0; c--) {
                if (r < n - 1) dist[r][c] = Math.min(dist[r][c], dist[r + 1][c] + 1);
                if (c < n - 1) dist[r][c] = Math.min(dist[r][c], dist[r][c + 1] + 1);
            }
        StringBuilder out = new StringBuilder();
        for (int[] row : dist) {
            for (int c = 0; c < n; c++) out.append(row[c]).append(c == n - 1 ? "\\n" : " ");
        }
        System.out.print(out);
    }
}
""",
    "javascript": """
const data = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
const n = data[0];
const dist = [];
for (let r = 0; r < n; r++) {
  dist.push(data.slice(1 + r * n, 1 + (r + 1) * n).map((v) => (v === 0 ? 0 : 2 * n)));
}
for (let r = 0; r < n; r++) {
  for (let c = 0; c < n; c++) {
    if (r > 0) dist[r][c] = Math.min(dist[r][c], dist[r - 1][c] + 1);
    if (c > 0) dist[r][c] = Math.min(dist[r][c], dist[r][c - 1] + 1);
  }
}
for (let r = n - 1; r >= 0; r--) {
  for (let c = n - 1; c >= 0; c--) {
    if (r < n - 1) dist[r][c] = Math.min(dist[r][c], dist[r + 1][c] + 1);
    if (c < n - 1) dist[r][c] = Math.min(dist[r][c], dist[r][c + 1] + 1);
  }
}
console.log(dist.map((row) => row.join(" ")).join("\\n"));
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

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func main() {
	reader := bufio.NewReader(os.Stdin)
	var n int
	fmt.Fscan(reader, &n)
	dist := make([][]int, n)
	for r := range dist {
		dist[r] = make([]int, n)
		for c := range dist[r] {
			var v int
			fmt.Fscan(reader, &v)
			if v != 0 {
				dist[r][c] = 2 * n
			}
		}
	}
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			if r > 0 {
				dist[r][c] = minInt(dist[r][c], dist[r-1][c]+1)
			}
			if c > 0 {
				dist[r][c] = minInt(dist[r][c], dist[r][c-1]+1)
			}
		}
	}
	for r := n - 1; r >= 0; r-- {
		for c := n - 1; c >= 0; c-- {
			if r < n-1 {
				dist[r][c] = minInt(dist[r][c], dist[r+1][c]+1)
			}
			if c < n-1 {
				dist[r][c] = minInt(dist[r][c], dist[r][c+1]+1)
			}
		}
	}
	for _, row := range dist {
		parts := make([]string, n)
		for c, v := range row {
			parts[c] = strconv.Itoa(v)
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
    let data: Vec<usize> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let n = data[0];
    let mut dist: Vec<Vec<usize>> = (0..n)
        .map(|r| (0..n).map(|c| if data[1 + r * n + c] == 0 { 0 } else { 2 * n }).collect())
        .collect();
    for r in 0..n {
        for c in 0..n {
            if r > 0 {
                dist[r][c] = dist[r][c].min(dist[r - 1][c] + 1);
            }
            if c > 0 {
                dist[r][c] = dist[r][c].min(dist[r][c - 1] + 1);
            }
        }
    }
    for r in (0..n).rev() {
        for c in (0..n).rev() {
            if r < n - 1 {
                dist[r][c] = dist[r][c].min(dist[r + 1][c] + 1);
            }
            if c < n - 1 {
                dist[r][c] = dist[r][c].min(dist[r][c + 1] + 1);
            }
        }
    }
    for row in &dist {
        let parts: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        println!("{}", parts.join(" "));
    }
}
""",
}

# Each wrong solution stops its bottom-up pass before the first row, so the top row never learns
# about zeros below it.
WRONG = {
    "python": ("off_by_one", SOLUTIONS["python"].replace("range(n - 1, -1, -1):\n    for",
                                                         "range(n - 1, 0, -1):\n    for")),
    "c": ("off_by_one", SOLUTIONS["c"].replace("r >= 0; r--", "r > 0; r--")),
    "cpp": ("off_by_one", SOLUTIONS["cpp"].replace("r >= 0; --r", "r > 0; --r")),
    "java": ("off_by_one", SOLUTIONS["java"].replace("r >= 0; r--", "r > 0; r--")),
    "javascript": ("off_by_one", SOLUTIONS["javascript"].replace("r >= 0; r--", "r > 0; r--")),
    "go": ("off_by_one", SOLUTIONS["go"].replace("r >= 0; r--", "r > 0; r--")),
    "rust": ("off_by_one", SOLUTIONS["rust"].replace("for r in (0..n).rev()",
                                                     "for r in (1..n).rev()")),
}
