#!/usr/bin/env bash
# JMH benchmark of the block kernels: jobs/kernel-bench.sh [JMH options ...]
# Builds the benchmarks (pom profile jmh: src/jmh/java, JMH 1.37 on the test classpath; the first
# build needs Maven Central, later ones run offline with -o in MVN_FLAGS), then runs
# dev.sparknewton.bench.KernelBenchmark briefly (1 fork, 2 warm-up and 3 measured iterations of
# 1 s each: about 4 minutes for the 20 benchmarks x layouts) and prints each kernel's bandwidth
# (the bytes a pass must read over its time) and its fraction of the streaming pass over the same
# arrays. Other JMH options replace the short defaults, e.g. jobs/kernel-bench.sh -wi 5 -i 10.
# The benchmark JVMs run with --add-modules=jdk.incubator.vector, as jobs/ and the tests do, so
# the kernels that have a Vector API form run it; '-jvmArgsAppend -Dsparknewton.scalarKernels=true'
# runs their scalar loops instead.
# Raw JMH output: target/jmh/kernel-bench.log and kernel-bench.csv.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/target/jmh"
mkdir -p "$OUT"
cd "$ROOT"
# The Scala suites are not needed here: their compile is skipped (maven.test.skip would skip the
# benchmarks too).
mvn -B -q ${MVN_FLAGS:-} -Pjmh -DskipTests -Dscala.skip=true test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >&2
OPTS=("$@")
if [ ${#OPTS[@]} -eq 0 ]; then
  OPTS=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
fi
java -Xmx3g -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$OUT/classpath.txt")" \
  org.openjdk.jmh.Main 'dev.sparknewton.bench.KernelBenchmark' \
  -jvmArgs '-Xmx3g --add-modules=jdk.incubator.vector' \
  -rf csv -rff "$OUT/kernel-bench.csv" "${OPTS[@]}" | tee "$OUT/kernel-bench.log" >&2
# Table: kernel, layout, passes/s, GB/s (bytes a pass must read / time), fraction of streaming.
sed -n 's/.*bytes per pass: storage=\([a-z0-9]*\) model=\([a-z0-9]*\) bytes=\([0-9]*\).*/\1,\2,\3/p' \
  "$OUT/kernel-bench.log" | sort -u > "$OUT/bytes.csv"
# kernel-bench.csv columns: Benchmark,Mode,Threads,Samples,Score,Score Error,Unit,Param: model,Param: storage
awk -F, '
  FNR == NR { bytes[$1 "," $2] = $3; next }
  FNR == 1 { next }
  { gsub(/["\r]/, ""); name = $1; sub(/.*\./, "", name); key = $9 "," $8
    score[name, key] = $5; err[name, key] = $6; if (!(key in seen)) { seen[key] = 1; keys[++nk] = key } }
  END {
    printf "| kernel | storage | model | MB a pass reads | passes/s | GB/s | fraction of streaming |\n"
    printf "|---|---|---|---:|---:|---:|---:|\n"
    n = split("stream gradient hessianVector hessianBlock8 lineValues10", order, " ")
    for (j = 1; j <= nk; j++) {
      key = keys[j]; split(key, kv, ",")
      for (i = 1; i <= n; i++) {
        k = order[i]
        if (!((k, key) in score)) continue
        printf "| %s | %s | %s | %.1f | %.2f +- %.2f | %.2f | %.0f%% |\n", k, kv[1], kv[2],
          bytes[key] / 1e6, score[k, key], err[k, key], score[k, key] * bytes[key] / 1e9,
          100 * score[k, key] / score["stream", key]
      }
    }
  }' "$OUT/bytes.csv" "$OUT/kernel-bench.csv" | tee "$OUT/kernel-bench.md"
