"""List the elements of a square matrix in clockwise spiral order from the top-left corner.
Input: ``n`` on the first line, then n rows of n integers; output: the elements on one line,
separated by spaces."""

TASK = "spiral_matrix"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    matrix = entry["metadata"]["matrix"]
    return f"{len(matrix)}\n" + "".join(" ".join(map(str, row)) + "\n" for row in matrix)


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

data = sys.stdin.read().split()
n = int(data[0])
m = [list(map(int, data[1 + i * n:1 + (i + 1) * n])) for i in range(n)]
top, bottom, left, right = 0, n - 1, 0, n - 1
out = []
while top <= bottom and left <= right:
    for j in range(left, right + 1):
        out.append(m[top][j])
    top += 1
    for i in range(top, bottom + 1):
        out.append(m[i][right])
    right -= 1
    if top <= bottom:
        for j in range(right, left - 1, -1):
            out.append(m[bottom][j])
        bottom -= 1
    if left <= right:
        for i in range(bottom, top - 1, -1):
            out.append(m[i][left])
        left += 1
print(" ".join(map(str, out)))
""",
    "c": """
#include <stdio.h>
int main(void) {
    int n, m[32][32];
    if (scanf("%d", &n) != 1) return 1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) scanf("%d", &m[i][j]);
    int top = 0, bottom = n - 1, left = 0, right = n - 1, first = 1;
    while (top <= bottom && left <= right) {
        int seq[128], k = 0;
        for (int j = left; j <= right; j++) seq[k++] = m[top][j];
        top++;
        for (int i = top; i <= bottom; i++) seq[k++] = m[i][right];
        right--;
        if (top <= bottom) {
            for (int j = right; j >= left; j--) seq[k++] = m[bottom][j];
            bottom--;
        }
        if (left <= right) {
            for (int i = bottom; i >= top; i--) seq[k++] = m[i][left];
            left++;
        }
        for (int t = 0; t < k; t++) {
            printf(first ? "%d" : " %d", seq[t]);
            first = 0;
        }
    }
    printf("\\n");
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <vector>
int main() {
    int n;
    std::cin >> n;
    std::vector<std::vector<int>> m(n, std::vector<int>(n));
    for (auto &row : m)
        for (int &x : row) std::cin >> x;
    int top = 0, bottom = n - 1, left = 0, right = n - 1;
    std::vector<int> out;
    while (top <= bottom && left <= right) {
        for (int j = left; j <= right; ++j) out.push_back(m[top][j]);
        ++top;
        for (int i = top; i <= bottom; ++i) out.push_back(m[i][right]);
        --right;
        if (top <= bottom) {
            for (int j = right; j >= left; --j) out.push_back(m[bottom][j]);
            --bottom;
        }
        if (left <= right) {
            for (int i = bottom; i >= top; --i) out.push_back(m[i][left]);
            ++left;
        }
    }
    for (size_t i = 0; i < out.size(); ++i) std::cout << (i ? " " : "") << out[i];
    std::cout << "\\n";
}
""",
    "java": """
import java.util.ArrayList;
import java.util.List;
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt();
        int[][] m = new int[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i][j] = in.nextInt();
        int top = 0, bottom = n - 1, left = 0, right = n - 1;
        List<String> out = new ArrayList<>();
        while (top <= bottom && left <= right) {
            for (int j = left; j <= right; j++) out.add(String.valueOf(m[top][j]));
            top++;
            for (int i = top; i <= bottom; i++) out.add(String.valueOf(m[i][right]));
            right--;
            if (top <= bottom) {
                for (int j = right; j >= left; j--) out.add(String.valueOf(m[bottom][j]));
                bottom--;
            }
            if (left <= right) {
                for (int i = bottom; i >= top; i--) out.add(String.valueOf(m[i][left]));
                left++;
            }
        }
        System.out.println(String.join(" ", out));
    }
}
""",
    "javascript": """
const data = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
const n = data[0];
const m = [];
for (let i = 0; i < n; i++) m.push(data.slice(1 + i * n, 1 + (i + 1) * n));
let top = 0, bottom = n - 1, left = 0, right = n - 1;
const out = [];
while (top <= bottom && left <= right) {
  for (let j = left; j <= right; j++) out.push(m[top][j]);
  top++;
  for (let i = top; i <= bottom; i++) out.push(m[i][right]);
  right--;
  if (top <= bottom) {
    for (let j = right; j >= left; j--) out.push(m[bottom][j]);
    bottom--;
  }
  if (left <= right) {
    for (let i = bottom; i >= top; i--) out.push(m[i][left]);
    left++;
  }
}
console.log(out.join(" "));
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
	var n int
	fmt.Fscan(reader, &n)
	m := make([][]int, n)
	for i := range m {
		m[i] = make([]int, n)
		for j := range m[i] {
			fmt.Fscan(reader, &m[i][j])
		}
	}
	top, bottom, left, right := 0, n-1, 0, n-1
	out := []string{}
	for top <= bottom && left <= right {
		for j := left; j <= right; j++ {
			out = append(out, strconv.Itoa(m[top][j]))
		}
		top++
		for i := top; i <= bottom; i++ {
			out = append(out, strconv.Itoa(m[i][right]))
		}
		right--
		if top <= bottom {
			for j := right; j >= left; j-- {
				out = append(out, strconv.Itoa(m[bottom][j]))
			}
			bottom--
		}
		if left <= right {
			for i := bottom; i >= top; i-- {
				out = append(out, strconv.Itoa(m[i][left]))
			}
			left++
		}
	}
	fmt.Println(strings.Join(out, " "))
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let data: Vec<i64> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let n = data[0] as i64;
    let at = |i: i64, j: i64| data[(1 + i * n + j) as usize];
    let (mut top, mut bottom, mut left, mut right) = (0i64, n - 1, 0i64, n - 1);
    let mut out: Vec<String> = Vec::new();
    while top <= bottom && left <= right {
        for j in left..=right {
            out.push(at(top, j).to_string());
        }
        top += 1;
        for i in top..=bottom {
            out.push(at(i, right).to_string());
        }
        right -= 1;
        if top <= bottom {
            for j in (left..=right).rev() {
                out.push(at(bottom, j).to_string());
            }
            bottom -= 1;
        }
        if left <= right {
            for i in (top..=bottom).rev() {
                out.push(at(i, left).to_string());
            }
            left += 1;
        }
    }
    println!("{}", out.join(" "));
}
""",
}

# Each wrong solution stops while a single row or column is left: the centre of an odd-sized
# matrix is never printed.
WRONG = {language: ("off_by_one", source.replace("top <= bottom && left <= right",
                                                 "top < bottom && left < right")
                    .replace("while top <= bottom and left <= right",
                             "while top < bottom and left < right"))
         for language, source in SOLUTIONS.items()}
