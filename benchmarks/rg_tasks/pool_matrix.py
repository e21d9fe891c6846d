"""Max or average pooling of an integer matrix with a k x k kernel and stride k (windows at the
right and bottom edges may be partial). Input: ``rows cols type k`` (type ``max`` or
``average``), then the matrix, one row per line; output: the pooled matrix, one row per line;
averages rounded to 2 decimals and written without trailing zeros but with at least one decimal
(``4.67``, ``4.5``, ``5.0``)."""

TASK = "pool_matrix"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    meta = entry["metadata"]
    matrix = meta["matrix"]
    rows = "".join(" ".join(map(str, row)) + "\n" for row in matrix)
    return f"{len(matrix)} {len(matrix[0])} {meta['pool_type']} {meta['pool_size']}\n{rows}"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

data = sys.stdin.read().split()
rows, cols, kind, k = int(data[0]), int(data[1]), data[2], int(data[3])
values = list(map(int, data[4:]))
matrix = [values[r * cols:(r + 1) * cols] for r in range(rows)]
for i in range(0, rows, k):
    out = []
    for j in range(0, cols, k):
        window = [matrix[r][c] for r in range(i, min(i + k, rows))
                  for c in range(j, min(j + k, cols))]
        if kind == "max":
            out.append(str(max(window)))
        else:
            out.append(str(round(sum(window) / len(window), 2)))
    print(" ".join(out))
""",
    "c": """
#include <stdio.h>
#include <string.h>
int main(void) {
    int rows, cols, k;
    char kind[16];
    if (scanf("%d %d %15s %d", &rows, &cols, kind, &k) != 4) return 1;
    int m[64][64];
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            if (scanf("%d", &m[r][c]) != 1) return 1;
    int is_max = strcmp(kind, "max") == 0;
    for (int i = 0; i < rows; i += k) {
        for (int j = 0; j < cols; j += k) {
            int best = m[i][j], sum = 0, count = 0;
            for (int r = i; r < i + k && r < rows; r++)
                for (int c = j; c < j + k && c < cols; c++) {
                    if (m[r][c] > best) best = m[r][c];
                    sum += m[r][c];
                    count++;
                }
            if (j > 0) putchar(' ');
            if (is_max) {
                printf("%d", best);
            } else {
                char buf[32];
                snprintf(buf, sizeof buf, "%.2f", (double) sum / count);
                size_t len = strlen(buf);
                while (buf[len - 1] == '0') buf[--len] = '\\0';
                if (buf[len - 1] == '.') strcat(buf, "0");
                printf("%s", buf);
            }
        }
        putchar('\\n');
    }
    return 0;
}
""",
    "cpp": """
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>
std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s += '0';
    return s;
}
int main() {
    int rows, cols, k;
    std::string kind;
    std::cin >> rows >> cols >> kind >> k;
    std::vector<std::vector<int>> m(rows, std::vector<int>(cols));
    for (auto &row : m)
        for (int &v : row) std::cin >> v;
    for (int i = 0; i < rows; i += k) {
        std::string line;
        for (int j = 0; j < cols; j += k) {
            int best = m[i][j], sum = 0, count = 0;
            for (int r = i; r < std::min(i + k, rows); ++r)
                for (int c = j; c < std::min(j + k, cols); ++c) {
                    best = std::max(best, m[r][c]);
                    sum += m[r][c];
                    ++count;
                }
            if (j > 0) line += ' ';
            line += kind == "max" ? std::to_string(best) : fmt((double) sum / count);
        }
        std::cout << line << "\\n";
    }
}
""",
    "java": """
import java.util.Locale;
import java.util.Scanner;

public class Main {
    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        while (s.endsWith("0")) s = s.substring(0, s.length() - 1);
        return s.endsWith(".") ? s + "0" : s;
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int rows = in.nextInt(), cols = in.nextInt();
        String kind = in.next();
        int k = in.nextInt();
        int[][] m = new int[rows][cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) m[r][c] = in.nextInt();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows; i += k) {
            for (int j = 0; j < cols; j += k) {
                int best = m[i][j], sum = 0, count = 0;
                for (int r = i; r < Math.min(i + k, rows); r++)
                    for (int c = j; c < Math.min(j + k, cols); c++) {
                        best = Math.max(best, m[r][c]);
                        sum += m[r][c];
                        count++;
                    }
                if (j > 0) out.append(' ');
                out.append(kind.equals("max") ? Integer.toString(best) : fmt((double) sum / count));
            }
            out.append('\\n');
        }
        System.out.print(out);
    }
}
""",
    "javascript": """
const data = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/);
const rows = Number(data[0]), cols = Number(data[1]), kind = data[2], k = Number(data[3]);
const values = data.slice(4).map(Number);
const fmt = (v) => {
  let s = v.toFixed(2).replace(/0+$/, "");
  return s.endsWith(".") ? s + "0" : s;
};
const lines = [];
for (let i = 0; i < rows; i += k) {
  const out = [];
  for (let j = 0; j < cols; j += k) {
    const window = [];
    for (let r = i; r < Math.min(i + k, rows); r++) {
      for (let c = j; c < Math.min(j + k, cols); c++) window.push(values[r * cols + c]);
    }
    if (kind === "max") out.push(String(Math.max(...window)));
    else out.push(fmt(window.reduce((a, b) => a + b, 0) / window.length));
  }
  lines.push(out.join(" "));
}
console.log(lines.join("\\n"));
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

func format(v float64) string {
	s := strings.TrimRight(strconv.FormatFloat(v, 'f', 2, 64), "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

func main() {
	reader := bufio.NewReader(os.Stdin)
	var rows, cols, k int
	var kind string
	fmt.Fscan(reader, &rows, &cols, &kind, &k)
	m := make([][]int, rows)
	for r := range m {
		m[r] = make([]int, cols)
		for c := range m[r] {
			fmt.Fscan(reader, &m[r][c])
		}
	}
	for i := 0; i < rows; i += k {
		out := []string{}
		for j := 0; j < cols; j += k {
			best, sum, count := m[i][j], 0, 0
			for r := i; r < i+k && r < rows; r++ {
				for c := j; c < j+k && c < cols; c++ {
					if m[r][c] > best {
						best = m[r][c]
					}
					sum += m[r][c]
					count++
				}
			}
			if kind == "max" {
				out = append(out, strconv.Itoa(best))
			} else {
				out = append(out, format(float64(sum)/float64(count)))
			}
		}
		fmt.Println(strings.Join(out, " "))
	}
}
""",
    "rust": """
use std::io::Read;

fn fmt(v: f64) -> String {
    let mut s = format!("{:.2}", v);
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.push('0');
    }
    s
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let t: Vec<&str> = input.split_whitespace().collect();
    let rows: usize = t[0].parse().unwrap();
    let cols: usize = t[1].parse().unwrap();
    let kind = t[2];
    let k: usize = t[3].parse().unwrap();
    let m: Vec<i64> = t[4..].iter().map(|x| x.parse().unwrap()).collect();
    for i in (0..rows).step_by(k) {
        let mut out: Vec<String> = Vec::new();
        for j in (0..cols).step_by(k) {
            let mut window = Vec::new();
            for r in i..(i + k).min(rows) {
                for c in j..(j + k).min(cols) {
                    window.push(m[r * cols + c]);
                }
            }
            if kind == "max" {
                out.push(window.iter().max().unwrap().to_string());
            } else {
                let sum: i64 = window.iter().sum();
                out.push(fmt(sum as f64 / window.len() as f64));
            }
        }
        println!("{}", out.join(" "));
    }
}
""",
}

# Each wrong solution prints the averages with two fixed decimals (``5.00``, ``4.50``) instead of
# dropping the trailing zeros.
WRONG = {
    "python": ("format", SOLUTIONS["python"].replace("str(round(sum(window) / len(window), 2))",
                                                     'f"{sum(window) / len(window):.2f}"')),
    "c": ("format", SOLUTIONS["c"].replace('printf("%s", buf);',
                                           'printf("%.2f", (double) sum / count);')),
    "cpp": ("format", SOLUTIONS["cpp"].replace("while (s.back() == '0') s.pop_back();", "")),
    "java": ("format", SOLUTIONS["java"].replace(
        'while (s.endsWith("0")) s = s.substring(0, s.length() - 1);', "")),
    "javascript": ("format", SOLUTIONS["javascript"].replace('.replace(/0+$/, "")', "")),
    "go": ("format", SOLUTIONS["go"].replace("format(float64(sum)/float64(count))",
                                             "strconv.FormatFloat(float64(sum)/float64(count), "
                                             "'f', 2, 64)")),
    "rust": ("format", SOLUTIONS["rust"].replace(
        "while s.ends_with('0') {\n        s.pop();\n    }", "")),
}
