#!/usr/bin/env python3
"""Lists the functions of C++ sources longer than a limit, and fails if any.

  function_length.py --max 80 DIR...

A function's length is its lines from the first line of its signature to its
closing brace, comments and blank lines included (as clang-tidy's
readability-function-size counts them). Lambdas and local classes count
toward the function they are in; a table initialised at namespace scope
(`const X kTable[] = {...}`) is data, not a function.

The scan is lexical: comments, string and character literals (raw strings
too) and preprocessor lines are blanked first, then braces are matched. At
namespace or class scope, a `{` opens a function body when the text before it
(back to the previous `;`, `{` or `}`) has a parameter list and no `=`; in a
constructor's member-initialiser list, a `{` right after a name is a brace
initialiser, not the body.
"""
import argparse
import os
import re
import sys


def blank(text):
    """Comments, literals and preprocessor lines replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c in " \t":
            out.append(c)
            i += 1
            continue
        if at_line_start and c == "#":
            # a preprocessor line, with its continuations
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append("  \n" if False else " ")
                    out.append("\n")
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        at_line_start = c == "\n"
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                out.append(" ")
                i += 1
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        m = re.match(r'(?:u8|u|U|L)?R"([^(\s]*)\(', text[i:i + 40])
        if m and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            end = ")" + m.group(1) + '"'
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum() and i + 1 < n and text[i + 1].isalnum():
                out.append(" ")  # a digit separator: 10'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (j + 1 - i))
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def match_brace(text, i):
    """Index of the brace closing the one at i."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(text) - 1


SCOPE = re.compile(r"^\s*(?:template\s*<.*>\s*)?(namespace|class|struct|union|extern\s+\"C\")\b", re.S)
ENUM = re.compile(r"^\s*(?:typedef\s+)?enum\b", re.S)
CONTROL = re.compile(r"^\s*(if|for|while|switch|catch|do|else|try)\b")


def params_end(header):
    """Index just after the parameter list's ')' at depth 0, or -1."""
    depth, last = 0, -1
    for k, ch in enumerate(header):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth == 0 and ch == ")":
                last = k + 1
                break
    return last


def scan(text, start, end, found, lines_of):
    """Finds the functions in text[start:end] (a namespace or class body)."""
    i, boundary = start, start
    while i < end:
        c = text[i]
        if c in ";}":
            boundary = i + 1
            i += 1
            continue
        if c != "{":
            i += 1
            continue
        header = text[boundary:i]
        close = match_brace(text, i)
        if SCOPE.match(header):
            scan(text, i + 1, close, found, lines_of)
        elif ENUM.match(header) or "=" in header.split("(")[0] or CONTROL.match(header):
            pass  # data, an enum, or a statement
        elif "(" in header:
            p = params_end(header)
            after = header[p:] if p >= 0 else ""
            colon = re.search(r"(?<!:):(?!:)", after)
            if colon and re.search(r"[A-Za-z0-9_>]\s*$", header):
                # a brace initialiser in a member-initialiser list: keep going
                i = close + 1
                continue
            first = boundary + len(header) - len(header.lstrip())
            name = re.findall(r"([~A-Za-z_][A-Za-z_0-9:<>~]*)\s*\(", header[:p] if p >= 0 else header)
            length = lines_of(close) - lines_of(first) + 1
            found.append((lines_of(first), name[-1] if name else "?", length))
        i = close + 1
        boundary = i


def functions(path):
    text = blank(open(path, encoding="utf-8").read())
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    import bisect

    def line_of(pos):
        return bisect.bisect_right(starts, pos)

    found = []
    scan(text, 0, len(text), found, line_of)
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int, default=80)
    ap.add_argument("--list", action="store_true", help="print every function's length")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    bad = []
    for d in a.dirs:
        for root, _, files in os.walk(d):
            for f in sorted(files):
                if not f.endswith((".cpp", ".h")):
                    continue
                path = os.path.join(root, f)
                for line, name, length in functions(path):
                    if a.list:
                        print(f"{length:5} {path}:{line} {name}")
                    if length > a.max:
                        bad.append(f"{path}:{line}: {name} is {length} lines (at most {a.max})")
    for b in sorted(bad):
        print(b)
    if bad:
        print(f"{len(bad)} functions over {a.max} lines")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
