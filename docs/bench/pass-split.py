#!/usr/bin/env python3
"""Per-pass time split from a Spark event log (spark.eventLog.enabled=true).

For every job: its description (the fold's "<phase>: <pass>"), wall seconds from submission to
end, the seconds of its tasks (executor run, deserialization, result serialization, GC: sums over
tasks), the bytes its tasks sent back (results and shuffle writes), and the driver's gap before
the next job (driver-side work between passes: merging partial sums after the job's last task is
inside the job's wall time; QR, eigendecompositions and CG on the driver are in the gap). A
summary groups the jobs by pass kind (the description without its "iter N: " phase).

  python3 docs/bench/pass-split.py EVENT_LOG_FILE [--cores C]

Spark 4 compresses event logs with zstd by default; run the job with
spark.eventLog.compress=false, e.g.
  JAVA_TOOL_OPTIONS="-Dspark.eventLog.enabled=true -Dspark.eventLog.dir=file:///tmp/evlog \
    -Dspark.eventLog.compress=false" jobs/train.sh ...
"""
import collections
import json
import re
import sys


def main():
    path = sys.argv[1]
    cores = int(sys.argv[sys.argv.index("--cores") + 1]) if "--cores" in sys.argv else 2
    jobs = {}
    stage_job = {}
    order = []
    for line in open(path):
        e = json.loads(line)
        kind = e["Event"]
        if kind == "SparkListenerJobStart":
            props = e.get("Properties") or {}
            jid = e["Job ID"]
            jobs[jid] = dict(desc=props.get("spark.job.description") or "(no description)",
                             start=e["Submission Time"], end=None, run=0, deser=0, ser=0,
                             gc=0, bytes=0, tasks=0)
            for s in e["Stage IDs"]:
                stage_job[s] = jid
            order.append(jid)
        elif kind == "SparkListenerJobEnd":
            jobs[e["Job ID"]]["end"] = e["Completion Time"]
        elif kind == "SparkListenerTaskEnd":
            jid = stage_job.get(e["Stage ID"])
            m = e.get("Task Metrics")
            if jid is None or not m:
                continue
            j = jobs[jid]
            j["tasks"] += 1
            j["run"] += m["Executor Run Time"]
            j["deser"] += m["Executor Deserialize Time"]
            j["ser"] += m["Result Serialization Time"]
            j["gc"] += m["JVM GC Time"]
            j["bytes"] += m["Result Size"] + m["Shuffle Write Metrics"]["Shuffle Bytes Written"]
    print(f"{'job':>4} {'wall s':>7} {'gap s':>7} {'run s':>7} {'deser s':>7} {'ser s':>6} "
          f"{'gc s':>6} {'MB':>8}  description")
    groups = collections.OrderedDict()
    for i, jid in enumerate(order):
        j = jobs[jid]
        if j["end"] is None:
            continue
        wall = (j["end"] - j["start"]) / 1e3
        nxt = jobs[order[i + 1]]["start"] if i + 1 < len(order) else None
        gap = (nxt - j["end"]) / 1e3 if nxt is not None else 0.0
        print(f"{jid:>4} {wall:7.2f} {gap:7.2f} {j['run'] / 1e3:7.2f} {j['deser'] / 1e3:7.2f} "
              f"{j['ser'] / 1e3:6.2f} {j['gc'] / 1e3:6.2f} {j['bytes'] / 1e6:8.1f}  {j['desc']}")
        key = re.sub(r"^iter \d+: ", "", j["desc"])
        g = groups.setdefault(key, collections.Counter())
        g["n"] += 1
        g["wall"] += wall
        g["gap"] += gap
        g["run"] += j["run"] / 1e3
        g["deser"] += j["deser"] / 1e3
        g["gc"] += j["gc"] / 1e3
        g["bytes"] += j["bytes"]
    print()
    print(f"by pass kind ({cores} cores: task seconds / {cores} is the compute share of the wall)")
    print(f"{'jobs':>4} {'wall s/job':>10} {'run s/job':>9} {'(run/cores)/wall':>16} "
          f"{'deser s/job':>11} {'gc s/job':>8} {'MB/job':>8} {'gap after s/job':>15}  pass")
    for key, g in groups.items():
        n = g["n"]
        share = g["run"] / cores / g["wall"] if g["wall"] > 0 else float("nan")
        print(f"{n:>4} {g['wall'] / n:10.2f} {g['run'] / n:9.2f} {share:16.2f} "
              f"{g['deser'] / n:11.3f} {g['gc'] / n:8.2f} {g['bytes'] / n / 1e6:8.1f} "
              f"{g['gap'] / n:15.2f}  {key}")


if __name__ == "__main__":
    main()
