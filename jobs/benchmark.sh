#!/usr/bin/env bash
# Benchmark: jobs/benchmark.sh CONF_FILE [key=value ...]   (e.g. conf/bench-a9a.conf)
# Passes (Spark jobs) and seconds to a target suboptimality for our solvers and Spark MLlib's
# L-BFGS in the same run. SPARK_NEWTON_MASTER sets the master (default local[*]).
source "$(dirname "$0")/common.sh"
run_main benchmark "$@"
