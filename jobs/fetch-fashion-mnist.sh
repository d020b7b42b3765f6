#!/usr/bin/env bash
# Fashion-MNIST for data.format = idx: jobs/fetch-fashion-mnist.sh
#
# Fetches the Debian package dataset-fashion-mnist (Zalando Research's Fashion-MNIST: 60,000
# training and 10,000 test images of 28 x 28 pixels in 10 classes of clothing, in MNIST's IDX
# format) with `apt-get download`, which only writes the .deb into the current directory: nothing
# is installed and no root is needed. Into the cache directory
#     ${SPARK_NEWTON_DATA:-$HOME/.cache/spark-newton}/fashion-mnist
# it unpacks the package (dpkg-deb, or ar and tar where dpkg-deb is missing), decompresses its four
# gzip IDX files (usr/share/datasets/fashion-mnist/*.gz), checks their SHA-256 and class counts
# (6,000 training and 1,000 test images per class) and moves them into place:
#     train-images-idx3-ubyte  train-labels-idx1-ubyte  t10k-images-idx3-ubyte  t10k-labels-idx1-ubyte
# Their four paths are printed on stdout in this order; progress goes to stderr. data.path = the
# train-images file finds its labels by name (data.format = idx).
#
# The digests: the publisher lists MD5s of its .gz files (train-images
# 8d4fb7e6c68d591d4c3dfef9ec88bf0d, train-labels 25c81989df183df01b3e8a0aad5dffbe, t10k-images
# bef4ecab320f06d8554ea6380940ec79, t10k-labels bb300cfdad3c16e7a12a480ee83cd310), which the
# package's .gz files cannot match: Debian's build (strip-nondeterminism) rewrote their gzip
# headers, without the file name and with a 2020 time stamp, so each is shorter than the
# publisher's by exactly its name and a NUL (26,421,856 bytes for the training images against
# the publisher's 26,421,880). What is pinned below is the SHA-256 of the decompressed IDX files,
# the digests other projects pin for the publisher's archives decompressed.
#
# apt-get download needs the package lists: on a machine where `apt-get update` never ran, the
# script runs it when it is root and otherwise stops with a line saying to run it as root.
#
# Idempotent: when the four files exist with the pinned SHA-256 nothing is fetched or written; the
# .deb is kept in the cache, so a rerun after deleting them needs no network.
# Needs apt-get, gzip, sha256sum and od; dpkg-deb, or ar and tar.
set -euo pipefail

PACKAGE=dataset-fashion-mnist
DIR="${SPARK_NEWTON_DATA:-$HOME/.cache/spark-newton}/fashion-mnist"
# Where the package keeps the data.
PACKAGE_DATA=usr/share/datasets/fashion-mnist
IDX_FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

# SHA-256 of the decompressed IDX files (dataset-fashion-mnist 0.0~git20200523.55506a9-1).
IDX_SHA256="\
c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888  train-images-idx3-ubyte
bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9  train-labels-idx1-ubyte
5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b  t10k-images-idx3-ubyte
0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34  t10k-labels-idx1-ubyte"

# Images per class 0..9 (Fashion-MNIST is balanced).
TRAIN_COUNTS="6000 6000 6000 6000 6000 6000 6000 6000 6000 6000"
TEST_COUNTS="1000 1000 1000 1000 1000 1000 1000 1000 1000 1000"

log() { echo "fetch-fashion-mnist: $*" >&2; }
die() { log "$*"; exit 1; }

# checksums_ok DIR DIGESTS: every "digest  name" line of DIGESTS matches DIR/name.
checksums_ok() {
  (cd "$1" && sha256sum --check --status --strict - <<<"$2") 2>/dev/null
}

print_paths() { printf '%s\n' "${IDX_FILES[@]/#/$DIR/}"; }

if checksums_ok "$DIR" "$IDX_SHA256"; then
  log "up to date in $DIR"
  print_paths
  exit 0
fi

for tool in gzip sha256sum od; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
mkdir -p "$DIR"
WORK=$(mktemp -d "$DIR/.fetch.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# The .deb from an earlier run, if any (its name carries the package's version).
deb=$(find "$DIR" -maxdepth 1 -name "${PACKAGE}_*.deb" -print -quit)
if [ -z "$deb" ]; then
  command -v apt-get >/dev/null || die "apt-get is required (to fetch the Debian package $PACKAGE)"
  if ! apt-cache show "$PACKAGE" >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] \
      || die "$PACKAGE is not in the package lists: run 'apt-get update' as root, then this again"
    log "$PACKAGE is not in the package lists: apt-get update ..."
    apt-get update -qq >&2 || die "apt-get update failed"
    apt-cache show "$PACKAGE" >/dev/null 2>&1 || die "no package $PACKAGE after apt-get update"
  fi
  log "apt-get download $PACKAGE (31 MB) ..."
  # apt checks the file against the digest in the signed package lists. As root, apt would first
  # try its sandbox user _apt, which cannot write here, and warn; root downloads directly.
  sandbox=()
  [ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
  (cd "$WORK" && apt-get download -q "${sandbox[@]}" "$PACKAGE" >&2) \
    || die "apt-get download $PACKAGE failed"
  fetched=$(find "$WORK" -maxdepth 1 -name "${PACKAGE}_*.deb" -print -quit)
  [ -n "$fetched" ] || die "apt-get download left no ${PACKAGE}_*.deb"
  deb="$DIR/$(basename "$fetched")"
  mv "$fetched" "$deb"
fi

# unpack DEB INTO: the package's files, with dpkg-deb or else with ar (a .deb is an ar archive
# whose data.tar.* member holds the files).
unpack() {
  if command -v dpkg-deb >/dev/null; then
    dpkg-deb -x "$1" "$2"
  else
    command -v ar >/dev/null || die "dpkg-deb or ar is required (to unpack $(basename "$1"))"
    local member
    member=$(ar t "$1" | grep '^data\.tar') && (cd "$WORK" && ar x "$1" "$member") \
      && tar -xf "$WORK/$member" -C "$2" --no-same-owner
  fi
}

log "unpacking $(basename "$deb") ..."
mkdir "$WORK/deb" "$WORK/idx"
if ! unpack "$deb" "$WORK/deb" 2>/dev/null; then
  rm -f "$deb"
  die "cannot unpack $(basename "$deb") (removed from the cache; run again to fetch it anew)"
fi
for name in "${IDX_FILES[@]}"; do
  packaged="$WORK/deb/$PACKAGE_DATA/$name"
  if [ -f "$packaged.gz" ]; then
    gzip -dc "$packaged.gz" >"$WORK/idx/$name"
  elif [ -f "$packaged" ]; then
    cp "$packaged" "$WORK/idx/$name"
  else
    die "$(basename "$deb") has no $PACKAGE_DATA/$name(.gz)"
  fi
done
if ! checksums_ok "$WORK/idx" "$IDX_SHA256"; then
  rm -f "$deb"
  die "the IDX files in $(basename "$deb") do not have the expected SHA-256 (package removed):" \
    "$(cd "$WORK/idx" && sha256sum "${IDX_FILES[@]}" | tr '\n' ' ')"
fi

# check_labels FILE COUNTS: every label after the 8-byte header is 0..9, with these counts per
# class. Independent of the digests (od reads the bytes).
check_labels() {
  local counts
  counts=$(od -An -v -tu1 -j8 "$1" | awk '
    { for (i = 1; i <= NF; i++) { if ($i > 9) { err = "label " $i; exit 1 } c[$i]++ } }
    END {
      if (err != "") { print err; exit 1 }
      for (k = 0; k < 10; k++) printf "%s%d", (k ? " " : ""), c[k]
    }') || die "$1: $counts"
  log "$(basename "$1"): images per class 0..9: $counts"
  [ "$counts" = "$2" ] || die "$1: expected images per class '$2'"
}
check_labels "$WORK/idx/train-labels-idx1-ubyte" "$TRAIN_COUNTS"
check_labels "$WORK/idx/t10k-labels-idx1-ubyte" "$TEST_COUNTS"

mv "${IDX_FILES[@]/#/$WORK/idx/}" "$DIR/"
print_paths
