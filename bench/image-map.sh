#!/usr/bin/env bash
# Issue 4 benchmark: `nbdscope map FILE --format qemu-json` against `qemu-img map --output=json`, whole
# process, measured side by side on the same files, with nbdscope's start-up (`nbdscope --version`).
#
#   case 1  qcow2, cluster_size=4096, 1,000,000 scattered allocated clusters   (target ratio <= 1.0)
#   case 2  1 TiB sparse raw file with 2,000 data runs
#   case 3  16 GiB qcow2 with ~24,000 extents
#
# Images are built once under $BENCH_DIR (default bench/out/image-map, git-ignored) and reused.
# Case 1 needs about 8 GiB of disk while it is built (a raw file, converted, then deleted) and 4.4 GiB after.
# Environment: RUNS (timed runs per command, median reported; default 5), NBDSCOPE (the nbdscope command,
# default ./nbdscope at the repository root), CASES (default "1 2 3").
#
# Case 1's raw source is written by a small seeded Python loop rather than `nbdkit sparse-random`: with a
# run length of a few KiB, sparse-random spends tens of minutes of CPU answering block status for 4 GiB.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-$root/bench/out/image-map}
runs=${RUNS:-5}
cases=${CASES:-"1 2 3"}
read -r -a nbdscope <<< "${NBDSCOPE:-$root/nbdscope}"
mkdir -p "$dir"

for tool in qemu-img python3; do
  command -v "$tool" >/dev/null || { echo "image-map.sh: $tool is required (apt-get install qemu-utils python3)" >&2; exit 2; }
done

# --- building the images ------------------------------------------------------------------------------

# scattered_raw FILE SIZE RUNS RUNLEN SEED: a sparse raw file of SIZE bytes with RUNS data runs of RUNLEN
# bytes (non-zero bytes), at seeded random, non-overlapping, RUNLEN-aligned offsets.
scattered_raw() {
  python3 - "$@" <<'PY'
import os, random, sys
path, size, runs, runlen, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rnd = random.Random(seed)
slots = size // runlen
picked = sorted(rnd.sample(range(slots), runs))
block = bytes([0x5a]) * runlen
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.ftruncate(fd, size)
for s in picked:
    os.pwrite(fd, block, s * runlen)
os.close(fd)
PY
}

# case 1: a million single 4 KiB clusters with gaps of 1 to 8 clusters between them
case1() {
  local img=$dir/case1-4k-1m.qcow2
  if [ ! -f "$img" ]; then
    echo "building $img (1,000,000 scattered 4 KiB clusters)..." >&2
    python3 - "$dir/case1.raw" <<'PY'
import os, random, sys
rnd = random.Random(42)
block = bytes([0x5a]) * 4096
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
pos = 0
for _ in range(1_000_000):
    pos += rnd.randint(1, 8) * 4096
    os.pwrite(fd, block, pos)
    pos += 4096
os.ftruncate(fd, (pos + (1 << 20)) & ~((1 << 20) - 1))
os.close(fd)
PY
    qemu-img convert -f raw -O qcow2 -o cluster_size=4096 "$dir/case1.raw" "$img.tmp"
    rm -f "$dir/case1.raw"
    mv "$img.tmp" "$img"
  fi
  echo "$img"
}

# case 2: 1 TiB sparse raw, 2,000 runs of 1 MiB
case2() {
  local img=$dir/case2-1t-2000.raw
  if [ ! -f "$img" ]; then
    echo "building $img (1 TiB sparse, 2,000 data runs)..." >&2
    scattered_raw "$img.tmp" $((1 << 40)) 2000 $((1 << 20)) 4
    mv "$img.tmp" "$img"
  fi
  echo "$img"
}

# case 3: 16 GiB qcow2 (64 KiB clusters), 12,600 runs of one cluster: ~24,000 extents (neighbours merge)
case3() {
  local img=$dir/case3-16g.qcow2
  if [ ! -f "$img" ]; then
    echo "building $img (16 GiB, ~24,000 extents)..." >&2
    scattered_raw "$dir/case3.raw" $((16 << 30)) 12600 65536 3
    qemu-img convert -f raw -O qcow2 "$dir/case3.raw" "$img.tmp"
    rm -f "$dir/case3.raw"
    mv "$img.tmp" "$img"
  fi
  echo "$img"
}

# --- timing -------------------------------------------------------------------------------------------

# median_seconds CMD...: runs CMD $runs times (stdout to /dev/null) and prints the median wall time in s
median_seconds() {
  local times=() t0 t1 i
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    "$@" > /dev/null
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f\n", m / 1e6}'
}

format_of() { case "$1" in *.qcow2) echo qcow2 ;; *) echo raw ;; esac; }

"${nbdscope[@]}" --version > /dev/null   # builds on first use, outside the timings
startup=$(median_seconds "${nbdscope[@]}" --version)

printf '%-6s %-22s %9s %9s %12s %11s %7s %13s\n' case image extents qemu-img nbdscope ratio startup "startup share"
for c in $cases; do
  img=$(case$c)
  fmt=$(format_of "$img")
  # same answer first: the comparison is only meaningful if the output is identical
  qemu-img map --output=json -f "$fmt" "$img" > "$dir/case$c.qemu.json"
  "${nbdscope[@]}" map "$img" --format qemu-json > "$dir/case$c.nbdscope.json"
  if ! cmp -s "$dir/case$c.qemu.json" "$dir/case$c.nbdscope.json"; then
    echo "case $c: nbdscope's map differs from qemu-img's (see $dir/case$c.*.json)" >&2
    exit 1
  fi
  extents=$(wc -l < "$dir/case$c.qemu.json")
  q=$(median_seconds qemu-img map --output=json -f "$fmt" "$img")
  n=$(median_seconds "${nbdscope[@]}" map "$img" --format qemu-json)
  awk -v c="$c" -v img="$(basename "$img")" -v e="$extents" -v q="$q" -v n="$n" -v s="$startup" 'BEGIN {
    printf "%-6s %-22s %9d %8.3fs %11.3fs %11.2f %6.3fs %12.0f%%\n", c, img, e, q, n, n / q, s, 100 * s / n }'
done
echo "ratio = nbdscope / qemu-img (median of $runs whole-process runs each); startup = nbdscope --version"
