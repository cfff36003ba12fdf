#!/usr/bin/env bash
# What a newcomer types: help texts, validate, refusing to overwrite results, usage errors.
# Usage: cli.sh CARESIM SCENARIO
set -uo pipefail
caresim=$1 scen=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$caresim" --help | grep -q "usage: caresim <command>" || fail "caresim --help"
"$caresim" run --help | grep -q -- "--threads" || fail "caresim run --help"
"$caresim" validate --help | grep -q "resolved" || fail "caresim validate --help"
"$caresim" --version | grep -Eq '^caresim [0-9]+\.[0-9]+' || fail "--version"
"$caresim" validate "$scen" | grep -q '^replicates: 6$' || fail "validate prints the resolved scenario"
"$caresim" 2>/dev/null; [ $? = 2 ] || fail "no command: exit 2"
"$caresim" frobnicate 2>/dev/null; [ $? = 2 ] || fail "unknown command: exit 2"
"$caresim" run "$scen" --threads zero 2>/dev/null; [ $? = 2 ] || fail "bad --threads: exit 2"
"$caresim" run "$scen" --bogus 2>/dev/null; [ $? = 2 ] || fail "unknown option: exit 2"
"$caresim" run "$scen" -o "$tmp/a.h5" -q -r 2 || fail "run"
[ -s "$tmp/a.h5" ] && [ ! -e "$tmp/a.h5.part" ] || fail "output renamed from .part"
before=$(md5sum < "$tmp/a.h5")
"$caresim" run "$scen" -o "$tmp/a.h5" -q -r 2 2> "$tmp/err"; [ $? = 2 ] || fail "existing output: exit 2"
grep -q -- "--force" "$tmp/err" || fail "existing output: message mentions --force"
[ "$(md5sum < "$tmp/a.h5")" = "$before" ] || fail "existing output was changed"
"$caresim" run "$scen" -o "$tmp/a.h5" -q -r 2 --force || fail "--force"
# long options take --name=value too; the seed takes a scenario's whole range
"$caresim" run "$scen" --output="$tmp/eq.h5" --replicates=2 --horizon=1y --seed=18446744073709551615 -q ||
  fail "--name=value options"
[ -s "$tmp/eq.h5" ] || fail "--name=value: no output"
"$caresim" run "$scen" -o "$tmp/q.h5" --force=yes 2> "$tmp/err"; [ $? = 2 ] || fail "--force=yes: exit 2"
grep -q "unknown option '--force=yes'" "$tmp/err" || fail "--force=yes: message"
# bad option values: one line naming the option and the value, exit 2, nothing written
for bad in "--horizon 5" "--horizon 0y" "-r 0" "-r 2.5" "--threads -1" "--seed -1" "--engine fast" "--max-memory 5Q"; do
  # shellcheck disable=SC2086
  "$caresim" run "$scen" -o "$tmp/bad.h5" $bad 2> "$tmp/err"; st=$?
  [ $st = 2 ] || fail "$bad: exit $st, expected 2"
  [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "^caresim run: ${bad%% *}: .*'${bad#* }'" "$tmp/err" || fail "$bad: message: $(cat "$tmp/err")"
  [ ! -e "$tmp/bad.h5" ] && [ ! -e "$tmp/bad.h5.part" ] || fail "$bad: output left behind"
done
"$caresim" run "$scen" -o "$tmp/b.h5" -r 2 --progress json 2> "$tmp/prog" > "$tmp/out" || fail "json progress run"
grep -q '"tasks_done":2' "$tmp/prog" || fail "json progress lines"
grep -q "children in care" "$tmp/out" || fail "summary on stdout"
# SIGINT: finished replicates stay readable in OUTPUT.part, exit 130, no final file
"$caresim" run "$scen" -o "$tmp/i.h5" -q -r 100000 2> "$tmp/int" &
pid=$!
for _ in $(seq 100); do [ -e "$tmp/i.h5.part" ] && break; sleep 0.05; done
sleep 0.3
kill -INT $pid
wait $pid; st=$?
[ $st = 130 ] || fail "SIGINT: exit $st, expected 130"
[ ! -e "$tmp/i.h5" ] && [ -s "$tmp/i.h5.part" ] || fail "SIGINT: .part kept, no final file"
grep -q "interrupted; [0-9]* of 100000 tasks (scenario x replicate) are complete" "$tmp/int" || fail "SIGINT message"
# missing folders of the output are created
"$caresim" run "$scen" -o "$tmp/new/dir/c.h5" -q -r 1 || fail "output in a new folder"
[ -s "$tmp/new/dir/c.h5" ] || fail "output in a new folder: no file"
echo "cli: ok"
