#!/usr/bin/env bash
# Scenario keys through `extends`: maps merge key by key at every depth (a variant of a variant
# that gives its own adjust: keeps its parent's adjust entries), numbers in the resolved scenario
# read back exactly, and the resolved scenario is itself a scenario that resolves to itself, for
# this one and for every scenario under ROOT/scenarios and ROOT/tests/data (programmes, sweeps,
# tables named in several places of the key table).
# Usage: scenario_keys.sh CARESIM SCENARIO_DIR ROOT (SCENARIO_DIR: tests/data/small with
# scenario.yaml, variant.yaml; ROOT: the source tree)
set -euo pipefail
caresim=$1 src=$2 root=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/grandchild.yaml" <<YAML
extends: $src/variant.yaml
name: grandchild
adjust:
  entry_rates: 0.30000000000000004
  home_hazards: {reentry: 0.5}
YAML
"$caresim" validate "$tmp/grandchild.yaml" > "$tmp/resolved.yaml"
cat "$tmp/resolved.yaml"
fail() { echo "FAIL: $*"; exit 1; }
# the parent's adjust.lac_hazards.home (1.5, in variant.yaml) survives the child's adjust:
sed -n '/^adjust:/,$p' "$tmp/resolved.yaml" | sed -n '/^  lac_hazards:/,/^  [a-z]/p' | grep -qx '    home: 1.5' ||
  fail "parent's adjust.lac_hazards.home was dropped"
grep -qx '  entry_rates: 0.30000000000000004' "$tmp/resolved.yaml" || fail "adjust.entry_rates not exact"
sed -n '/^  home_hazards:/,$p' "$tmp/resolved.yaml" | grep -qx '    reentry: 0.5' || fail "adjust.home_hazards.reentry"
grep -qx 'name: "grandchild"' "$tmp/resolved.yaml" || fail "name"
grep -qx 'seed: 7' "$tmp/resolved.yaml" || fail "seed from the grandparent"
# the resolved scenario is a scenario, and resolving it again changes nothing
"$caresim" validate "$tmp/resolved.yaml" > "$tmp/again.yaml"
diff "$tmp/resolved.yaml" "$tmp/again.yaml" || fail "resolving the resolved scenario changed it"
n=0
for f in "$root"/scenarios/*.yaml "$root"/tests/data/*/*.yaml; do
  "$caresim" validate "$f" > "$tmp/r.yaml" || fail "validate $f"
  "$caresim" validate "$tmp/r.yaml" > "$tmp/r2.yaml" || fail "the resolved $f does not read back"
  diff "$tmp/r.yaml" "$tmp/r2.yaml" || fail "resolving the resolved $f changed it"
  n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "only $n scenarios found under $root"
echo "ok: $n scenarios resolve to themselves"
echo "ok: scenario keys"
