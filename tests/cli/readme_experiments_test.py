"""Runs documented commands exactly as written: the first ```sh block of a
README.md section ("Experiments" by default, or the one named by SECTION), or
every ```sh block of a page (PAGE, a path ending in .md relative to the source
directory, e.g. docs/tutorial.md), in order, as one script.

The commands run with bash in a scratch directory that looks like the
repository after scripts/demo.sh: scenarios/ and scripts/ link to the sources
and build/demo/cli/chainsim to the chainsim under test. Then what they claim to
write is checked: each `chainsim run` its three files, each `chainsim sweep`
its four, each `--out X.png` a real image, each `chainsim compare` its table.

Run with: python3 readme_experiments_test.py SOURCE_DIR CHAINSIM WORK_DIR [SECTION | PAGE]
"""
import os
import re
import shutil
import subprocess
import sys

source, chainsim, work = sys.argv[1:4]
name = sys.argv[4] if len(sys.argv) > 4 else "Experiments"
if name.endswith(".md"):
    text = open(os.path.join(source, name), encoding="utf-8").read()
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    assert blocks, f"no ```sh block in {name}"
    block = "".join(blocks)
else:
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
assert r.returncode == 0, f"the documented commands failed with exit status {r.returncode}"

# One command per line, continuation lines joined.
commands = block.replace("\\\n", " ").splitlines()


def written(path, min_size=1):
    path = os.path.join(work, path)
    return os.path.isfile(path) and os.path.getsize(path) >= min_size


def out_dir(command, default):
    m = re.search(r"--out (\S+)", command)
    return m.group(1) if m else default


def scenario_name(path):
    """The scenario's `name:` (its default output folder), else its file name."""
    m = re.search(r"^name:\s*(\S+)", open(os.path.join(work, path), encoding="utf-8").read(), re.M)
    return m.group(1) if m else os.path.splitext(os.path.basename(path))[0]


runs = sweeps = compares = 0
for command in commands:
    m = re.search(r"\bchainsim run (\S+\.yaml)", command)
    if m:
        runs += 1
        out = out_dir(command, "out/" + scenario_name(m.group(1)))
        for f in ("summary.json", "timeseries.csv", "report.html"):
            assert written(os.path.join(out, f)), f"{out}/{f} missing ({command})"
    if re.search(r"\bchainsim sweep ", command):
        sweeps += 1
        out = out_dir(command, None)
        assert out, f"a documented sweep names its --out: {command}"
        for f in ("sweep.csv", "sweep_summary.csv", "sweep.json", "sweep_model.json"):
            assert written(os.path.join(out, f)), f"{out}/{f} missing ({command})"
    if re.search(r"\bchainsim compare ", command):
        compares += 1
    for png in re.findall(r"--out (\S+\.png)", command):
        assert written(png, 10000), f"{png} missing or tiny"
assert runs + sweeps + compares > 0, "the block runs no chainsim command that writes anything"
# Every comparison printed its table, whose last line counts the KPIs that differ.
assert len(re.findall(r"KPIs differ \((interval excludes 0|exactly)", r.stdout)) == compares, "a compare printed no table"
if name == "Experiments":
    assert sweeps >= 2, "the Experiments section shows a grid and a Latin hypercube"
shutil.rmtree(work)
print("ok")
