#!/usr/bin/env bash
# Submits the training job with spark-submit: jobs/submit.sh [CONF_FILE] [key=value ...]
#   SPARK_NEWTON_MASTER=spark://127.0.0.1:7077 jobs/submit.sh conf/a9a.conf   # jobs/local-cluster.sh up
#   SPARK_SUBMIT_OPTS_EXTRA="--master yarn --deploy-mode cluster --num-executors 8" \
#     jobs/submit.sh conf/a9a.conf spark.partitions=64
# SPARK_NEWTON_MASTER becomes --master; SPARK_SUBMIT_OPTS_EXTRA holds any other spark-submit
# options; SPARK_NEWTON_JAR replaces the application jar (default: the shaded jar, built when
# missing). The spark-submit of $SPARK_HOME/bin, else of PATH, else Spark's own SparkSubmit class
# from Maven's classpath in a JVM with the flags of common.sh (the driver runs in it in client
# mode; -Xmx from SPARK_NEWTON_DRIVER_MEMORY); Spark adds the --add-opens flags to executors.
# The configuration file is read by the driver: in cluster deploy mode, ship it with --files and
# pass its bare name.
# Logging: conf/log4j2.properties (Spark at WARN, the progress lines readable) for the driver,
# through --driver-java-options; SPARK_NEWTON_LOG4J names another file, or "" for the cluster's own.
source "$(dirname "$0")/common.sh"
LOG4J=${SPARK_NEWTON_LOG4J-$ROOT/conf/log4j2.properties}
APP_JAR=${SPARK_NEWTON_JAR:-$JAR}
if [ -z "${SPARK_NEWTON_JAR:-}" ]; then
  build_if_needed
fi
[ -f "$APP_JAR" ] || { echo "error: application jar $APP_JAR does not exist" >&2; exit 2; }
# The Vector API module for the driver (the logistic kernels' vector form,
# src/main/java/dev/sparknewton/models/LogisticKernels.java). Executors get it only from the
# user's spark.executor.extraJavaOptions (README: setting it here would replace theirs); without
# it they run the scalar loops.
DRIVER_JAVA="--add-modules=jdk.incubator.vector"
[ -n "$LOG4J" ] && DRIVER_JAVA="$DRIVER_JAVA -Dlog4j2.configurationFile=$LOG4J"
OPTS=(--driver-java-options "$DRIVER_JAVA")
[ -n "${SPARK_NEWTON_MASTER:-}" ] && OPTS+=(--master "$SPARK_NEWTON_MASTER")
# shellcheck disable=SC2206
OPTS+=(${SPARK_SUBMIT_OPTS_EXTRA:-})
if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  exec "$SPARK_HOME/bin/spark-submit" --class dev.sparknewton.cli.Main "${OPTS[@]}" "$APP_JAR" train "$@"
elif command -v spark-submit > /dev/null; then
  exec spark-submit --class dev.sparknewton.cli.Main "${OPTS[@]}" "$APP_JAR" train "$@"
fi
[ -f "$CLASSPATH_FILE" ] || build_if_needed
DRIVER_OPTS=()
for opt in "${JAVA_OPTS[@]}"; do
  case "$opt" in
    -Dspark.master=*) ;;   # spark-submit's --master (or its default, local[*]) decides
    -Dlog4j2.configurationFile=*)   # the driver is this JVM: --driver-java-options do not reach it
      if [ -n "$LOG4J" ]; then DRIVER_OPTS+=("-Dlog4j2.configurationFile=$LOG4J"); fi ;;
    *) DRIVER_OPTS+=("$opt") ;;
  esac
done
exec java "${DRIVER_OPTS[@]}" -cp "$(cat "$CLASSPATH_FILE")" org.apache.spark.deploy.SparkSubmit \
  --class dev.sparknewton.cli.Main "${OPTS[@]}" "$APP_JAR" train "$@"
