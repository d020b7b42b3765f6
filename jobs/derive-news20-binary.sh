#!/usr/bin/env bash
# news20 binary (derived) for the large-scale benchmark: jobs/derive-news20-binary.sh [news20.bz2]
#
# Derives a binary task from the 20-class news20 set of the LIBSVM data sets page
# (https://www.csie.ntu.edu.tw/~cjlin/libsvmtools/datasets/multiclass.html#news20, the file
# news20.bz2: 15,935 rows, 62,061 features, word counts; ../shared/data/news20.multiclass.bz2 is
# that file): classes 1-10 -> -1, classes 11-20 -> +1, features unchanged. It is a derived task,
# not LIBSVM's own news20.binary (which has other rows and normalized features).
# Writes ${SPARK_NEWTON_DATA:-$HOME/.cache/spark-newton}/news20/news20.binary.derived.libsvm
# (temporary file, checked, then renamed) and prints its path on stdout. Idempotent.
set -euo pipefail

SRC="${1:-$(cd "$(dirname "$0")/.." && pwd)/../shared/data/news20.multiclass.bz2}"
DIR="${SPARK_NEWTON_DATA:-$HOME/.cache/spark-newton}/news20"
OUT="$DIR/news20.binary.derived.libsvm"
ROWS=15935

if [[ -s "$OUT" && "$(wc -l < "$OUT")" -eq $ROWS ]]; then
  echo "$OUT"
  exit 0
fi
if [[ ! -f "$SRC" ]]; then
  echo "error: $SRC not found: download news20.bz2 from the LIBSVM data sets page and pass its path" >&2
  exit 2
fi
mkdir -p "$DIR"
TMP="$(mktemp "$DIR/.news20.binary.XXXXXX")"
trap 'rm -f "$TMP"' EXIT
bzcat "$SRC" | awk -v src="$SRC" '
  $1 !~ /^[0-9]+$/ || $1 < 1 || $1 > 20 {
    printf "error: %s row %d: label %s is not a class 1..20\n", src, NR, $1 > "/dev/stderr"; exit 2
  }
  { $1 = ($1 <= 10) ? "-1" : "+1"; print }' > "$TMP"
rows="$(wc -l < "$TMP")"
if [[ "$rows" -ne $ROWS ]]; then
  echo "error: $SRC has $rows rows, expected $ROWS" >&2
  exit 2
fi
mv "$TMP" "$OUT"
trap - EXIT
echo "$OUT"
