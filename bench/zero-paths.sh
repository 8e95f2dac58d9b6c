#!/usr/bin/env bash
# The zero question on a 1 TiB export, path by path: requests, bytes on the wire and time, as measured by
# `nbdscope probe|make-zero --json` against real servers started here (Unix sockets, stopped by PID).
#
#   path                                   server                                  target set by physics
#   probe, zero flag                       nbdscope serve memory:1T                0 extra round trips
#   probe, 64-bit block status             qemu-nbd 10 (raw, all holes)            1 request
#                                          nbdscope serve --no-init-state          1 request
#   probe, 32-bit block status             nbdkit memory 1T                        <= ceil(size / max request)
#                                          nbdscope serve --no-extended-headers    <= ceil(size / max request)
#   make-zero, extended headers            qemu-nbd 10 (raw, data written)         1 WRITE_ZEROES
#                                          nbdscope serve (data written)           1 WRITE_ZEROES
#   make-zero, no extended headers         nbdkit memory 1T (data written)         <= ceil(size / max request) WRITE_ZEROES
#                                          nbdscope serve --no-extended-headers    <= ceil(size / max request) WRITE_ZEROES
#
# "requests" are NBD commands after the handshake (make-zero includes its rung-1 probe and its verification);
# "in-process" is the engine's own wall time, "process" the whole `nbdscope` run including JVM start-up.
# Rows whose server is missing (or `nbdscope serve` before the server branch is merged) are reported as skipped.
#
# Usage: bench/zero-paths.sh        Needs: qemu-nbd, qemu-io, nbdkit, python3, a JDK 25.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
nbdscope="$here/nbdscope"
work=$(mktemp -d /tmp/nbdscope-zero-bench.XXXXXX)
size=$((1 << 40))

for p in qemu-nbd qemu-io nbdkit python3; do
  command -v "$p" >/dev/null || { echo "bench: $p is not installed (run .ci/install-peers)" >&2; exit 2; }
done

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$nbdscope" --version >/dev/null   # builds on first use, outside the timings
have_serve=0
"$nbdscope" serve --help 2>/dev/null | grep -q -- --no-init-state && have_serve=1

now_ns() { date +%s%N; }

# start NAME CMD...: starts a server on $work/NAME.sock (the literal SOCK in CMD), waits for the socket, sets $uri
start() {
  local name=$1; shift
  local sock="$work/$name.sock"
  local args=()
  for a in "$@"; do args+=("${a//SOCK/$sock}"); done
  "${args[@]}" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do [ -S "$sock" ] && break; sleep 0.05; done
  [ -S "$sock" ] || { echo "bench: $name did not start: $(cat "$work/$name.log")" >&2; exit 1; }
  uri="nbd+unix:///$export?socket=$sock"
}
stop() { kill "${pids[-1]}" 2>/dev/null || true; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

# write_data URI: a few 64 KiB runs of data spread over the export, near both ends
write_data() {
  qemu-io -f raw -c "write -P 0x5a 0 64k" -c "write -P 0x5a 7G 64k" -c "write -P 0x5a 300G 1M" \
    -c "write -P 0x5a 1023G 64k" "$1" >/dev/null
}

results="$work/results.jsonl"
: > "$results"

# measure PATH SERVER TARGET_KIND nbdscope-args...: runs nbdscope once, records its JSON and the process time
measure() {
  local path=$1 server=$2 kind=$3; shift 3
  local t0 t1 rc=0
  t0=$(now_ns)
  "$nbdscope" "$@" > "$work/out.json" 2> "$work/err.txt" || rc=$?
  t1=$(now_ns)
  python3 - "$path" "$server" "$kind" "$rc" $(( (t1 - t0) / 1000000 )) "$size" "$work/out.json" "$work/err.txt" >> "$results" <<'EOF'
import json, sys
path, server, kind, rc, ms, size, out, err = sys.argv[1:]
row = {"path": path, "server": server, "kind": kind, "exit": int(rc), "processMs": int(ms), "size": int(size)}
try:
    j = json.load(open(out))
except Exception:
    row["error"] = open(err).read().strip().splitlines()[-1:] or ["no output"]
    print(json.dumps(row)); sys.exit()
t = j["target"]
row["maxZero"] = t["maxZeroRequest"]
row["headerMode"] = t["headerMode"]
if "probe" in j:
    c = j["probe"]["cost"]; row["how"] = j["probe"]["source"]; row["answer"] = j["probe"]["answer"]
else:
    r = j["result"]; c = r["cost"]; row["how"] = r["strategy"] or r["outcome"]; row["answer"] = r["outcome"]
    row["zeroing"] = r["zeroCost"]["requestsByCommand"]
row.update({"requests": c["requests"], "byCommand": c["requestsByCommand"], "roundTrips": c["roundTrips"],
            "sent": c["bytesSent"], "received": c["bytesReceived"], "inProcessMs": c["wallNanos"] / 1e6})
print(json.dumps(row))
EOF
}

skip() { printf '{"path": "%s", "server": "%s", "kind": "%s", "skipped": "%s"}\n' "$1" "$2" "$3" "$4" >> "$results"; }

serve() {
  # serve NAME [--no-... switches]: nbdscope's own server with a fresh 1 TiB memory disk
  local name=$1; shift
  start "$name" "$nbdscope" serve "memory:1T" --export-name disk --socket SOCK "$@"
}

# ---- probes ----
export=disk
if [ $have_serve = 1 ]; then
  serve ours-flag; measure "probe, zero flag" "nbdscope serve" flag probe --json "$uri"; stop
  serve ours-64 --no-init-state; measure "probe, 64-bit block status" "nbdscope serve --no-init-state" bs64 probe --json "$uri"; stop
  serve ours-32 --no-init-state --no-extended-headers
  measure "probe, 32-bit block status" "nbdscope serve --no-init-state --no-extended-headers" bs32 probe --json "$uri"; stop
else
  skip "probe, zero flag" "nbdscope serve" flag "nbdscope serve is not in this build"
  skip "probe, 64-bit block status" "nbdscope serve --no-init-state" bs64 "nbdscope serve is not in this build"
  skip "probe, 32-bit block status" "nbdscope serve --no-extended-headers" bs32 "nbdscope serve is not in this build"
fi

export=""
truncate -s 1T "$work/holes.raw"
start qemu-probe qemu-nbd -f raw -t -e 2 -k SOCK "$work/holes.raw"
measure "probe, 64-bit block status" "qemu-nbd 10" bs64 probe --json "$uri"; stop
rm -f "$work/holes.raw"

start nbdkit-probe nbdkit -f -U SOCK memory 1T
measure "probe, 32-bit block status" "nbdkit 1.32 memory" bs32 probe --json "$uri"; stop

# ---- make-zero ----
truncate -s 1T "$work/data.raw"
start qemu-mz qemu-nbd -f raw -t -e 2 --discard=unmap -k SOCK "$work/data.raw"
write_data "$uri"
measure "make-zero, extended headers" "qemu-nbd 10" mz64 make-zero --yes --json "$uri"; stop
rm -f "$work/data.raw"

start nbdkit-mz nbdkit -f -U SOCK memory 1T
write_data "$uri"
measure "make-zero, no extended headers" "nbdkit 1.32 memory" mz32 make-zero --yes --json "$uri"; stop

export=disk
if [ $have_serve = 1 ]; then
  serve ours-mz64; write_data "$uri"
  measure "make-zero, extended headers" "nbdscope serve" mz64 make-zero --yes --json "$uri"; stop
  serve ours-mz32 --no-extended-headers; write_data "$uri"
  measure "make-zero, no extended headers" "nbdscope serve --no-extended-headers" mz32 make-zero --yes --json "$uri"; stop
else
  skip "make-zero, extended headers" "nbdscope serve" mz64 "nbdscope serve is not in this build"
  skip "make-zero, no extended headers" "nbdscope serve --no-extended-headers" mz32 "nbdscope serve is not in this build"
fi

# ---- table ----
python3 - "$results" <<'EOF'
import json, math, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def human(n):
    for u in ["B", "KiB", "MiB", "GiB"]:
        if n < 1024: return f"{n:.0f} {u}" if u == "B" or n == int(n) else f"{n:.1f} {u}"
        n /= 1024
    return f"{n:.1f} TiB"
print(f"{'path':32} {'server':52} {'answer / rung':24} {'requests':>8} {'round trips':>11} {'sent':>9} {'received':>9} {'in-process':>11} {'process':>8}  target")
ok_all = True
for r in rows:
    if "skipped" in r:
        print(f"{r['path']:32} {r['server']:52} skipped: {r['skipped']}"); continue
    if "error" in r:
        print(f"{r['path']:32} {r['server']:52} FAILED (exit {r['exit']}): {r['error'][0]}"); ok_all = False; continue
    bound32 = math.ceil(r["size"] / r["maxZero"]) if r["maxZero"] < 2**62 else 1
    k = r["kind"]
    if k == "flag":
        target, ok = "0 round trips", r["roundTrips"] == 0 and r["how"] == "ZERO_FLAG"
    elif k == "bs64":
        target, ok = "1 request", r["requests"] == 1
    elif k == "bs32":
        target, ok = f"<= {bound32} requests", r["requests"] <= bound32
    elif k == "mz64":
        wz = r["zeroing"].get("WRITE_ZEROES", 0)
        target, ok = f"1 WRITE_ZEROES (got {wz})", wz == 1
    else:
        wz = r["zeroing"].get("WRITE_ZEROES", 0)
        target, ok = f"<= {bound32} WRITE_ZEROES (got {wz})", 0 < wz <= bound32
    ok_all &= ok
    how = f"{r['answer'].lower()} / {r['how']}"
    by = ", ".join(f"{c} {n}" for c, n in r["byCommand"].items())
    print(f"{r['path']:32} {r['server']:52} {how:24} {r['requests']:>8} {r['roundTrips']:>11} {human(r['sent']):>9} {human(r['received']):>9} "
          f"{r['inProcessMs']:>8.2f} ms {r['processMs']:>5} ms  {target}: {'met' if ok else 'MISSED'}   [{by}]")
print()
print("all physics targets met" if ok_all else "SOME TARGETS MISSED")
sys.exit(0 if ok_all else 1)
EOF
