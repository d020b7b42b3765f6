#!/usr/bin/env bash
# Seconds per pass of the RDD fold and the Dataset fold on classic Spark (local[2]) and of the
# Dataset fold over Spark Connect (a local server, local[2]), on a9a as Parquet, exact Newton and
# Newton-CG, REPEATS runs each (default 2). Output: target/bench-connect/<mode>-<solver>-<rep>/
# and a table on stdout (docs/bench/connect-a9a.txt holds one). Run from the repository root:
#   docs/bench/connect-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source jobs/common.sh
build_if_needed
REPEATS=${REPEATS:-2}
PORT=${PORT:-15002}
OUT=target/bench-connect
if [ ! -d target/a9a.parquet ]; then
  java "${JAVA_OPTS[@]}" -cp "$(cat "$CLASSPATH_FILE")" docs/bench/LibSvmToParquet.java \
    ../shared/data/a9a.bz2 target/a9a.parquet 123
fi
export SPARK_NEWTON_MASTER='local[2]'
jobs/connect-server.sh up --port "$PORT" --master 'local[2]' --memory 4g --dir "$OUT/server"
trap 'jobs/connect-server.sh down --dir "$OUT/server"' EXIT
for solver in exact-newton newton-cg; do
  for rep in $(seq 1 "$REPEATS"); do
    for mode in classic-rdd classic-dataset connect-dataset; do
      case $mode in
        classic-rdd) extra=(spark.fold=rdd) ;;
        classic-dataset) extra=(spark.fold=dataset) ;;
        connect-dataset) extra=("spark.remote=sc://localhost:$PORT") ;;
      esac
      jobs/train.sh conf/a9a-parquet.conf "solver.name=$solver" "${extra[@]}" \
        "output.dir=$OUT/$mode-$solver-$rep" output.overwrite=true > "$OUT/$mode-$solver-$rep.log" 2>&1
    done
  done
done
python3 - "$OUT" <<'PY'
import json, sys, glob, os, statistics
out = sys.argv[1]
print("| solver | fold | session | passes | iterations | f | s/pass after the first pass (runs) | wall s (runs) |")
print("|---|---|---|---:|---:|---:|---:|---:|")
for solver in ["exact-newton", "newton-cg"]:
    for mode in ["classic-rdd", "classic-dataset", "connect-dataset"]:
        per, wall, summ = [], [], None
        for d in sorted(glob.glob(f"{out}/{mode}-{solver}-*/")):
            s = json.load(open(os.path.join(d, "summary.json")))
            it = [json.loads(l) for l in open(os.path.join(d, "iterations.jsonl"))]
            first, last = it[0], it[-1]
            per.append((last["seconds"] - first["seconds"]) / (last["passes"] - first["passes"]))
            wall.append(s["wallSeconds"]); summ = s
        session, fold = mode.split("-")
        print(f"| {solver} | {fold} | {session} | {summ['passes']} | {summ['iterations']} | "
              f"{summ['objective']:.12e} | {statistics.median(per):.3f} ({', '.join(f'{p:.3f}' for p in per)}) | "
              f"{statistics.median(wall):.2f} ({', '.join(f'{w:.2f}' for w in wall)}) |")
PY
