#!/usr/bin/env bash
# Regenerates the files derived from chainsim's own tables: from the scenario
# key table (models/chain/spec_keys.cpp, models/scenario/keys.cpp),
# scenarios/schema.json and the reference tables in docs/scenario-format.md;
# from the KPI definitions (models/measure/kpi_definitions.cpp), the reference
# table in docs/kpis.md; from the policy registry
# (models/chain/policies/policies.def), the table in docs/policies.md. The
# tables go between the GENERATED markers. The test suite fails when the
# committed files differ from what this writes.
#
#   scripts/update_generated.sh [path/to/chainsim]   (the build's report_tests beside it)
set -euo pipefail
cd "$(dirname "$0")/.."
exe="${1:-build/test/cli/chainsim}"
"$exe" schema > scenarios/schema.json
python3 - "$exe" <<'PY'
import subprocess, sys
def splice(path, command):
    tables = subprocess.run([sys.argv[1]] + command, check=True, capture_output=True, text=True).stdout
    doc = open(path).read()
    begin = "<!-- BEGIN GENERATED: chainsim " + " ".join(command) + " -->\n"
    end = "<!-- END GENERATED -->"
    i = doc.index(begin) + len(begin)
    j = doc.index(end, i)
    open(path, "w").write(doc[:i] + tables + doc[j:])
splice("docs/scenario-format.md", ["schema", "--markdown"])
splice("docs/kpis.md", ["kpis", "--markdown"])
PY
CHAINSIM_UPDATE_GENERATED=1 "$(dirname "$exe")/../tests/report_tests" \
  -tc="docs/policies.md's reference table is the one generated from the policy registry" >/dev/null
echo "updated scenarios/schema.json, docs/scenario-format.md, docs/kpis.md and docs/policies.md"
