"""Runs the command block of a README.md section ("Experiments" by default, or
the one named by SECTION) exactly as written.

The block runs with bash in a scratch directory that looks like the repository
after scripts/demo.sh: scenarios/ and scripts/ link to the sources and
build/demo/cli/chainsim to the chainsim under test.

Run with: python3 readme_experiments_test.py SOURCE_DIR CHAINSIM WORK_DIR [SECTION]
"""
import os
import re
import shutil
import subprocess
import sys

source, chainsim, work = sys.argv[1:4]
name = sys.argv[4] if len(sys.argv) > 4 else "Experiments"
readme = open(os.path.join(source, "README.md"), encoding="utf-8").read()
section = readme.split(f"\n## {name}\n", 1)
assert len(section) == 2, f"README.md has no '## {name}' section"
blocks = re.findall(r"```sh\n(.*?)```", section[1].split("\n## ", 1)[0], re.S)
assert blocks, f"no ```sh block in README.md's {name} section"
block = blocks[0]

shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "build", "demo", "cli"))
for d in ("scenarios", "scripts"):
    os.symlink(os.path.join(source, d), os.path.join(work, d))
os.symlink(chainsim, os.path.join(work, "build", "demo", "cli", "chainsim"))

r = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=work, capture_output=True, text=True)
print(r.stdout)
print(r.stderr, file=sys.stderr)
assert r.returncode == 0, f"the README block failed with exit status {r.returncode}"

if name != "Experiments":
    # Every example run wrote its three files.
    for scenario in re.findall(r"chainsim run scenarios/(\S+)\.yaml", block):
        for f in ("summary.json", "timeseries.csv", "report.html"):
            assert os.path.getsize(os.path.join(work, "out", scenario, f)) > 0, f"out/{scenario}/{f} missing"
    shutil.rmtree(work)
    print("ok")
    sys.exit(0)

# Every --out a sweep names holds the four files; the plot exists.
outs = re.findall(r"chainsim sweep .*?--out (\S+)", block.replace("\\\n", " "))
assert len(outs) >= 2, outs
for out in outs:
    for f in ("sweep.csv", "sweep_summary.csv", "sweep.json", "sweep_model.json"):
        assert os.path.getsize(os.path.join(work, out, f)) > 0, f"{out}/{f} missing"
for png in re.findall(r"--out (\S+\.png)", block):
    assert os.path.getsize(os.path.join(work, png)) > 10000, f"{png} missing or tiny"
assert "differ (interval excludes 0)" in r.stdout
shutil.rmtree(work)
print("ok")
