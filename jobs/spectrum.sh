#!/usr/bin/env bash
# Hessian spectrum locally: jobs/spectrum.sh [CONF_FILE] [key=value ...]
# Top-k eigenvalues of the (sub-sampled) Hessian at spectrum.point (initial | optimum | model.json),
# with the fractions of trace and Frobenius norm they capture; writes spectrum.csv, spectrum.png and
# the compressed Hessian (hessian/) under output.dir. With no arguments: conf/spectrum-a9a.conf.
# Spark runs in-process on local[*] (SPARK_NEWTON_MASTER to change it); the jar is built on first use.
source "$(dirname "$0")/common.sh"
if [ $# -eq 0 ]; then
  set -- "$ROOT/conf/spectrum-a9a.conf"
fi
run_main spectrum "$@"
