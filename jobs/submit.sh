#!/usr/bin/env bash
# Submits the training job to a cluster with spark-submit:
#   SPARK_SUBMIT_OPTS_EXTRA="--master yarn --deploy-mode cluster --num-executors 8" \
#     jobs/submit.sh conf/a9a.conf spark.partitions=64
# The configuration file is read by the driver: in cluster deploy mode, ship it with --files and
# pass its bare name. Spark supplies the --add-opens flags itself under spark-submit.
# Logging: conf/log4j2.properties (Spark at WARN, the progress lines readable) for the driver,
# through --driver-java-options; SPARK_NEWTON_LOG4J names another file, or "" for the cluster's own.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/target/spark-newton-0.1.0-SNAPSHOT.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
LOG4J=${SPARK_NEWTON_LOG4J-$ROOT/conf/log4j2.properties}
LOG_OPTS=()
if [ -n "$LOG4J" ]; then
  LOG_OPTS=(--driver-java-options "-Dlog4j2.configurationFile=$LOG4J")
fi
# shellcheck disable=SC2086
exec spark-submit --class dev.sparknewton.cli.Main "${LOG_OPTS[@]}" ${SPARK_SUBMIT_OPTS_EXTRA:-} \
  "$JAR" train "$@"
