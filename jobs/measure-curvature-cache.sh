#!/usr/bin/env bash
# Seconds per Hessian-vector pass with the per-row curvature state kept from the gradient pass
# (solver.curvatureCacheMb = 512) and recomputed in every product (= 0), on the same runs:
# Newton-CG with every Hv a Spark job (driverCurvatureMb = 0), a fixed number of iterations
# (tol = 0) with at most 20 CG steps each, so both settings do the same passes and the same arithmetic.
#   jobs/measure-curvature-cache.sh [REPEATS]          (needs ../shared/data)
# Prints one line per run and a markdown table of medians; SPARK_NEWTON_MASTER as for train.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${SPARK_NEWTON_SHARED_DATA:-$ROOT/../shared/data}
REPEATS=${1:-3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

run() { # name cacheMb args...
  local name=$1 cache=$2; shift 2
  local out="$TMP/$name-$cache-$RANDOM"
  "$ROOT/jobs/train.sh" "$@" solver.name=newton-cg solver.driverCurvatureMb=0 solver.tol=0 solver.maxCgIterations=20 \
    solver.curvatureCacheMb="$cache" spark.partitions=4 data.testPath="" data.testFraction=0 \
    output.dir="$out" > "$out.log" 2>&1 || { tail -5 "$out.log"; exit 1; }
  python3 - "$name" "$cache" "$out/iterations.jsonl" <<'PY'
import json, sys
name, cache, path = sys.argv[1:]
rows = [json.loads(l) for l in open(path)]
first, last = rows[0], rows[-1]
passes = last["passes"] - first["passes"]
seconds = last["seconds"] - first["seconds"]
print(f"{name} cacheMb={cache} passes={passes} seconds={seconds:.3f} perPass={1000*seconds/passes:.1f}ms "
      f"f={last['objective']:.15e}")
PY
}

for r in $(seq "$REPEATS"); do
  for cache in 0 512; do
    run covtype "$cache" data.path="$DATA/covtype.binary.bz2" data.format=libsvm \
      data.numFeatures=54 model.regParam=1e-6 model.fitIntercept=false solver.maxIter=8
    run news20 "$cache" data.path="$DATA/news20.multiclass.bz2" data.format=libsvm \
      model.type=multinomial-logistic model.regParam=1e-5 solver.maxIter=2
  done
done | tee "$TMP/lines.txt"

python3 - "$TMP/lines.txt" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) cacheMb=(\d+) passes=(\d+) seconds=(\S+) perPass=(\S+)ms", line)
    if m:
        runs.setdefault((m[1], int(m[2])), []).append((int(m[3]), float(m[5])))
print()
print("| data | passes | ms per pass, recomputed (cacheMb=0) | ms per pass, kept (cacheMb=512) | ratio |")
print("|---|---:|---:|---:|---:|")
for name in dict.fromkeys(k[0] for k in runs):
    off = statistics.median(p for _, p in runs[(name, 0)])
    on = statistics.median(p for _, p in runs[(name, 512)])
    print(f"| {name} | {runs[(name, 0)][0][0]} | {off:.1f} | {on:.1f} | {off / on:.2f}x |")
PY
