#!/usr/bin/env python3
"""Fails when a module includes a Parley header from a module it may not depend on.

The allowed direction (STYLE.md §2) is the DEPS table below; a module may include its own
headers and those of any module reachable through DEPS.
"""
import pathlib
import re
import sys

DEPS = {
    "core": [],
    "alexa": ["core"],
    "views": ["alexa"],
    "statemachine": ["views", "alexa"],
    "storage": ["core"],
    "storage/sqlite": ["storage"],
    "net": ["core"],
    "aws": ["net"],
    "storage/dynamodb": ["storage", "aws"],
    "verify": ["net"],
    "linking": ["storage"],
    "http": ["core"],
    "hosting": ["http", "statemachine", "verify", "linking"],
    "lambda": ["http", "net"],
    "config": ["*"],
    "cli": ["*"],
    "app": ["statemachine", "storage"],
}
INCLUDE = re.compile(r'#include\s+[<"]parley/([a-z_/]+)/[a-z_0-9]+\.hpp[>"]')


def reachable(module):
    seen, stack = set(), [module]
    while stack:
        for dep in DEPS[stack.pop()]:
            if dep != "*" and dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen | {module}


def module_of(root, path):
    rel = path.relative_to(root).parts
    if rel[0] == "app":
        return "app"
    parts = rel[2:-1] if rel[0] == "include" else rel[1:-1]
    name = "/".join(parts)
    while name and name not in DEPS:
        name = name.rpartition("/")[0]
    return name or None


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    files = [p for d in ("src", "include/parley", "app") for p in (root / d).rglob("*")
             if p.suffix in (".hpp", ".cpp")]
    errors = []
    for path in files:
        module = module_of(root, path)
        if module is None:
            errors.append(f"{path.relative_to(root)}: not inside a known module")
            continue
        allowed = reachable(module)
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.search(line)
            if not match:
                continue
            target = match.group(1)
            while target and target not in DEPS:
                target = target.rpartition("/")[0]
            if "*" in DEPS[module] or target in allowed:
                continue
            errors.append(f"{path.relative_to(root)}:{number}: {module} may not include {target}")
    for error in errors:
        print(error)
    print(f"layering: {len(files)} files checked, {len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
