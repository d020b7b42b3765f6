#!/usr/bin/env bash
# Trains locally: jobs/train.sh [CONF_FILE] [key=value ...]
# With no arguments: L2 logistic regression on the embedded UCI Bank Marketing data (conf/bank.conf).
# Spark runs in-process on local[*] (SPARK_NEWTON_MASTER to change it); the jar is built on first use.
source "$(dirname "$0")/common.sh"
if [ $# -eq 0 ]; then
  set -- "$ROOT/conf/bank.conf"
fi
run_main train "$@"
