#!/usr/bin/env bash
# Submits the training job to a cluster with spark-submit:
#   SPARK_SUBMIT_OPTS_EXTRA="--master yarn --deploy-mode cluster --num-executors 8" \
#     jobs/submit.sh conf/a9a.conf spark.partitions=64
# The configuration file is read by the driver: in cluster deploy mode, ship it with --files and
# pass its bare name. Spark supplies the --add-opens flags itself under spark-submit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/target/spark-newton-0.1.0-SNAPSHOT.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
# shellcheck disable=SC2086
exec spark-submit --class dev.sparknewton.cli.Main ${SPARK_SUBMIT_OPTS_EXTRA:-} "$JAR" train "$@"
