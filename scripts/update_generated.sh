#!/usr/bin/env bash
# Regenerates the files derived from the scenario key table
# (models/scenario_keys.cpp): scenarios/schema.json and the reference tables
# in docs/scenario-format.md between the GENERATED markers. The test suite
# fails when the committed files differ from what this writes.
#
#   scripts/update_generated.sh [path/to/chainsim]
set -euo pipefail
cd "$(dirname "$0")/.."
exe="${1:-build/test/cli/chainsim}"
"$exe" schema > scenarios/schema.json
python3 - "$exe" <<'PY'
import subprocess, sys, re
tables = subprocess.run([sys.argv[1], "schema", "--markdown"], check=True, capture_output=True, text=True).stdout
path = "docs/scenario-format.md"
doc = open(path).read()
begin, end = "<!-- BEGIN GENERATED: chainsim schema --markdown -->\n", "<!-- END GENERATED -->"
i, j = doc.index(begin) + len(begin), doc.index(end)
open(path, "w").write(doc[:i] + tables + doc[j:])
PY
echo "updated scenarios/schema.json and docs/scenario-format.md"
