#!/usr/bin/env bash
# The RDD fold and the Dataset fold on classic Spark (local[2]) and the Dataset fold over Spark
# Connect (a local server, local[2]), exact Newton and Newton-CG, REPEATS runs each (default 2),
# on DATA = a9a (default; lambda 1e-5) or covtype (covtype.binary, lambda 1e-6) as Parquet; then
# the classic benchmark of the same problem (our two solvers and MLlib's L-BFGS, to 1e-6), whose
# f* gives every run's seconds to relative suboptimality 1e-6. Output: target/bench-connect-$DATA/
# and a table on stdout (docs/bench/connect-$DATA.txt holds one). From the repository root:
#   DATA=covtype docs/bench/connect-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source jobs/common.sh
build_if_needed
REPEATS=${REPEATS:-2}
PORT=${PORT:-15002}
DATA=${DATA:-a9a}
case $DATA in
  a9a) SOURCE=../shared/data/a9a.bz2; D=123; LAMBDA=1.0e-5 ;;
  covtype) SOURCE=../shared/data/covtype.binary.bz2; D=54; LAMBDA=1.0e-6 ;;
  *) echo "error: DATA must be a9a or covtype, got '$DATA'" >&2; exit 2 ;;
esac
OUT=target/bench-connect-$DATA
PARQUET=target/$DATA.parquet
mkdir -p "$OUT"
if [ ! -d "$PARQUET" ]; then
  java "${JAVA_OPTS[@]}" -cp "$(cat "$CLASSPATH_FILE")" docs/bench/LibSvmToParquet.java \
    "$SOURCE" "$PARQUET" "$D"
fi
COMMON=("data.path=$PARQUET" data.format=parquet "model.regParam=$LAMBDA" model.fitIntercept=false
  spark.partitions=4 solver.tol=1e-10)
export SPARK_NEWTON_MASTER='local[2]'
# MLlib and f*: the classic benchmark on the libsvm file (the same rows), no Connect server up.
jobs/benchmark.sh "data.path=$SOURCE" data.format=libsvm "data.numFeatures=$D" \
  "model.regParam=$LAMBDA" model.fitIntercept=false spark.partitions=4 \
  benchmark.repeats=1 \
  benchmark.targetSuboptimality=1.0e-6 "output.dir=$OUT/benchmark" output.overwrite=true \
  > "$OUT/benchmark.log" 2>&1 || true
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
      jobs/train.sh "${COMMON[@]}" "solver.name=$solver" "${extra[@]}" \
        "output.dir=$OUT/$mode-$solver-$rep" output.overwrite=true > "$OUT/$mode-$solver-$rep.log" 2>&1
    done
  done
done
python3 - "$OUT" <<'PY'
import json, sys, glob, os, re, statistics
out = sys.argv[1]
bench = open(os.path.join(out, "benchmark", "report.md")).read()
fstar = float(re.search(r"f\* = ([0-9.eE+-]+)", bench).group(1))
target = fstar * (1 + 1e-6)
mllib = [l for l in bench.splitlines() if l.startswith("| mllib-lbfgs")]
print(f"f* = {fstar:.12e} (the classic benchmark's); target f <= f* (1 + 1e-6)")
print("| solver | fold | session | passes | iterations | f | s/pass after the first pass (runs) | s to 1e-6 (runs) | wall s (runs) |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|")
for solver in ["exact-newton", "newton-cg"]:
    for mode in ["classic-rdd", "classic-dataset", "connect-dataset"]:
        per, wall, reach, summ = [], [], [], None
        for d in sorted(glob.glob(f"{out}/{mode}-{solver}-*/")):
            s = json.load(open(os.path.join(d, "summary.json")))
            it = [json.loads(l) for l in open(os.path.join(d, "iterations.jsonl"))]
            first, last = it[0], it[-1]
            per.append((last["seconds"] - first["seconds"]) / (last["passes"] - first["passes"]))
            hit = [r["seconds"] for r in it if r["objective"] <= target]
            reach.append(hit[0] if hit else float("nan"))
            wall.append(s["wallSeconds"]); summ = s
        session, fold = mode.split("-")
        fmt = lambda xs: f"{statistics.median(xs):.2f} ({', '.join(f'{x:.2f}' for x in xs)})"
        print(f"| {solver} | {fold} | {session} | {summ['passes']} | {summ['iterations']} | "
              f"{summ['objective']:.12e} | {statistics.median(per):.3f} ({', '.join(f'{p:.3f}' for p in per)}) | "
              f"{fmt(reach)} | {fmt(wall)} |")
print()
print("MLlib L-BFGS (classic, the benchmark's row; columns as in report.md):")
print("\n".join(l for l in bench.splitlines() if l.startswith("| method") or l.startswith("|---")))
for l in mllib:
    print(l)
PY
