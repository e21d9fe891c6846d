"""Area of the largest 4-connected island of 1s in a binary grid (0 if none). Input: ``rows
cols`` then the rows of 0/1 separated by spaces; output: the area."""

TASK = "largest_island"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    grid = entry["metadata"]["grid"]
    rows = "".join(" ".join(map(str, row)) + "\n" for row in grid)
    return f"{len(grid)} {len(grid[0])}\n{rows}"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

data = sys.stdin.read().split()
rows, cols = int(data[0]), int(data[1])
grid = [[int(data[2 + r * cols + c]) for c in range(cols)] for r in range(rows)]
best = 0
for r in range(rows):
    for c in range(cols):
        if grid[r][c] != 1:
            continue
        grid[r][c] = 0
        stack, area = [(r, c)], 0
        while stack:
            y, x = stack.pop()
            area += 1
            for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == 1:
                    grid[ny][nx] = 0
                    stack.append((ny, nx))
        best = max(best, area)
print(best)
""",
    "c": """
#include <stdio.h>
int rows, cols, grid[64][64];
int fill(int y, int x) {
    if (y < 0 || y >= rows || x < 0 || x >= cols || grid[y][x] != 1) return 0;
    grid[y][x] = 0;
    return 1 + fill(y + 1, x) + fill(y - 1, x) + fill(y, x + 1) + fill(y, x - 1);
}
int main(void) {
    if (scanf("%d %d", &rows, &cols) != 2) return 1;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) scanf("%d", &grid[r][c]);
    int best = 0;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            int area = fill(r, c);
            if (area > best) best = area;
        }
    printf("%d\\n", best);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <vector>
int rows, cols;
std::vector<std::vector<int>> grid;
int fill(int y, int x) {
    if (y < 0 || y >= rows || x < 0 || x >= cols || grid[y][x] != 1) return 0;
    grid[y][x] = 0;
    return 1 + fill(y + 1, x) + fill(y - 1, x) + fill(y, x + 1) + fill(y, x - 1);
}
int main() {
    std::cin >> rows >> cols;
    grid.assign(rows, std::vector<int>(cols));
    for (auto &row : grid)
        for (auto &cell : row) std::cin >> cell;
    int best = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) best = std::max(best, fill(r, c));
    std::cout << best << "\\n";
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    static int rows, cols;
    static int[][] grid;

    static int fill(int y, int x) {
        if (y < 0 || y >= rows || x < 0 || x >= cols || grid[y][x] != 1) return 0;
        grid[y][x] = 0;
        return 1 + fill(y + 1, x) + fill(y - 1, x) + fill(y, x + 1) + fill(y, x - 1);
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        rows = in.nextInt();
        cols = in.nextInt();
        grid = new int[rows][cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) grid[r][c] = in.nextInt();
        int best = 0;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) best = Math.max(best, fill(r, c));
        System.out.println(best);
    }
}
""",
    "javascript": """
const data = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
const [rows, cols] = data;
const grid = [];
for (let r = 0; r < rows; r++) grid.push(data.slice(2 + r * cols, 2 + (r + 1) * cols));
function fill(y, x) {
  if (y < 0 || y >= rows || x < 0 || x >= cols || grid[y][x] !== 1) return 0;
  grid[y][x] = 0;
  return 1 + fill(y + 1, x) + fill(y - 1, x) + fill(y, x + 1) + fill(y, x - 1);
}
let best = 0;
for (let r = 0; r < rows; r++) {
  for (let c = 0; c < cols; c++) best = Math.max(best, fill(r, c));
}
console.log(best);
""",
    "go": """
package main

import (
	"bufio"
	"fmt"
	"os"
)

var rows, cols int
var grid [][]int

func fill(y, x int) int {
	if y < 0 || y >= rows || x < 0 || x >= cols || grid[y][x] != 1 {
		return 0
	}
	grid[y][x] = 0
	return 1 + fill(y+1, x) + fill(y-1, x) + fill(y, x+1) + fill(y, x-1)
}

func main() {
	in := bufio.NewReader(os.Stdin)
	fmt.Fscan(in, &rows, &cols)
	grid = make([][]int, rows)
	for r := range grid {
		grid[r] = make([]int, cols)
		for c := range grid[r] {
			fmt.Fscan(in, &grid[r][c])
		}
	}
	best := 0
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if area := fill(r, c); area > best {
				best = area
			}
		}
	}
	fmt.Println(best)
}
""",
    "rust": """
use std::io::Read;

fn fill(grid: &mut Vec<Vec<u8>>, y: usize, x: usize) -> usize {
    if grid[y][x] != 1 {
        return 0;
    }
    grid[y][x] = 0;
    let mut area = 1;
    if y + 1 < grid.len() {
        area += fill(grid, y + 1, x);
    }
    if y > 0 {
        area += fill(grid, y - 1, x);
    }
    if x + 1 < grid[0].len() {
        area += fill(grid, y, x + 1);
    }
    if x > 0 {
        area += fill(grid, y, x - 1);
    }
    area
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let v: Vec<usize> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let (rows, cols) = (v[0], v[1]);
    let mut grid: Vec<Vec<u8>> = (0..rows)
        .map(|r| (0..cols).map(|c| v[2 + r * cols + c] as u8).collect())
        .collect();
    let mut best = 0;
    for r in 0..rows {
        for c in 0..cols {
            best = best.max(fill(&mut grid, r, c));
        }
    }
    println!("{}", best);
}
""",
}

WRONG = {
    # Counts every land cell instead of the largest island.
    "python": ("logic", SOLUTIONS["python"].replace("best = max(best, area)", "best += area")),
    # Treats the bottom row as water.
    "c": ("off_by_one", SOLUTIONS["c"].replace("y >= rows", "y >= rows - 1")),
    # Treats the last column as water.
    "cpp": ("off_by_one", SOLUTIONS["cpp"].replace("x >= cols", "x >= cols - 1")),
    # Also joins cells diagonally (8-connectivity).
    "java": ("logic", SOLUTIONS["java"].replace(
        "+ fill(y, x - 1);",
        "+ fill(y, x - 1)\n            + fill(y + 1, x + 1) + fill(y - 1, x - 1)"
        " + fill(y + 1, x - 1) + fill(y - 1, x + 1);")),
    # Prints the number of islands instead of the largest area.
    "javascript": ("logic", SOLUTIONS["javascript"].replace(
        "best = Math.max(best, fill(r, c));", "if (fill(r, c) > 0) best++;")),
    # Does not go right: an island is only explored down, up and left.
    "go": ("logic", SOLUTIONS["go"].replace(" + fill(y, x+1)", "")),
    # Drops the bottom row when reading the neighbours.
    "rust": ("off_by_one", SOLUTIONS["rust"].replace("if y + 1 < grid.len()",
                                                     "if y + 2 < grid.len()")),
}
