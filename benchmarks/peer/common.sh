# Shared by the side-by-side scripts of this folder (source it, do not run it): paths, building TransferKit's benchmark
# runner, running one side of a comparison into a file of JSON lines, and collecting pairs into a markdown table of
# ratios (peer_results.py). The sourcing script runs from the repository root afterwards.
set -euo pipefail

PEER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$PEER_DIR/../.."
# Debian's interpreter has python3-torch and Pillow; the python3 first on PATH may lack them.
PYTHON=${PYTHON:-/usr/bin/python3}
JEMALLOC=${JEMALLOC:-/usr/lib/x86_64-linux-gnu/libjemalloc.so.2}
TK_DLL=benchmarks/TransferKit.Benchmarks/bin/Release/net10.0/TransferKit.Benchmarks.dll
WORK=$(mktemp -d)
RESULTS=$WORK/results.tsv
trap 'rm -rf "$WORK"' EXIT

log() { echo "$*" >&2; }

# Builds the benchmark runner; on failure shows the errors and stops the script.
tk_build() {
  log "# building benchmarks/TransferKit.Benchmarks (Release)"
  if ! dotnet build -c Release benchmarks/TransferKit.Benchmarks >"$WORK/build.log" 2>&1; then
    grep -E "error" "$WORK/build.log" >&2 || tail -n 20 "$WORK/build.log" >&2
    exit 1
  fi
}

# run_side OUT COMMAND...: stdout into OUT, echoed to stderr as progress. A failed run is reported and leaves OUT without
# its JSON line, which the table shows as "failed": one broken item does not end a long run.
run_side() {
  local out=$1 status=0
  shift
  "$@" >"$out" || status=$?
  cat "$out" >&2
  if [ "$status" -ne 0 ]; then log "# FAILED (exit $status): $*"; fi
}

# tk OUT MODE [ARGS...]: one of TransferKit's peer modes (see benchmarks/TransferKit.Benchmarks/Program.cs).
tk() {
  local out=$1
  shift
  run_side "$out" dotnet "$TK_DLL" "$@"
}

# peer OUT SCRIPT [ARGS...]: a PyTorch or Pillow script of this folder; the library PEER_PRELOAD names, when set, is preloaded.
peer() {
  local out=$1 script=$2
  shift 2
  if [ -n "${PEER_PRELOAD:-}" ]; then
    run_side "$out" env LD_PRELOAD="$PEER_PRELOAD" "$PYTHON" "$PEER_DIR/$script" "$@"
  else
    run_side "$out" "$PYTHON" "$PEER_DIR/$script" "$@"
  fi
}

have_jemalloc() { [ -f "$JEMALLOC" ]; }

# peer_jemalloc OUT SCRIPT [ARGS...]: peer with jemalloc preloaded, the allocator PyTorch is usually benchmarked with on Linux.
peer_jemalloc() { PEER_PRELOAD=$JEMALLOC peer "$@"; }

# torch_peer OUT SCRIPT [ARGS...]: a PyTorch script with TORCH_PRELOAD (empty: glibc's allocator) preloaded.
torch_peer() { PEER_PRELOAD=${TORCH_PRELOAD:-} peer "$@"; }

# json_get FILE KEY [FIELD=VALUE]: KEY of the file's (matching) JSON line.
json_get() { "$PYTHON" "$PEER_DIR/peer_results.py" get "$@"; }

# record ITEM UNIT higher|lower OURS_FILE PEER_FILE KEY [FIELD=VALUE]: one round of one row of the table.
record() { "$PYTHON" "$PEER_DIR/peer_results.py" add "$RESULTS" "$@"; }

# print_table: | item | TransferKit | PyTorch/Pillow | ratio |, the median of each side over the recorded rounds.
print_table() {
  if [ -s "$RESULTS" ]; then "$PYTHON" "$PEER_DIR/peer_results.py" table "$RESULTS"; else echo "(no results)"; fi
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(load_average)
STARTED=$SECONDS

# machine_header: what a number needs beside it to be quoted: date, CPU, cores, memory, versions.
machine_header() {
  local cpu memory avx512 commit peers
  cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
  memory=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  avx512=$(grep -qw avx512f /proc/cpuinfo && echo "AVX-512" || echo "no AVX-512")
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo "unknown")
  if [ -n "$(git status --porcelain 2>/dev/null | head -n 1)" ]; then commit="$commit (with uncommitted changes)"; fi
  peers=$("$PYTHON" -c 'import PIL, numpy, torch; print(f"torch {torch.__version__}, Pillow {PIL.__version__}, NumPy {numpy.__version__}")' 2>/dev/null || echo "torch or Pillow missing for $PYTHON")
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: ${cpu:-unknown CPU} ($avx512), $(nproc) cores, $memory"
  echo "- TransferKit: commit $commit, .NET $(dotnet --version), TRANSFERKIT_GEMM=${TRANSFERKIT_GEMM:-unset (library default)}"
  echo "- peers: $peers ($PYTHON)"
}

# print_report TITLE [LINE...]: the title, machine_header, the load average before and after, extra lines, the table
# and how to read its ratios.
print_report() {
  local title=$1 line elapsed=$((SECONDS - STARTED))
  shift
  echo "## $title"
  echo
  machine_header
  echo "- load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $(load_average)"
  for line in "$@"; do echo "- $line"; done
  echo "- wall time: $((elapsed / 60)) min $((elapsed % 60)) s"
  echo
  print_table
  echo
  echo "Ratio: TransferKit's speed-up over the peer (its rate / the peer's, or the peer's time / its time); above 1 is"
  echo "TransferKit faster. Each side is the median of its own timed steps (and of the rounds); 2 threads on both sides."
}

# check_failures: fails (exit status 1) when a side of some row failed, after the report has been printed.
check_failures() {
  if [ -s "$RESULTS" ] && cut -f4,5 "$RESULTS" | grep -qw failed; then
    log "# some runs failed: see their messages above"
    return 1
  fi
}
