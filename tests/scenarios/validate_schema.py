#!/usr/bin/python3
"""Validates every example scenario against scenarios/schema.json with an
independent validator (Debian's python3-jsonschema), and checks that the
validator does reject a document the schema forbids, so this test can fail.

Usage: validate_schema.py <source dir>
"""
import glob
import json
import os
import sys

import jsonschema
import yaml

root = sys.argv[1]
schema = json.load(open(os.path.join(root, "scenarios", "schema.json")))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)


def without_required(node):
    """The schema with no key required: what a variant (`extends:`) writes is
    partial, merged into its baseline by chainsim, so only its keys' names,
    types and values can be checked on their own."""
    if isinstance(node, dict):
        return {k: without_required(v) for k, v in node.items() if k != "required"}
    if isinstance(node, list):
        return [without_required(v) for v in node]
    return node


partial = jsonschema.Draft202012Validator(without_required(schema))

failures = 0
files = sorted(glob.glob(os.path.join(root, "scenarios", "*.yaml")))
examples = len(files)
# The every-key fixture: the schema must accept every key the loader does.
# (Not its variant: a variant's items are partial, and the schema, which
# describes a whole scenario, requires their keys.)
files.append(os.path.join(root, "tests", "scenarios", "fixtures", "every_key.yaml"))
if examples < 8:
    print(f"expected at least 8 example scenarios, found {examples}")
    sys.exit(1)
for path in files:
    doc = yaml.safe_load(open(path))
    checker = partial if "extends" in doc else validator
    errors = sorted(checker.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print(f"{os.path.relpath(path, root)}: {'.'.join(map(str, e.path))}: {e.message}")
    failures += len(errors)
    print(f"{os.path.relpath(path, root)}: {'ok' if not errors else 'INVALID'}")

if not list(partial.iter_errors({"extends": "x.yaml", "customers": [{"id": "a", "sise": 3}]})):
    print("the variants' schema failed to reject an unknown key")
    failures += 1
bad = {"horizon": 10, "products": [{"id": "x"}], "nodes": [{"id": "n", "kind": "shop"}], "horizn": 3}
rejected = list(validator.iter_errors(bad))
if len(rejected) < 2:
    print("the schema failed to reject an unknown key and a bad enum value")
    failures += 1
sys.exit(1 if failures else 0)
