#!/usr/bin/env bash
# --engine: auto picks the case-based engine for a scenario without a finite capacity (every
# scenario today); case and event force one; the choice is printed in the summary and written to
# the output's engine attribute, one name per scenario; a bad name is a usage error (exit 2).
# A scenario with a programme of limited places (children wait for each other) gets the event list,
# and so does one with placement capacity (children take each other's places); --engine case
# refuses both (exit 2, no output). The England baseline (the pathway before care, the calibrated
# structure, parameter draws and the projection rule tables.rate_trend) gets the case engine.
# A programme without a finite capacity (no child waits for another) gets the case engine under auto;
# run beside a scenario whose capacity can bind, both get the event list (one engine per run, so
# that paired scenarios agree bit for bit).
# Usage: engine_choice.sh CARESIM SCENARIO VARIANT CAPACITY_SCENARIO PLACEMENT_CAPACITY_SCENARIO PATHWAY_SCENARIO
#        PROGRAMME_SCENARIO
set -uo pipefail
caresim=$1 scen=$2 variant=$3 capacity=$4 places=$5 pathway=$6 programme=$7
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
attr() { h5dump -a /engine "$1" | sed -n 's/.*(0): "\(.*\)"/\1/p'; }
"$caresim" run "$scen" -o "$tmp/auto.h5" -r 1 --progress none > "$tmp/out" || fail "run (auto)"
grep -q "^engine: case$" "$tmp/out" || fail "summary names the engine auto chose"
[ "$(attr "$tmp/auto.h5")" = "case" ] || fail "engine attribute (auto): '$(attr "$tmp/auto.h5")'"
"$caresim" run "$scen" "$variant" -o "$tmp/event.h5" -r 1 -q --engine event || fail "run (event)"
[ "$(attr "$tmp/event.h5")" = "event event" ] || fail "engine attribute (event, two scenarios): '$(attr "$tmp/event.h5")'"
"$caresim" run "$scen" -o "$tmp/x.h5" -r 1 -q --engine fast 2> "$tmp/err"; [ $? = 2 ] || fail "bad --engine: exit 2"
grep -q "expected auto, case or event" "$tmp/err" || fail "bad --engine: message"
[ ! -e "$tmp/x.h5" ] && [ ! -e "$tmp/x.h5.part" ] || fail "bad --engine: no output left behind"
"$caresim" run "$capacity" -o "$tmp/cap.h5" -r 1 --horizon 90d -q || fail "run (capacity)"
[ "$(attr "$tmp/cap.h5")" = "event" ] || fail "engine attribute (finite capacity): '$(attr "$tmp/cap.h5")'"
"$caresim" run "$places" -o "$tmp/pl.h5" -r 1 --horizon 90d -q || fail "run (placement capacity)"
[ "$(attr "$tmp/pl.h5")" = "event" ] || fail "engine attribute (placement capacity): '$(attr "$tmp/pl.h5")'"
for s in "$capacity" "$places"; do
  "$caresim" run "$s" -o "$tmp/c.h5" -r 1 --horizon 90d -q --engine case 2> "$tmp/err"; [ $? = 2 ] || fail "--engine case with a capacity: exit 2"
  grep -q -- "--engine case cannot run a scenario whose capacity can bind" "$tmp/err" || fail "--engine case with a capacity: message"
  [ ! -e "$tmp/c.h5" ] && [ ! -e "$tmp/c.h5.part" ] || fail "--engine case with a capacity: no output left behind"
done
"$caresim" run "$pathway" -o "$tmp/path.h5" -r 1 --horizon 30d -q || fail "run (pathway)"
[ "$(attr "$tmp/path.h5")" = "case" ] || fail "engine attribute (pathway, auto): '$(attr "$tmp/path.h5")'"
"$caresim" run "$programme" -o "$tmp/prog.h5" -r 1 --horizon 30d -q || fail "run (programme, auto)"
[ "$(attr "$tmp/prog.h5")" = "case" ] || fail "engine attribute (programme without capacity, auto): '$(attr "$tmp/prog.h5")'"
"$caresim" run "$programme" "$capacity" -o "$tmp/mixed.h5" -r 1 --horizon 30d -q || fail "run (programme and capacity, auto)"
[ "$(attr "$tmp/mixed.h5")" = "event event" ] || fail "engine attribute (one scenario with a capacity, auto): '$(attr "$tmp/mixed.h5")'"
"$caresim" run --help | grep -q -- "--engine NAME" || fail "run --help describes --engine"
echo "engine choice: ok"
