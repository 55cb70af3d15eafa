"""scripts/plot_sweep.py on a small sweep: the PNG exists and is a real plot.

Run with: python3 plot_sweep_test.py CHAINSIM SOURCE_DIR WORK_DIR
"""
import os
import shutil
import subprocess
import sys

import matplotlib.image as mpimg
import numpy as np

chainsim, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
out = os.path.join(work, "sweep")
subprocess.run([chainsim, "sweep", "scenarios/serial_base_stock.yaml", "--param", "nodes.store.policy.S=18:34:4",
                "--param", "nodes.warehouse.policy.S=30,45", "--set", "horizon=150", "--replications", "3",
                "--quiet", "--out", out], cwd=source, check=True)
png = os.path.join(work, "plot.png")
subprocess.run([sys.executable, os.path.join(source, "scripts", "plot_sweep.py"),
                os.path.join(out, "sweep_summary.csv"), "--kpi", "network.total_cost",
                "--kpi", "stock.store/widget.fill_rate", "--out", png], check=True)
with open(png, "rb") as f:
    assert f.read(8) == b"\x89PNG\r\n\x1a\n", "not a PNG"
assert os.path.getsize(png) > 20000, f"suspiciously small PNG ({os.path.getsize(png)} bytes)"
img = mpimg.imread(png)
h, w = img.shape[:2]
assert w >= 600 and h >= 600, f"unexpected size {w}x{h}"
colours = np.unique((img[:, :, :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
# Two panels with two coloured series, axes and text: far more than a blank canvas.
assert len(colours) > 50, f"only {len(colours)} colours: an empty plot?"
blue = np.all(np.abs(img[:, :, :3] - np.array([0.12, 0.47, 0.71])) < 0.05, axis=2).sum()
orange = np.all(np.abs(img[:, :, :3] - np.array([1.0, 0.5, 0.05])) < 0.05, axis=2).sum()
assert blue > 200 and orange > 200, f"the two series are missing (blue {blue}, orange {orange} pixels)"

# The y axes carry the KPIs' units from sweep.json (kpi_definitions).
sys.path.insert(0, os.path.join(source, "scripts"))
import plot_sweep  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

plot_sweep.main([os.path.join(out, "sweep_summary.csv"), "--kpi", "network.total_cost",
                 "--kpi", "stock.store/widget.fill_rate", "--kpi", "stock.store/widget.order_lead_time_mean",
                 "--out", png])
labels = [ax.get_ylabel() for ax in plt.gcf().axes]
assert labels == ["network.total_cost (money)", "stock.store/widget.fill_rate (share)",
                  "stock.store/widget.order_lead_time_mean (days)"], labels
assert plt.gcf().axes[0].get_xlabel() == "nodes.store.policy.S"

# A bad KPI name is an error, exit 2.
r = subprocess.run([sys.executable, os.path.join(source, "scripts", "plot_sweep.py"),
                    os.path.join(out, "sweep_summary.csv"), "--kpi", "network.nope", "--out", png],
                   capture_output=True, text=True)
assert r.returncode == 2 and "--kpi network.nope: not in" in r.stderr, r.stderr
shutil.rmtree(work)
print("ok")
