"""Can all n courses be finished given prerequisite pairs (a, b): b must be taken before a?
Input: ``n m`` then m lines ``a b``; output: ``True`` or ``False``."""

TASK = "course_schedule"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    meta = entry["metadata"]
    pairs = "".join(f"{a} {b}\n" for a, b in meta["prerequisites"])
    return f"{len(meta['courses'])} {len(meta['prerequisites'])}\n{pairs}"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys
from collections import deque

data = list(map(int, sys.stdin.read().split()))
n, m = data[0], data[1]
after = [[] for _ in range(n)]
indegree = [0] * n
for i in range(m):
    a, b = data[2 + 2 * i], data[3 + 2 * i]
    after[b].append(a)
    indegree[a] += 1
queue = deque(c for c in range(n) if indegree[c] == 0)
taken = 0
while queue:
    c = queue.popleft()
    taken += 1
    for d in after[c]:
        indegree[d] -= 1
        if indegree[d] == 0:
            queue.append(d)
print("True" if taken == n else "False")
""",
    "c": """
#include <stdio.h>
int main(void) {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 1;
    int from[1000], to[1000], indegree[1000] = {0}, queue[1000];
    for (int i = 0; i < m; i++) {
        scanf("%d %d", &to[i], &from[i]);
        indegree[to[i]]++;
    }
    int head = 0, tail = 0;
    for (int c = 0; c < n; c++)
        if (indegree[c] == 0) queue[tail++] = c;
    while (head < tail) {
        int c = queue[head++];
        for (int i = 0; i < m; i++)
            if (from[i] == c && --indegree[to[i]] == 0) queue[tail++] = to[i];
    }
    printf("%s\\n", tail == n ? "True" : "False");
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <queue>
#include <vector>
int main() {
    int n, m;
    std::cin >> n >> m;
    std::vector<std::vector<int>> after(n);
    std::vector<int> indegree(n, 0);
    for (int i = 0; i < m; ++i) {
        int a, b;
        std::cin >> a >> b;
        after[b].push_back(a);
        ++indegree[a];
    }
    std::queue<int> ready;
    for (int c = 0; c < n; ++c)
        if (indegree[c] == 0) ready.push(c);
    int taken = 0;
    while (!ready.empty()) {
        int c = ready.front();
        ready.pop();
        ++taken;
        for (int d : after[c])
            if (--indegree[d] == 0) ready.push(d);
    }
    std::cout << (taken == n ? "True" : "False") << "\\n";
}
""",
    "java": """
import java.util.*;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt(), m = in.nextInt();
        List<List<Integer>> after = new ArrayList<>();
        for (int c = 0; c < n; c++) after.add(new ArrayList<>());
        int[] indegree = new int[n];
        for (int i = 0; i < m; i++) {
            int a = in.nextInt(), b = in.nextInt();
            after.get(b).add(a);
            indegree[a]++;
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int c = 0; c < n; c++) if (indegree[c] == 0) ready.add(c);
        int taken = 0;
        while (!ready.isEmpty()) {
            int c = ready.poll();
            taken++;
            for (int d : after.get(c)) if (--indegree[d] == 0) ready.add(d);
        }
        System.out.println(taken == n ? "True" : "False");
    }
}
""",
    "javascript": """
const data = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);
const [n, m] = data;
const after = Array.from({ length: n }, () => []);
const indegree = new Array(n).fill(0);
for (let i = 0; i < m; i++) {
  const a = data[2 + 2 * i], b = data[3 + 2 * i];
  after[b].push(a);
  indegree[a]++;
}
const ready = [];
for (let c = 0; c < n; c++) if (indegree[c] === 0) ready.push(c);
let taken = 0;
while (ready.length > 0) {
  const c = ready.pop();
  taken++;
  for (const d of after[c]) if (--indegree[d] === 0) ready.push(d);
}
console.log(taken === n ? "True" : "False");
""",
    "go": """
package main

import "fmt"

func main() {
	var n, m int
	fmt.Scan(&n, &m)
	after := make([][]int, n)
	indegree := make([]int, n)
	for i := 0; i < m; i++ {
		var a, b int
		fmt.Scan(&a, &b)
		after[b] = append(after[b], a)
		indegree[a]++
	}
	ready := []int{}
	for c := 0; c < n; c++ {
		if indegree[c] == 0 {
			ready = append(ready, c)
		}
	}
	taken := 0
	for len(ready) > 0 {
		c := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		taken++
		for _, d := range after[c] {
			indegree[d]--
			if indegree[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	if taken == n {
		fmt.Println("True")
	} else {
		fmt.Println("False")
	}
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let v: Vec<usize> = input.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let (n, m) = (v[0], v[1]);
    let mut after = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for i in 0..m {
        let (a, b) = (v[2 + 2 * i], v[3 + 2 * i]);
        after[b].push(a);
        indegree[a] += 1;
    }
    let mut ready: Vec<usize> = (0..n).filter(|&c| indegree[c] == 0).collect();
    let mut taken = 0;
    while let Some(c) = ready.pop() {
        taken += 1;
        for &d in &after[c] {
            indegree[d] -= 1;
            if indegree[d] == 0 {
                ready.push(d);
            }
        }
    }
    println!("{}", if taken == n { "True" } else { "False" });
}
""",
}

WRONG = {
    # Only rejects a course that lists itself as its own prerequisite (no cycle search).
    "python": ("logic", SOLUTIONS["python"].replace(
        'print("True" if taken == n else "False")',
        'print("False" if any(data[2 + 2 * i] == data[3 + 2 * i] for i in range(m)) else "True")')),
    # Prints the answer in lower case.
    "c": ("format", SOLUTIONS["c"].replace('"True" : "False"', '"true" : "false"')),
    # Only detects cycles of length two (a needs b and b needs a).
    "cpp": ("logic", SOLUTIONS["cpp"].replace(
        'std::cout << (taken == n',
        'bool mutual = false;\n    for (int b = 0; b < n; ++b)\n        for (int a : after[b])\n'
        '            for (int x : after[a]) mutual = mutual || x == b;\n'
        '    std::cout << (!mutual')),
    # Never decrements the in-degrees: a course with two prerequisites is never ready.
    "java": ("logic", SOLUTIONS["java"].replace("if (--indegree[d] == 0)",
                                                "if (indegree[d] == 1)")),
    # Prints 1/0 instead of True/False.
    "javascript": ("format", SOLUTIONS["javascript"].replace('"True" : "False"', '1 : 0')),
    # Answers True as soon as any course could be taken.
    "go": ("logic", SOLUTIONS["go"].replace("if taken == n {", "if taken > 0 {")),
    # Answers True whenever some course has no prerequisites.
    "rust": ("logic", SOLUTIONS["rust"].replace(
        "if taken == n {", "if (0..n).any(|c| after[c].is_empty()) || taken == n {")),
}
