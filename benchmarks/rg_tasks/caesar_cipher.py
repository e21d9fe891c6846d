"""Decrypt a Caesar cipher: every letter of the upper-case text was shifted forward by k places
in the alphabet (wrapping around). Input: ``k`` on the first line, the cipher text on the
second; output: the clear text (spaces kept)."""

TASK = "caesar_cipher"
CONFIG: dict[str, object] = {}


def stdin(entry: dict) -> str:
    return f"{entry['metadata']['rotation']}\n{entry['metadata']['cipher_text']}\n"


def stdout(entry: dict) -> str:
    return f"{entry['answer']}\n"


SOLUTIONS = {
    "python": """
import sys

k = int(sys.stdin.readline())
text = sys.stdin.readline().rstrip("\\n")
out = []
for ch in text:
    if "A" <= ch <= "Z":
        out.append(chr((ord(ch) - ord("A") - k + 26) % 26 + ord("A")))
    else:
        out.append(ch)
print("".join(out))
""",
    "c": """
#include <stdio.h>
#include <string.h>
int main(void) {
    int k;
    char text[4096];
    if (scanf("%d ", &k) != 1) return 1;
    if (!fgets(text, sizeof text, stdin)) return 1;
    text[strcspn(text, "\\n")] = '\\0';
    for (char *p = text; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char) ((*p - 'A' - k + 26) % 26 + 'A');
    printf("%s\\n", text);
    return 0;
}
""",
    "cpp": """
#include <iostream>
#include <string>
int main() {
    int k;
    std::string text;
    std::cin >> k;
    std::getline(std::cin >> std::ws, text);
    for (char &ch : text)
        if (ch >= 'A' && ch <= 'Z') ch = (char) ((ch - 'A' - k + 26) % 26 + 'A');
    std::cout << text << "\\n";
}
""",
    "java": """
import java.io.BufferedReader;
import java.io.InputStreamReader;

public class Main {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int k = Integer.parseInt(in.readLine().trim());
        char[] text = in.readLine().toCharArray();
        for (int i = 0; i < text.length; i++)
            if (text[i] >= 'A' && text[i] <= 'Z')
                text[i] = (char) ((text[i] - 'A' - k + 26) % 26 + 'A');
        System.out.println(new String(text));
    }
}
""",
    "javascript": """
const lines = require("fs").readFileSync(0, "utf8").split("\\n");
const k = Number(lines[0]);
let out = "";
for (const ch of lines[1]) {
  if (ch >= "A" && ch <= "Z") {
    out += String.fromCharCode((ch.charCodeAt(0) - 65 - k + 26) % 26 + 65);
  } else {
    out += ch;
  }
}
console.log(out);
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
	first, _ := reader.ReadString('\\n')
	k, _ := strconv.Atoi(strings.TrimSpace(first))
	text, _ := reader.ReadString('\\n')
	text = strings.TrimRight(text, "\\n")
	out := []byte(text)
	for i, ch := range out {
		if ch >= 'A' && ch <= 'Z' {
			out[i] = byte((int(ch)-'A'-k+26)%26 + 'A')
		}
	}
	fmt.Println(string(out))
}
""",
    "rust": """
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut lines = input.lines();
    let k: i32 = lines.next().unwrap().trim().parse().unwrap();
    let text = lines.next().unwrap_or("");
    let out: String = text
        .chars()
        .map(|ch| {
            if ch.is_ascii_uppercase() {
                (((ch as i32 - 'A' as i32 - k + 26) % 26) as u8 + b'A') as char
            } else {
                ch
            }
        })
        .collect();
    println!("{}", out);
}
""",
}

# Each wrong solution shifts forward again (encrypts) instead of shifting back.
WRONG = {language: ("logic", source.replace("- k + 26", "+ k").replace("-k+26", "+k"))
         for language, source in SOLUTIONS.items()}
