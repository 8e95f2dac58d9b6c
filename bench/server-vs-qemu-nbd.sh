#!/usr/bin/env bash
# nbdscope's built-in NBD server against qemu-nbd 10, serving the same sparse 1 TiB raw file.
#
# Both servers are mapped side by side with `nbdinfo --map` (and with `nbdscope map` when that command
# exists); the script prints the median wall time of each and the ratio nbdscope/qemu-nbd, checks that
# both maps are identical, and prints the resident memory of `nbdscope serve` for the file and for the
# built-in 1 TiB demo disk.
#
# Usage: bench/server-vs-qemu-nbd.sh [RUNS]      (default 5 warm-up and 5 measured runs per server)
# Needs: ./nbdscope at the repository root, qemu-nbd, qemu-io, nbdinfo. Work files go to bench/out/.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
out="$here/bench/out"
mkdir -p "$out"
for tool in qemu-nbd qemu-io nbdinfo; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (install qemu-utils and libnbd-bin)" >&2; exit 2; }
done

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $(( 20000 + RANDOM % 20000 )); }

wait_port() { # PORT PID
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "bench: server $2 died" >&2; return 1; }
    sleep 0.1
  done
  echo "bench: nothing listens on port $1" >&2; return 1
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# seconds for one run of a command, output discarded
timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN{printf "%.4f\n", e-s}'; }

measure() { for _ in $(seq "$runs"); do timed "$@"; done | median; }

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# 1. the raw file: 1 TiB, 2,000 scattered data runs of 4 KiB .. 1 MiB, written in one qemu-io process
img="$out/server-bench-1T.raw"
if [ ! -f "$img" ]; then
  echo "bench: writing $img (sparse 1 TiB, 2000 data runs)..." >&2
  truncate -s 1T "$img"
  cmds=()
  seed=12345
  for i in $(seq 2000); do
    seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
    off=$(( (seed % 262144) * 4 * 1024 * 1024 ))          # 4 MiB slots over 1 TiB
    len=$(( (1 + (seed / 7) % 256) * 4096 ))               # 4 KiB .. 1 MiB
    cmds+=(-c "write -P $(( i % 250 + 1 )) $off $len")
  done
  qemu-io -f raw "$img" "${cmds[@]}" >/dev/null
fi

# 2. both servers on the same file, read-only
p1=$(free_port); p2=$(free_port)
"$here/nbdscope" serve "disk=$img" --read-only --port "$p1" >"$out/serve-file.log" 2>&1 &
ours=$!; pids+=("$ours")
qemu-nbd -r -t -f raw -x disk -b 127.0.0.1 -p "$p2" "$img" >"$out/qemu-nbd.log" 2>&1 &
theirs=$!; pids+=("$theirs")
wait_port "$p1" "$ours"; wait_port "$p2" "$theirs"
u1="nbd://127.0.0.1:$p1/disk"; u2="nbd://127.0.0.1:$p2/disk"

nbdinfo --map "$u1" >"$out/map-nbdscope-serve.txt"
nbdinfo --map "$u2" >"$out/map-qemu-nbd.txt"
if cmp -s "$out/map-nbdscope-serve.txt" "$out/map-qemu-nbd.txt"; then same=yes; else same="NO (see $out/map-*.txt)"; fi
extents=$(wc -l <"$out/map-nbdscope-serve.txt")

# warm both servers up the same way (the JVM compiles its hot paths during the first maps)
for _ in $(seq "$runs"); do nbdinfo --map "$u1" >/dev/null; nbdinfo --map "$u2" >/dev/null; done
t1=$(measure nbdinfo --map "$u1")
t2=$(measure nbdinfo --map "$u2")
echo "== nbdinfo --map of a sparse 1 TiB raw file ($extents extents), median of $runs runs after $runs warm-up runs"
printf '  nbdscope serve : %8.3f s\n' "$t1"
printf '  qemu-nbd 10    : %8.3f s\n' "$t2"
awk -v a="$t1" -v b="$t2" 'BEGIN{printf "  ratio nbdscope/qemu-nbd: %.2f\n", a/b}'
echo "  maps identical: $same"

if "$here/nbdscope" map --help 2>/dev/null | grep -q "Usage: nbdscope map"; then
  m1=$(measure "$here/nbdscope" map "$u1")
  m2=$(measure "$here/nbdscope" map "$u2")
  echo "== nbdscope map of the same file, median of $runs runs"
  printf '  nbdscope serve : %8.3f s\n' "$m1"
  printf '  qemu-nbd 10    : %8.3f s\n' "$m2"
  awk -v a="$m1" -v b="$m2" 'BEGIN{printf "  ratio nbdscope/qemu-nbd: %.2f\n", a/b}'
else
  echo "== nbdscope map: not available in this build (skipped)"
fi
echo "== memory after mapping"
echo "  nbdscope serve (file): $(rss_kib "$ours") KiB RSS;  qemu-nbd: $(rss_kib "$theirs") KiB RSS"

# 3. the built-in demo disk: memory of a server that has served one full map
p3=$(free_port)
"$here/nbdscope" serve demo --port "$p3" >"$out/serve-demo.log" 2>&1 &
demo=$!; pids+=("$demo")
wait_port "$p3" "$demo"
idle=$(rss_kib "$demo")
td=$(timed nbdinfo --map "nbd://127.0.0.1:$p3/demo")
echo "== demo disk (1 TiB virtual, $(nbdinfo --map "nbd://127.0.0.1:$p3/demo" | wc -l) extents)"
echo "  nbdscope serve demo: ${idle} KiB RSS idle, $(rss_kib "$demo") KiB RSS after two full maps (nbdinfo --map took ${td} s)"
