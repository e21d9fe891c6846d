"""Rotting oranges: each minute every fresh orange (1) 4-adjacent to a rotten one (2) rots; how
many minutes until none is fresh (-1 if never; 0 cells are empty)? Input: ``n`` then the n x n
grid, one row per line; output: the number of minutes."""

TASK = "rotten_oranges"
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
grid = [list(map(int, data[1 + r * n:1 + (r + 1) * n])) for r in range(n)]
frontier = [(r, c) for r in range(n) for c in range(n) if grid[r][c] == 2]
fresh = sum(row.count(1) for row in grid)
minutes = 0
while frontier and fresh > 0:
    nxt = []
    for r, c in frontier:
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < n and 0 <= nc < n and grid[nr][nc] == 1:
                grid[nr][nc] = 2
                fresh -= 1
                nxt.append((nr, nc))
    frontier = nxt
    minutes += 1
print(minutes if fresh == 0 else -1)
""",
    "c": """
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    int *grid = malloc(sizeof(int) * n * n), *queue = malloc(sizeof(int) * n * n);
    int head = 0, tail = 0, fresh = 0;
    for (int i = 0; i < n * n; i++) {
        if (scanf("%d", &grid[i]) != 1) return 1;
        if (grid[i] == 2) queue[tail++] = i;
        else if (grid[i] == 1) fresh++;
    }
    const int dr[] = {1, -1, 0, 0}, dc[] = {0, 0, 1, -1};
    int minutes = 0;
    while (head < tail && fresh > 0) {
        int end = tail;
        while (head < end) {
            int cell = queue[head++], r = cell / n, c = cell % n;
            for (int d = 0; d < 4; d++) {
                int nr = r + dr[d], nc = c + dc[d];
                if (nr < 0 || nr >= n || nc < 0 || nc >= n || grid[nr * n + nc] != 1) continue;
                grid[nr * n + nc] = 2;
                fresh--;
                queue[tail++] = nr * n + nc;
            }
        }
        minutes++;
    }
    printf("%d\\n", fresh == 0 ? minutes : -1);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <utility>
#include <vector>
int main() {
    int n;
    std::cin >> n;
    std::vector<std::vector<int>> grid(n, std::vector<int>(n));
    std::vector<std::pair<int, int>> frontier;
    int fresh = 0;
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) {
            std::cin >> grid[r][c];
            if (grid[r][c] == 2) frontier.push_back({r, c});
            else if (grid[r][c] == 1) ++fresh;
        }
    const int dr[] = {1, -1, 0, 0}, dc[] = {0, 0, 1, -1};
    int minutes = 0;
    while (!frontier.empty() && fresh > 0) {
        std::vector<std::pair<int, int>> next;
        for (auto [r, c] : frontier)
            for (int d = 0; d < 4; ++d) {
                int nr = r + dr[d], nc = c + dc[d];
                if (nr < 0 || nr >= n || nc < 0 || nc >= n || grid[nr][nc] != 1) continue;
                grid[nr][nc] = 2;
                --fresh;
                next.push_back({nr, nc});
            }
        frontier = std::move(next);
        ++minutes;
    }
    std::cout << (fresh == 0 ? minutes : -1) << "\\n";
}
""",
    "java": """
import java.util.ArrayDeque;
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt();
        int[][] grid = new int[n][n];
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        int fresh = 0;
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) {
                grid[r][c] = in.nextInt();
                if (grid[r][c] == 2) queue.add(new int[] {r, c});
                else if (grid[r][c] == 1) fresh++;
            }
        int[] dr = {1, -1, 0, 0}, dc = {0, 0, 1, -1};
        int minutes = 0;
        while (!queue.isEmpty() && fresh > 0) {
            for (int size = queue.size(); size > 0; size--) {
                int[] cell = queue.poll();
                for (int d = 0; d < 4; d++) {
                    int nr = cell[0] + dr[d], nc = cell[1] + dc[d];
                    if (nr < 0 || nr >= n || nc < 0 || nc >= n || grid[nr][nc] != 1) continue;
                    grid[nr][nc] = 2;
                    fresh--;
                    queue.add(new int[] {nr, nc});
                }
            }
            minutes++;
        }
        System.out.println(fresh == 0 ? minutes : -1);
    }
}
""",
    "javascript": """
const data = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
const n = data[0];
const grid = data.slice(1, 1 + n * n);
let frontier = [];
let fresh = 0;
grid.forEach((v, i) => {
  if (v === 2) frontier.push(i);
  else if (v === 1) fresh++;
});
let minutes = 0;
while (frontier.length > 0 && fresh > 0) {
  const next = [];
  for (const cell of frontier) {
    const r = Math.floor(cell / n), c = cell % n;
    for (const [nr, nc] of [[r + 1, c], [r - 1, c], [r, c + 1], [r, c - 1]]) {
      if (nr < 0 || nr >= n || nc < 0 || nc >= n || grid[nr * n + nc] !== 1) continue;
      grid[nr * n + nc] = 2;
      fresh--;
      next.push(nr * n + nc);
    }
  }
  frontier = next;
  minutes++;
}
console.log(fresh === 0 ? minutes : -1);
""",
    "go": """
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	reader := bufio.NewReader(os.Stdin)
	var n int
	fmt.Fscan(reader, &n)
	grid := make([][]int, n)
	frontier := [][2]int{}
	fresh := 0
	for r := 0; r < n; r++ {
		grid[r] = make([]int, n)
		for c := 0; c < n; c++ {
			fmt.Fscan(reader, &grid[r][c])
			if grid[r][c] == 2 {
				frontier = append(frontier, [2]int{r, c})
			} else if grid[r][c] == 1 {
				fresh++
			}
		}
	}
	dirs := [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}
	minutes := 0
	for len(frontier) > 0 && fresh > 0 {
		next := [][2]int{}
		for _, cell := range frontier {
			for _, d := range dirs {
				nr, nc := cell[0]+d[0], cell[1]+d[1]
				if nr < 0 || nr >= n || nc < 0 || nc >= n || grid[nr][nc] != 1 {
					continue
				}
				grid[nr][nc] = 2
				fresh--
				next = append(next, [2]int{nr, nc})
			}
		}
		frontier = next
		minutes++
	}
	if fresh == 0 {
		fmt.Println(minutes)
	} else {
		fmt.Println(-1)
	}
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let data: Vec<i32> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let n = data[0] as usize;
    let mut grid: Vec<i32> = data[1..1 + n * n].to_vec();
    let mut frontier: Vec<usize> = (0..n * n).filter(|&i| grid[i] == 2).collect();
    let mut fresh = grid.iter().filter(|&&v| v == 1).count();
    let mut minutes = 0;
    while !frontier.is_empty() && fresh > 0 {
        let mut next = Vec::new();
        for &cell in &frontier {
            let (r, c) = ((cell / n) as i64, (cell % n) as i64);
            for (nr, nc) in [(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)] {
                if nr < 0 || nr >= n as i64 || nc < 0 || nc >= n as i64 {
                    continue;
                }
                let idx = nr as usize * n + nc as usize;
                if grid[idx] == 1 {
                    grid[idx] = 2;
                    fresh -= 1;
                    next.push(idx);
                }
            }
        }
        frontier = next;
        minutes += 1;
    }
    if fresh == 0 {
        println!("{}", minutes);
    } else {
        println!("-1");
    }
}
""",
}

# Each wrong solution keeps spreading until the frontier is empty, so it counts one extra
# minute, the last round in which nothing rots.
WRONG = {
    "python": ("off_by_one", SOLUTIONS["python"].replace("while frontier and fresh > 0:",
                                                         "while frontier:")),
    "c": ("off_by_one", SOLUTIONS["c"].replace("while (head < tail && fresh > 0)",
                                               "while (head < tail)")),
    "cpp": ("off_by_one", SOLUTIONS["cpp"].replace("while (!frontier.empty() && fresh > 0)",
                                                   "while (!frontier.empty())")),
    "java": ("off_by_one", SOLUTIONS["java"].replace("while (!queue.isEmpty() && fresh > 0)",
                                                     "while (!queue.isEmpty())")),
    "javascript": ("off_by_one", SOLUTIONS["javascript"].replace(
        "while (frontier.length > 0 && fresh > 0)", "while (frontier.length > 0)")),
    "go": ("off_by_one", SOLUTIONS["go"].replace("for len(frontier) > 0 && fresh > 0 {",
                                                 "for len(frontier) > 0 {")),
    "rust": ("off_by_one", SOLUTIONS["rust"].replace("while !frontier.is_empty() && fresh > 0 {",
                                                     "while !frontier.is_empty() {")),
}
