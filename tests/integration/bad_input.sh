#!/usr/bin/env bash
# One class of bad input per call: the run must fail with status 2 (1 for a full disk), print
# "file:line: key: message" naming the right file and key, and leave no output file behind.
# Usage: bad_input.sh CARESIM SCENARIO_DIR CASE
set -uo pipefail
caresim=$1 src=$2 case=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src"/* "$tmp"/
# the scenario's bundled tables are referenced relative to its folder: make them absolute
root=$(cd "$src/../../.." && pwd)
sed -i "s#\.\./\.\./\.\./models#$root/models#" "$tmp/scenario.yaml"
scen=$tmp/scenario.yaml
want_status=2
case "$case" in
  malformed_yaml) printf 'replicates: [1, 2\n' >> "$scen"; want="scenario.yaml:[0-9]+: syntax: .*malformed YAML" ;;
  unknown_key)    sed -i 's/^replicates: 6/replicats: 6/' "$scen"; want="scenario.yaml:6: replicats: unknown key" ;;
  wrong_type)     sed -i 's/^replicates: 6/replicates: many/' "$scen"; want="scenario.yaml:6: replicates: expected a non-negative integer" ;;
  negative_value) sed -i 's/^replicates: 6/replicates: -3/' "$scen"; want="scenario.yaml:6: replicates: expected a non-negative integer" ;;
  negative_rate)  cp "$root/models/data/lac_hazards.csv" "$tmp/lac.csv"
                  sed -i '4s/^\([^,]*\),\([^,]*\),[^,]*,/\1,\2,-0.5,/' "$tmp/lac.csv"
                  sed -i "s#lac_hazards: .*#lac_hazards: lac.csv#" "$scen"
                  want="lac.csv:4: home_per_year: must be >= 0, got -0.5" ;;
  wrong_shape)    cp "$root/models/data/lac_hazards.csv" "$tmp/lac.csv"
                  sed -i '9d' "$tmp/lac.csv"
                  sed -i "s#lac_hazards: .*#lac_hazards: lac.csv#" "$scen"
                  want="lac.csv:[0-9]+: (from_days|age_band): .*(same bands|bands)" ;;
  missing_file)   sed -i "s#home_hazards: .*#home_hazards: nowhere.csv#" "$scen"
                  want="scenario.yaml:[0-9]+: tables.home_hazards: cannot open 'nowhere.csv': No such file" ;;
  missing_key)    sed -i '/^seed:/d' "$scen"; want="scenario.yaml:[0-9]+: seed: required key is missing" ;;
  bad_extends)    sed -i '1i extends: nowhere.yaml' "$scen"; want="scenario.yaml:1: extends: cannot open 'nowhere.yaml'" ;;
  extends_cycle)  sed -i '1i extends: scenario.yaml' "$scen"; want="scenario.yaml:1: extends: more than 8 files deep" ;;
  bad_adjust)     printf 'adjust:\n  lac_hazards: {home: -2}\n' >> "$scen"; want="scenario.yaml:[0-9]+: adjust.lac_hazards.home: must be >= 0" ;;
  bad_draws)      printf 'draw,entry_under_1,exit_nope\n0,1,1\n' > "$tmp/d.csv"
                  sed -i "s#^tables:#tables:\n  parameter_draws: d.csv#" "$scen"
                  want="d.csv:1: exit_nope: unknown column" ;;
  bad_entry_ages) printf 'age_band,from_age_days,to_age_days,share\nunder_1,0,400,1\n' > "$tmp/e.csv"
                  sed -i "s#^tables:#tables:\n  entry_ages: e.csv#" "$scen"
                  want="e.csv:2: to_age_days: .*inside the age band" ;;
  full_disk)      want_status=1; want="out.h5.part: cannot (write|flush|create|close)" ;;
  *) echo "unknown case $case"; exit 2 ;;
esac
if [ "$case" = full_disk ]; then
  # A file-size limit makes writes fail with EFBIG, as a full disk fails with ENOSPC.
  (trap '' XFSZ; ulimit -f 40; exec "$caresim" run "$scen" -o "$tmp/out.h5" --quiet -r 50) 2> "$tmp/err"
else
  "$caresim" run "$scen" -o "$tmp/out.h5" --quiet 2> "$tmp/err"
fi
status=$?
msg=$(cat "$tmp/err")
echo "exit $status: $msg"
[ "$status" = "$want_status" ] || { echo "FAIL: expected exit status $want_status"; exit 1; }
grep -Eq "$want" "$tmp/err" || { echo "FAIL: message does not match /$want/"; exit 1; }
grep -Eq '^[^ :]+(:[0-9]+)?: [A-Za-z_.]+: ' "$tmp/err" || grep -Eq '\.part: cannot' "$tmp/err" || { echo "FAIL: not file:line: key: message"; exit 1; }
[ ! -e "$tmp/out.h5" ] && [ ! -e "$tmp/out.h5.part" ] || { echo "FAIL: output left behind"; ls -la "$tmp"; exit 1; }
echo "ok: $case"
