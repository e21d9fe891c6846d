"""Apply a sequence of operations to an integer matrix: rotate (clockwise, 90/180/270/360),
hmirror (reverse the rows' order), vmirror (reverse each row), dmirror (transpose), cmirror
(mirror along the counterdiagonal), map a b, zero_divisible k, crop r1 r2 c1 c2 and
remove_every_nth_row/col n (all 1-indexed). Input: ``rows cols``, the matrix, the number of
operations, then one operation per line; output: the final matrix, one row per line."""

TASK = "manipulate_matrix"
CONFIG: dict[str, object] = {}

_ARGS = {"rotate": ["degrees"], "map": ["from", "to"], "zero_divisible": ["k"],
         "crop": ["row_start", "row_end", "col_start", "col_end"],
         "remove_every_nth_row": ["n"], "remove_every_nth_col": ["n"]}


def stdin(entry: dict) -> str:
    meta = entry["metadata"]
    matrix = meta["matrix"]
    rows = "".join(" ".join(map(str, row)) + "\n" for row in matrix)
    ops = "".join(" ".join([op["transform"], *(str(op[k]) for k in _ARGS.get(op["transform"], []))])
                  + "\n" for op in meta["operations"])
    return f"{len(matrix)} {len(matrix[0])}\n{rows}{len(meta['operations'])}\n{ops}"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys


def transpose(m):
    return [list(row) for row in zip(*m)]


def hmirror(m):
    return m[::-1]


def vmirror(m):
    return [row[::-1] for row in m]


tokens = sys.stdin.read().split()
pos = 0


def take():
    global pos
    pos += 1
    return tokens[pos - 1]


rows, cols = int(take()), int(take())
m = [[int(take()) for _ in range(cols)] for _ in range(rows)]
for _ in range(int(take())):
    op = take()
    if op == "rotate":
        degrees = int(take())
        if degrees == 90:
            m = transpose(hmirror(m))
        elif degrees == 180:
            m = hmirror(vmirror(m))
        elif degrees == 270:
            m = transpose(vmirror(m))
    elif op == "hmirror":
        m = hmirror(m)
    elif op == "vmirror":
        m = vmirror(m)
    elif op == "dmirror":
        m = transpose(m)
    elif op == "cmirror":
        m = transpose(hmirror(vmirror(m)))
    elif op == "map":
        a, b = int(take()), int(take())
        m = [[b if x == a else x for x in row] for row in m]
    elif op == "zero_divisible":
        k = int(take())
        m = [[0 if x % k == 0 else x for x in row] for row in m]
    elif op == "crop":
        r1, r2, c1, c2 = (int(take()) for _ in range(4))
        m = [row[c1 - 1:c2] for row in m[r1 - 1:r2]]
    elif op == "remove_every_nth_row":
        n = int(take())
        m = [row for i, row in enumerate(m, start=1) if i % n != 0]
    elif op == "remove_every_nth_col":
        n = int(take())
        m = [[x for i, x in enumerate(row, start=1) if i % n != 0] for row in m]
for row in m:
    print(" ".join(map(str, row)))
""",
    "c": """
#include <stdio.h>
#include <string.h>
#define N 32
static int m[N][N], t[N][N], rows, cols;
static void commit(int r, int c) {
    memcpy(m, t, sizeof m);
    rows = r;
    cols = c;
}
static void transpose(void) {
    for (int i = 0; i < cols; i++)
        for (int j = 0; j < rows; j++) t[i][j] = m[j][i];
    commit(cols, rows);
}
static void hmirror(void) {
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) t[i][j] = m[rows - 1 - i][j];
    commit(rows, cols);
}
static void vmirror(void) {
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) t[i][j] = m[i][cols - 1 - j];
    commit(rows, cols);
}
int main(void) {
    if (scanf("%d %d", &rows, &cols) != 2) return 1;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            if (scanf("%d", &m[i][j]) != 1) return 1;
    int ops;
    if (scanf("%d", &ops) != 1) return 1;
    while (ops-- > 0) {
        char op[32];
        if (scanf("%31s", op) != 1) return 1;
        if (strcmp(op, "rotate") == 0) {
            int degrees;
            if (scanf("%d", &degrees) != 1) return 1;
            if (degrees == 90) { hmirror(); transpose(); }
            else if (degrees == 180) { vmirror(); hmirror(); }
            else if (degrees == 270) { vmirror(); transpose(); }
        } else if (strcmp(op, "hmirror") == 0) {
            hmirror();
        } else if (strcmp(op, "vmirror") == 0) {
            vmirror();
        } else if (strcmp(op, "dmirror") == 0) {
            transpose();
        } else if (strcmp(op, "cmirror") == 0) {
            vmirror();
            hmirror();
            transpose();
        } else if (strcmp(op, "map") == 0) {
            int a, b;
            if (scanf("%d %d", &a, &b) != 2) return 1;
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    if (m[i][j] == a) m[i][j] = b;
        } else if (strcmp(op, "zero_divisible") == 0) {
            int k;
            if (scanf("%d", &k) != 1) return 1;
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    if (m[i][j] % k == 0) m[i][j] = 0;
        } else if (strcmp(op, "crop") == 0) {
            int r1, r2, c1, c2;
            if (scanf("%d %d %d %d", &r1, &r2, &c1, &c2) != 4) return 1;
            for (int i = r1 - 1; i < r2; i++)
                for (int j = c1 - 1; j < c2; j++) t[i - r1 + 1][j - c1 + 1] = m[i][j];
            commit(r2 - r1 + 1, c2 - c1 + 1);
        } else if (strcmp(op, "remove_every_nth_row") == 0) {
            int n, r = 0;
            if (scanf("%d", &n) != 1) return 1;
            for (int i = 1; i <= rows; i++)
                if (i % n != 0) memcpy(t[r++], m[i - 1], sizeof m[0]);
            commit(r, cols);
        } else if (strcmp(op, "remove_every_nth_col") == 0) {
            int n, c = 0;
            if (scanf("%d", &n) != 1) return 1;
            for (int j = 1; j <= cols; j++) {
                if (j % n == 0) continue;
                for (int i = 0; i < rows; i++) t[i][c] = m[i][j - 1];
                c++;
            }
            commit(rows, c);
        }
    }
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) printf("%d%c", m[i][j], j == cols - 1 ? '\\n' : ' ');
    return 0;
}
""",
    "cpp": """
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>
using Matrix = std::vector<std::vector<int>>;
Matrix transpose(const Matrix &m) {
    Matrix t(m[0].size(), std::vector<int>(m.size()));
    for (size_t i = 0; i < m.size(); ++i)
        for (size_t j = 0; j < m[0].size(); ++j) t[j][i] = m[i][j];
    return t;
}
Matrix hmirror(Matrix m) {
    std::reverse(m.begin(), m.end());
    return m;
}
Matrix vmirror(Matrix m) {
    for (auto &row : m) std::reverse(row.begin(), row.end());
    return m;
}
int main() {
    int rows, cols, ops;
    std::cin >> rows >> cols;
    Matrix m(rows, std::vector<int>(cols));
    for (auto &row : m)
        for (int &x : row) std::cin >> x;
    std::cin >> ops;
    while (ops-- > 0) {
        std::string op;
        std::cin >> op;
        if (op == "rotate") {
            int degrees;
            std::cin >> degrees;
            if (degrees == 90) m = transpose(hmirror(m));
            else if (degrees == 180) m = hmirror(vmirror(m));
            else if (degrees == 270) m = transpose(vmirror(m));
        } else if (op == "hmirror") {
            m = hmirror(m);
        } else if (op == "vmirror") {
            m = vmirror(m);
        } else if (op == "dmirror") {
            m = transpose(m);
        } else if (op == "cmirror") {
            m = transpose(hmirror(vmirror(m)));
        } else if (op == "map") {
            int a, b;
            std::cin >> a >> b;
            for (auto &row : m)
                for (int &x : row)
                    if (x == a) x = b;
        } else if (op == "zero_divisible") {
            int k;
            std::cin >> k;
            for (auto &row : m)
                for (int &x : row)
                    if (x % k == 0) x = 0;
        } else if (op == "crop") {
            int r1, r2, c1, c2;
            std::cin >> r1 >> r2 >> c1 >> c2;
            Matrix t;
            for (int i = r1 - 1; i < r2; ++i)
                t.emplace_back(m[i].begin() + (c1 - 1), m[i].begin() + c2);
            m = t;
        } else if (op == "remove_every_nth_row") {
            int n;
            std::cin >> n;
            Matrix t;
            for (size_t i = 1; i <= m.size(); ++i)
                if (i % n != 0) t.push_back(m[i - 1]);
            m = t;
        } else if (op == "remove_every_nth_col") {
            int n;
            std::cin >> n;
            for (auto &row : m) {
                std::vector<int> kept;
                for (size_t j = 1; j <= row.size(); ++j)
                    if (j % n != 0) kept.push_back(row[j - 1]);
                row = kept;
            }
        }
    }
    for (const auto &row : m)
        for (size_t j = 0; j < row.size(); ++j)
            std::cout << row[j] << (j + 1 == row.size() ? "\\n" : " ");
}
""",
    "java": """
import java.util.Scanner;

public class Main {
    static int[][] transpose(int[][] m) {
        int[][] t = new int[m[0].length][m.length];
        for (int i = 0; i < m.length; i++)
            for (int j = 0; j < m[0].length; j++) t[j][i] = m[i][j];
        return t;
    }

    static int[][] hmirror(int[][] m) {
        int[][] t = new int[m.length][];
        for (int i = 0; i < m.length; i++) t[i] = m[m.length - 1 - i].clone();
        return t;
    }

    static int[][] vmirror(int[][] m) {
        int[][] t = new int[m.length][m[0].length];
        for (int i = 0; i < m.length; i++)
            for (int j = 0; j < m[0].length; j++) t[i][j] = m[i][m[0].length - 1 - j];
        return t;
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int rows = in.nextInt(), cols = in.nextInt();
        int[][] m = new int[rows][cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) m[i][j] = in.nextInt();
        int ops = in.nextInt();
        while (ops-- > 0) {
            String op = in.next();
            switch (op) {
                case "rotate": {
                    int degrees = in.nextInt();
                    if (degrees == 90) m = transpose(hmirror(m));
                    else if (degrees == 180) m = hmirror(vmirror(m));
                    else if (degrees == 270) m = transpose(vmirror(m));
                    break;
                }
                case "hmirror": m = hmirror(m); break;
                case "vmirror": m = vmirror(m); break;
                case "dmirror": m = transpose(m); break;
                case "cmirror": m = transpose(hmirror(vmirror(m))); break;
                case "map": {
                    int a = in.nextInt(), b = in.nextInt();
                    for (int[] row : m)
                        for (int j = 0; j < row.length; j++) if (row[j] == a) row[j] = b;
                    break;
                }
                case "zero_divisible": {
                    int k = in.nextInt();
                    for (int[] row : m)
                        for (int j = 0; j < row.length; j++) if (row[j] % k == 0) row[j] = 0;
                    break;
                }
                case "crop": {
                    int r1 = in.nextInt(), r2 = in.nextInt(), c1 = in.nextInt(), c2 = in.nextInt();
                    int[][] t = new int[r2 - r1 + 1][c2 - c1 + 1];
                    for (int i = r1 - 1; i < r2; i++)
                        for (int j = c1 - 1; j < c2; j++) t[i - r1 + 1][j - c1 + 1] = m[i][j];
                    m = t;
                    break;
                }
                case "remove_every_nth_row": {
                    int n = in.nextInt();
                    java.util.List<int[]> kept = new java.util.ArrayList<>();
                    for (int i = 1; i <= m.length; i++) if (i % n != 0) kept.add(m[i - 1]);
                    m = kept.toArray(new int[0][]);
                    break;
                }
                case "remove_every_nth_col": {
                    int n = in.nextInt();
                    int width = m[0].length - m[0].length / n;
                    int[][] t = new int[m.length][width];
                    for (int i = 0; i < m.length; i++) {
                        int c = 0;
                        for (int j = 1; j <= m[0].length; j++) {
                            if (j % n != 0) t[i][c++] = m[i][j - 1];
                        }
                    }
                    m = t;
                    break;
                }
                default: break;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int[] row : m) {
            for (int j = 0; j < row.length; j++) {
                out.append(row[j]).append(j == row.length - 1 ? "\\n" : " ");
            }
        }
        System.out.print(out);
    }
}
""",
    "javascript": """
const tokens = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/);
let pos = 0;
const take = () => tokens[pos++];
const transpose = (m) => m[0].map((_, j) => m.map((row) => row[j]));
const hmirror = (m) => [...m].reverse();
const vmirror = (m) => m.map((row) => [...row].reverse());
const rows = Number(take()), cols = Number(take());
let m = [];
for (let i = 0; i < rows; i++) {
  const row = [];
  for (let j = 0; j < cols; j++) row.push(Number(take()));
  m.push(row);
}
for (let ops = Number(take()); ops > 0; ops--) {
  const op = take();
  if (op === "rotate") {
    const degrees = Number(take());
    if (degrees === 90) m = transpose(hmirror(m));
    else if (degrees === 180) m = hmirror(vmirror(m));
    else if (degrees === 270) m = transpose(vmirror(m));
  } else if (op === "hmirror") m = hmirror(m);
  else if (op === "vmirror") m = vmirror(m);
  else if (op === "dmirror") m = transpose(m);
  else if (op === "cmirror") m = transpose(hmirror(vmirror(m)));
  else if (op === "map") {
    const a = Number(take()), b = Number(take());
    m = m.map((row) => row.map((x) => (x === a ? b : x)));
  } else if (op === "zero_divisible") {
    const k = Number(take());
    m = m.map((row) => row.map((x) => (x % k === 0 ? 0 : x)));
  } else if (op === "crop") {
    const [r1, r2, c1, c2] = [take(), take(), take(), take()].map(Number);
    m = m.slice(r1 - 1, r2).map((row) => row.slice(c1 - 1, c2));
  } else if (op === "remove_every_nth_row") {
    const n = Number(take());
    m = m.filter((_, i) => (i + 1) % n !== 0);
  } else if (op === "remove_every_nth_col") {
    const n = Number(take());
    m = m.map((row) => row.filter((_, j) => (j + 1) % n !== 0));
  }
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

type Matrix [][]int

func transpose(m Matrix) Matrix {
	t := make(Matrix, len(m[0]))
	for j := range t {
		t[j] = make([]int, len(m))
		for i := range m {
			t[j][i] = m[i][j]
		}
	}
	return t
}

func hmirror(m Matrix) Matrix {
	t := make(Matrix, len(m))
	for i := range m {
		t[i] = append([]int{}, m[len(m)-1-i]...)
	}
	return t
}

func vmirror(m Matrix) Matrix {
	t := make(Matrix, len(m))
	for i, row := range m {
		t[i] = make([]int, len(row))
		for j := range row {
			t[i][j] = row[len(row)-1-j]
		}
	}
	return t
}

func main() {
	reader := bufio.NewReader(os.Stdin)
	var rows, cols, ops int
	fmt.Fscan(reader, &rows, &cols)
	m := make(Matrix, rows)
	for i := range m {
		m[i] = make([]int, cols)
		for j := range m[i] {
			fmt.Fscan(reader, &m[i][j])
		}
	}
	fmt.Fscan(reader, &ops)
	for ; ops > 0; ops-- {
		var op string
		fmt.Fscan(reader, &op)
		switch op {
		case "rotate":
			var degrees int
			fmt.Fscan(reader, &degrees)
			switch degrees {
			case 90:
				m = transpose(hmirror(m))
			case 180:
				m = hmirror(vmirror(m))
			case 270:
				m = transpose(vmirror(m))
			}
		case "hmirror":
			m = hmirror(m)
		case "vmirror":
			m = vmirror(m)
		case "dmirror":
			m = transpose(m)
		case "cmirror":
			m = transpose(hmirror(vmirror(m)))
		case "map":
			var a, b int
			fmt.Fscan(reader, &a, &b)
			for _, row := range m {
				for j := range row {
					if row[j] == a {
						row[j] = b
					}
				}
			}
		case "zero_divisible":
			var k int
			fmt.Fscan(reader, &k)
			for _, row := range m {
				for j := range row {
					if row[j]%k == 0 {
						row[j] = 0
					}
				}
			}
		case "crop":
			var r1, r2, c1, c2 int
			fmt.Fscan(reader, &r1, &r2, &c1, &c2)
			t := Matrix{}
			for i := r1 - 1; i < r2; i++ {
				t = append(t, append([]int{}, m[i][c1-1:c2]...))
			}
			m = t
		case "remove_every_nth_row":
			var n int
			fmt.Fscan(reader, &n)
			t := Matrix{}
			for i := 1; i <= len(m); i++ {
				if i%n != 0 {
					t = append(t, m[i-1])
				}
			}
			m = t
		case "remove_every_nth_col":
			var n int
			fmt.Fscan(reader, &n)
			for i, row := range m {
				kept := []int{}
				for j := 1; j <= len(row); j++ {
					if j%n != 0 {
						kept = append(kept, row[j-1])
					}
				}
				m[i] = kept
			}
		}
	}
	for _, row := range m {
		parts := make([]string, len(row))
		for j, x := range row {
			parts[j] = strconv.Itoa(x)
		}
		fmt.Println(strings.Join(parts, " "))
	}
}
""",
    "rust": """
use std::io::Read;

type Matrix = Vec<Vec<i64>>;

fn transpose(m: &Matrix) -> Matrix {
    (0..m[0].len()).map(|j| m.iter().map(|row| row[j]).collect()).collect()
}

fn hmirror(m: &Matrix) -> Matrix {
    m.iter().rev().cloned().collect()
}

fn vmirror(m: &Matrix) -> Matrix {
    m.iter().map(|row| row.iter().rev().cloned().collect()).collect()
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut tokens = input.split_whitespace();
    let num = |t: Option<&str>| -> i64 { t.unwrap().parse().unwrap() };
    let rows = tokens.next().unwrap().parse::<usize>().unwrap();
    let cols = tokens.next().unwrap().parse::<usize>().unwrap();
    let mut m: Matrix = (0..rows)
        .map(|_| (0..cols).map(|_| num(tokens.next())).collect())
        .collect();
    let ops = num(tokens.next());
    for _ in 0..ops {
        let op = tokens.next().unwrap();
        match op {
            "rotate" => match num(tokens.next()) {
                90 => m = transpose(&hmirror(&m)),
                180 => m = hmirror(&vmirror(&m)),
                270 => m = transpose(&vmirror(&m)),
                _ => {}
            },
            "hmirror" => m = hmirror(&m),
            "vmirror" => m = vmirror(&m),
            "dmirror" => m = transpose(&m),
            "cmirror" => m = transpose(&hmirror(&vmirror(&m))),
            "map" => {
                let (a, b) = (num(tokens.next()), num(tokens.next()));
                for row in m.iter_mut() {
                    for x in row.iter_mut() {
                        if *x == a {
                            *x = b;
                        }
                    }
                }
            }
            "zero_divisible" => {
                let k = num(tokens.next());
                for row in m.iter_mut() {
                    for x in row.iter_mut() {
                        if *x % k == 0 {
                            *x = 0;
                        }
                    }
                }
            }
            "crop" => {
                let r1 = num(tokens.next()) as usize;
                let r2 = num(tokens.next()) as usize;
                let c1 = num(tokens.next()) as usize;
                let c2 = num(tokens.next()) as usize;
                m = m[r1 - 1..r2].iter().map(|row| row[c1 - 1..c2].to_vec()).collect();
            }
            "remove_every_nth_row" => {
                let n = num(tokens.next()) as usize;
                m = m
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| (i + 1) % n != 0)
                    .map(|(_, row)| row)
                    .collect();
            }
            "remove_every_nth_col" => {
                let n = num(tokens.next()) as usize;
                m = m
                    .into_iter()
                    .map(|row| {
                        row.into_iter()
                            .enumerate()
                            .filter(|(j, _)| (j + 1) % n != 0)
                            .map(|(_, x)| x)
                            .collect()
                    })
                    .collect();
            }
            _ => {}
        }
    }
    for row in &m {
        let parts: Vec<String> = row.iter().map(|x| x.to_string()).collect();
        println!("{}", parts.join(" "));
    }
}
""",
}

# Each wrong solution rotates counterclockwise for a 90-degree rotation and clockwise for 270.
WRONG = {
    "python": ("logic", SOLUTIONS["python"].replace("if degrees == 90:", "if degrees == 270:")
               .replace("elif degrees == 270:", "elif degrees == 90:")),
    "c": ("logic", SOLUTIONS["c"].replace("if (degrees == 90)", "if (degrees == 270)")
          .replace("else if (degrees == 270)", "else if (degrees == 90)")),
    "cpp": ("logic", SOLUTIONS["cpp"].replace("if (degrees == 90)", "if (degrees == 270)")
            .replace("else if (degrees == 270)", "else if (degrees == 90)")),
    "java": ("logic", SOLUTIONS["java"].replace("if (degrees == 90)", "if (degrees == 270)")
             .replace("else if (degrees == 270)", "else if (degrees == 90)")),
    "javascript": ("logic", SOLUTIONS["javascript"].replace("if (degrees === 90)",
                                                            "if (degrees === 270)")
                   .replace("else if (degrees === 270)", "else if (degrees === 90)")),
    "go": ("logic", SOLUTIONS["go"].replace("case 90:", "case 9999:")
           .replace("case 270:", "case 90:").replace("case 9999:", "case 270:")),
    "rust": ("logic", SOLUTIONS["rust"].replace("90 =>", "9999 =>").replace("270 =>", "90 =>")
             .replace("9999 =>", "270 =>")),
}
