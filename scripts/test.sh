#!/usr/bin/env bash
# Runs every test: unit, integration (real SQLite files) and end-to-end (real Chromium).
# Installs what the tests need when it is missing, so a fresh machine needs no manual step.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing from Debian: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Formatting and lint first (Biome): a style slip fails in seconds, before the slower checks.
npx biome ci --diagnostic-level=error .
npx tsc --noEmit
report="$(mktemp -d)/vitest.json"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$report" || true

# Figures, not a verdict: the province bench (bench/province) builds a province at a tenth of its
# size, measures the key pages on the built server and prints its table. It never changes the
# result of the tests: if it stops, its error is printed and the tests' exit status stands.
echo
echo "Province bench at scale 0.1 (figures reported, not asserted):"
npm run bench --silent -- --province --scale 0.1 || echo "The province bench stopped (exit status $?); the tests' result stands."
exit $status
