#!/usr/bin/env bash
# Synthetic data locally: jobs/generate.sh CONF_FILE [key=value ...]
# Generates logistic data as the generate section says (rows, features, nnzPerRow, powerLaw, ...)
# and writes output.dir/data (libsvm or parquet), weights.json (the true model) and generate.json
# (settings and measured statistics). Example: jobs/generate.sh conf/generate-example.conf
# Spark runs in-process on local[*] (SPARK_NEWTON_MASTER to change it); the jar is built on first use.
source "$(dirname "$0")/common.sh"
if [ $# -eq 0 ]; then
  echo "usage: jobs/generate.sh CONF_FILE [key=value ...]   (e.g. conf/generate-example.conf)" >&2
  exit 2
fi
run_main generate "$@"
