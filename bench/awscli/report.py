"""Timing helper for bench/compare_awscli.sh.

  report.py time RUNS WARMUP OUT.json NAME CMD...   time CMD (no hyperfine): hyperfine-like JSON
  report.py table LABELS.json RESULTS.json...       the comparison table from hyperfine JSON

LABELS.json is a list of [label, boto command name, aws command name]; the
results are hyperfine `--export-json` files (or ours), keyed by command name.
"""
import json
import statistics
import subprocess
import sys
import time


def time_cmd(runs, warmup, out, name, cmd):
    for _ in range(warmup):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    result = {"command": name, "mean": statistics.mean(times),
              "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
              "median": statistics.median(times), "times": times}
    with open(out, "w") as f:
        json.dump({"results": [result]}, f)


def table(labels_file, result_files):
    results = {}
    for path in result_files:
        for r in json.load(open(path))["results"]:
            results[r["command"]] = r
    labels = json.load(open(labels_file))
    fmt = "{:<34} {:>18} {:>18} {:>9}"
    print(fmt.format("command", "boto (ms)", "aws v1 (ms)", "aws/boto"))
    print(fmt.format("-" * 34, "-" * 18, "-" * 18, "-" * 9))
    for label, boto_name, aws_name in labels:
        b, a = results[boto_name], results[aws_name]
        cell = lambda r: f"{r['mean'] * 1e3:8.1f} ± {r['stddev'] * 1e3:6.1f}"
        print(fmt.format(label, cell(b), cell(a), f"{a['mean'] / b['mean']:8.1f}x"))
    runs = sorted({len(r["times"]) for r in results.values()})
    print(f"\nmean ± stddev wall time over {'/'.join(map(str, runs))} runs per command")


if __name__ == "__main__":
    if sys.argv[1] == "time":
        time_cmd(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6:])
    elif sys.argv[1] == "table":
        table(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
