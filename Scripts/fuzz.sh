#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (AddressSanitizer + libFuzzer) and
# runs each of them for a while.
#
#   Scripts/fuzz.sh [SECONDS] [TARGET...]   each target SECONDS s (default 60)
#   Scripts/fuzz.sh --total SECONDS         SECONDS shared out across every target
#   Scripts/fuzz.sh --list                  the target names
#
# For each target: the saved crash inputs in Fuzz/regressions/<target>/ are
# run first (each must pass), then libFuzzer runs from the committed corpus
# Fuzz/corpus/<target>/ (seeded by Fuzz/seed-corpus.py). Inputs that reach new
# code are merged back into that corpus (FUZZ_KEEP=0: not kept). A crash, a
# failed property, a hang (FUZZ_TIMEOUT s on one input) or an out-of-memory
# is copied to Fuzz/regressions/<target>/, its path printed, and the script
# exits 1 once every target has run.
#
# Environment: FUZZ_KEEP (1), FUZZ_TIMEOUT (10 s per input), FUZZ_RSS_MB
# (2048), SWIFT_BUILD_LOCK (a file to flock around the build only, so other
# builds wait for the build and not for the fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FUZZ=$ROOT/Fuzz

if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi

targets() { local d; for d in "$FUZZ"/Targets/*/; do d=${d%/}; echo "${d##*/}"; done; }

SECS=60 TOTAL='' WANT=()
case ${1:-} in
  --list) targets; exit 0 ;;
  --total) TOTAL=${2:?usage: $0 --total SECONDS}; shift 2 ;;
  -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
  '') ;;
  *) SECS=$1; shift ;;
esac
WANT=("$@")
mapfile -t ALL < <(targets)
((${#WANT[@]})) || WANT=("${ALL[@]}")
for t in "${WANT[@]}"; do
  [[ -d $FUZZ/Targets/$t ]] || { echo "fuzz: no target '$t' (have: ${ALL[*]})" >&2; exit 2; }
done
if [[ -n $TOTAL ]]; then SECS=$((TOTAL / ${#WANT[@]})); ((SECS >= 1)) || SECS=1; fi
[[ $SECS =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a whole number, not '$SECS'" >&2; exit 2; }

KEEP=${FUZZ_KEEP:-1}
PER_INPUT=${FUZZ_TIMEOUT:-10}
RSS_MB=${FUZZ_RSS_MB:-2048}
WORK=$FUZZ/.build/fuzz-work           # new inputs before the merge, logs, crash artifacts
export SWIFT_BACKTRACE=enable=no      # libFuzzer and ASan report crashes, not Swift's backtracer
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:symbolize=1:detect_leaks=1}

# libFuzzer's longest input per target (default 4096): the reply decoder needs
# lines past its 4,096-byte limit; a saved report is larger than 4 KB.
max_len() {
  case $1 in
    smtp-reply) echo 8192 ;;
    report-reader) echo 16384 ;;   # a real report is 5-10 KB
    *) echo 4096 ;;
  esac
}

echo "== fuzz: building Fuzz/ (-sanitize=fuzzer,address)"
# Product by product: a plain `swift build` would also build the example
# programs of the dependencies (swift-nio-ssl's), which -parse-as-library breaks.
# shellcheck disable=SC2054  # the comma belongs to -sanitize's value
build=(swift build --package-path "$FUZZ" -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
if [[ -n ${SWIFT_BUILD_LOCK:-} ]]; then build=(flock "$SWIFT_BUILD_LOCK" "${build[@]}"); fi
t0=$SECONDS
for t in "${WANT[@]}"; do
  if ! out=$("${build[@]}" --product "fuzz-$t" 2>&1); then
    grep -E 'error|warning: unable' <<<"$out" | head -n 30 >&2 || true
    echo "fuzz: build of fuzz-$t failed" >&2
    exit 1
  fi
done
BIN=$FUZZ/.build/debug
echo "   built in $((SECONDS - t0)) s"

python3 "$FUZZ/seed-corpus.py" >/dev/null || echo "fuzz: seed-corpus.py failed; using the corpus as it is" >&2

# The newest crash artifact libFuzzer wrote in DIR.
artifact() { find "$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-; }

failed=() rows=()
for t in "${WANT[@]}"; do
  exe=$BIN/fuzz-$t corpus=$FUZZ/corpus/$t regress=$FUZZ/regressions/$t
  new=$WORK/$t/new art=$WORK/$t/artifacts log=$WORK/$t/log
  rm -rf "${WORK:?}/$t"
  mkdir -p "$corpus" "$new" "$art"
  opts=(-timeout="$PER_INPUT" -rss_limit_mb="$RSS_MB" -max_len="$(max_len "$t")" -artifact_prefix="$art/")

  # 1. Every saved crash must pass now.
  mapfile -t saved < <(find "$regress" -type f 2>/dev/null | sort)
  if ((${#saved[@]})); then
    if ! "$exe" "${opts[@]}" "${saved[@]}" >"$log.regressions" 2>&1; then
      bad=$(grep -m1 -o 'Running: .*' "$log.regressions" | tail -n 1 | cut -d' ' -f2-)
      grep -v '^Running:\|^Executed\|^INFO' "$log.regressions" | head -n 20 >&2 || true
      echo "fuzz: $t: a saved regression input still fails: ${bad:-see $log.regressions}" >&2
      echo "      reproduce: $exe ${bad:-$regress/...}" >&2
      failed+=("$t (regression)")
      rows+=("$(printf '%-14s %6s %9s %7s %6s  %s' "$t" - - - - "REGRESSION FAILS: ${bad##*/}")")
      continue
    fi
  fi

  # 2. Fuzz from the committed corpus; new inputs go to $new (the first directory).
  status=0
  "$exe" "${opts[@]}" -max_total_time="$SECS" -print_final_stats=1 "$new" "$corpus" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  found=$(find "$new" -type f | wc -l)
  if ((status != 0)); then
    crash=$(artifact "$art")
    if [[ -n $crash ]]; then
      mkdir -p "$regress"
      cp "$crash" "$regress/"
      kept=$regress/${crash##*/}
    else
      kept=''
    fi
    echo "---- fuzz: $t FAILED (exit $status); the report:" >&2
    grep -E 'ERROR|SUMMARY|fuzz property failed|Fatal error|Deadly signal|panic|timeout|out-of-memory|#[0-9]+ 0x' "$log" | head -n 25 >&2 || true
    echo "      reproducer: ${kept:-none written; see $log}" >&2
    [[ -n $kept ]] && echo "      reproduce:  $exe $kept" >&2
    failed+=("$t")
    rows+=("$(printf '%-14s %6s %9s %7s %6s  %s' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "$found" "CRASH ${kept:-(no artifact)}")")
    continue
  fi

  # 3. Keep what reached new code: merge into the committed corpus.
  merged=0
  if [[ $KEEP == 1 ]] && ((found > 0)); then
    before=$(find "$corpus" -type f | wc -l)
    "$exe" "${opts[@]}" -merge=1 "$corpus" "$new" >"$log.merge" 2>&1 || echo "fuzz: $t: merge failed (see $log.merge)" >&2
    merged=$(($(find "$corpus" -type f | wc -l) - before))
  fi
  rows+=("$(printf '%-14s %6s %9s %7s %6s  ok, %d kept in Fuzz/corpus/%s' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "$found" "$merged" "$t")")
done

echo "== fuzz summary (${SECS} s per target)"
printf '%-14s %6s %9s %7s %6s  %s\n' target runs "execs/s" cover new result
printf '%s\n' "${rows[@]}"
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in Fuzz/regressions/; logs in $WORK)"
  exit 1
fi
echo "fuzz: ${#WANT[@]} targets clean"
