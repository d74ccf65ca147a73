#!/usr/bin/env bash
# Renders the review page (`fzlint check --format html`) of a small batch in
# headless Chromium, checks that the matrix of mandated parts and a highlighted
# finding are in the DOM, and saves a screenshot to target/test-artifacts/.
# Usage: tests/browser/review_page.sh [path/to/fzlint]   (default target/release/fzlint)
# Skips (exit 0, with a message) when chromium is not installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/release/fzlint}
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
  echo "review_page: SKIPPED: chromium not installed (apt-get install -y chromium)" >&2
  exit 0
fi
ART=target/test-artifacts
mkdir -p "$ART"
work=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$work" "$profile"' EXIT

# A batch: the cross-year pair (compared with last year's report) and a broken report.
cp tests/fixtures/baseline/eco_2024.txt tests/fixtures/broken_report.txt tests/fixtures/clean_2025_report.txt "$work/"
status=0
"$BIN" check --format html --baseline tests/fixtures/baseline/eco_2023.txt "$work" > "$ART/review.html" || status=$?
if [ "$status" -gt 1 ]; then
  echo "review_page: FAIL: fzlint exited $status" >&2
  exit 1
fi

flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile")
url="file://$(pwd)/$ART/review.html"
timeout 60 "$CHROME" "${flags[@]}" --dump-dom "$url" > "$ART/review.dom.html" 2>"$ART/chromium.log"
timeout 60 "$CHROME" "${flags[@]}" --window-size=1280,2000 --screenshot="$(pwd)/$ART/review.png" "$url" \
  >>"$ART/chromium.log" 2>&1

fail=0
expect() {
  if grep -q -- "$2" "$ART/review.dom.html"; then
    echo "ok    $1"
  else
    echo "FAIL  $1 (no match for: $2)"
    fail=1
  fi
}
dom="$ART/review.dom.html"
expect "the matrix is rendered" '<table id="matrix">'
expect "three reports in the matrix" 'href="#report-2"'
expect "a part found as a heading" 'class="found" data-part="shortcomings"'
expect "a part missing" 'class="missing"'
expect "an error highlighted in the text" '<mark class="hl error" id="m-'
expect "copied-text highlighted (baseline)" 'data-rule="copied-text"'
expect "the rule chart" 'class="bar '
expect "the page script ran (no error dump)" '</main>'
if grep -qi 'http://\|https://' "$ART/review.html"; then
  echo "FAIL  the page references the network"
  fail=1
else
  echo "ok    no network references"
fi
if [ -s "$ART/review.png" ]; then
  echo "ok    screenshot $ART/review.png ($(stat -c %s "$ART/review.png") bytes)"
else
  echo "FAIL  no screenshot"
  fail=1
fi
exit $fail
