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
extra=""
# Adds KEY: FILE pairs, in the order given, at the top of the scenario's tables section.
add_tables() {
  local lines=""
  while [ $# -ge 2 ]; do lines="$lines\n  $1: $2"; shift 2; done
  sed -i "s#^tables:#tables:$lines#" "$scen"
}
# The pathway's tables, which come together (tests/data/pathway).
add_pathway_tables() {
  local pw=$root/tests/data/pathway
  add_tables referral_rates "$pw/referral_rates.csv" cin_hazards "$pw/cin_hazards.csv" \
             cpp_hazards "$pw/cpp_hazards.csv" closed_recent_hazards "$pw/closed_recent_hazards.csv"
}
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
  nul_byte)       printf 'E06000099,X,North East,1\0,1,1,1,1,1,1,good,1,1,1,,\n' >> "$tmp/areas.csv"
                  want="areas.csv:5: areas: NUL byte" ;;
  dev_zero)       sed -i "s#^areas: .*#areas: /dev/zero#" "$scen"; want="/dev/zero:1: areas: not a regular file" ;;
  fifo)           mkfifo "$tmp/pipe.csv"; sed -i "s#^areas: .*#areas: pipe.csv#" "$scen"
                  want="pipe.csv:1: areas: not a regular file" ;;
  folder)         mkdir "$tmp/dir.csv"; sed -i "s#^areas: .*#areas: dir.csv#" "$scen"
                  want="dir.csv:1: areas: not a regular file" ;;
  huge_adjust)    printf 'adjust:\n  entry_rates: 1e6\n' >> "$scen"
                  want="scenario.yaml:[0-9]+: adjust.entry_rates: 1e\+06 is above the plausible maximum" ;;
  huge_population) sed -i '2s/^\([^,]*,[^,]*,[^,]*\),[^,]*,/\1,1e308,/' "$tmp/areas.csv"
                  want="areas.csv:2: pop_under_1: 1e\+308 is above the plausible maximum" ;;
  huge_rate)      cp "$root/models/data/entry_rates.csv" "$tmp/er.csv"; sed -i '3s/^\([^,]*\),[^,]*,/\1,1e308,/' "$tmp/er.csv"
                  sed -i "s#entry_rates: .*#entry_rates: er.csv#" "$scen"
                  want="er.csv:3: rate_per_10000_per_year: 1e\+308 is above the plausible maximum" ;;
  huge_trend)     printf 'from_date,multiplier\n2000-01-01,1e308\n' > "$tmp/tr.csv"
                  sed -i "s#entry_trend: .*#entry_trend: tr.csv#" "$scen"
                  want="tr.csv:2: multiplier: 1e\+308 is above the plausible maximum" ;;
  huge_burn_in)   sed -i 's/^burn_in: .*/burn_in: 100000y/' "$scen"; want="scenario.yaml:8: burn_in: 100000y is longer than the plausible maximum" ;;
  year_negative)  sed -i 's/^start_date: .*/start_date: -999-01-01/' "$scen"; want="scenario.yaml:3: start_date: expected a date" ;;
  year_past_9999) sed -i 's/^start_date: .*/start_date: 9990-01-01/; s/^horizon: .*/horizon: 20y/' "$scen"
                  want="scenario.yaml:3: start_date: .*within the years 0001-9999" ;;
  seed_signed)    sed -i 's/^seed: .*/seed: " -7"/' "$scen"; want="scenario.yaml:7: seed: expected a non-negative integer" ;;
  seed_plus)      sed -i 's/^seed: .*/seed: +3/' "$scen"; want="scenario.yaml:7: seed: expected a non-negative integer" ;;
  hex_multiplier) printf 'adjust:\n  entry_rates: 0x10\n' >> "$scen"; want="scenario.yaml:[0-9]+: adjust.entry_rates: expected a number, got '0x10'" ;;
  dup_hazard_col) cp "$root/models/data/home_hazards.csv" "$tmp/hh.csv"; sed -i '1s/^age_band,from_days,/age_band,from_days,from_days,/; 2,$s/^\([^,]*\),\([^,]*\),/\1,\2,\2,/' "$tmp/hh.csv"
                  sed -i "s#home_hazards: .*#home_hazards: hh.csv#" "$scen"; want="hh.csv:1: from_days: column appears twice" ;;
  second_doc)     printf -- '---\nseed: 3\n' >> "$scen"; want="scenario.yaml:[0-9]+: syntax: a second YAML document" ;;
  extends_line)   mv "$scen" "$tmp/base.yaml"; printf 'replicats: 4\n' >> "$tmp/base.yaml"
                  printf '# a variant\nextends: base.yaml\nseed: 9\n' > "$scen"
                  want="base.yaml:[0-9]+: replicats: unknown key .*extended at .*scenario.yaml:2" ;;
  deep_nesting)   { printf 'replicates: '; head -c 100000 /dev/zero | tr '\0' '['; echo; } >> "$scen"
                  want="scenario.yaml:[0-9]+: syntax: .*nested more than 64 deep" ;;
  too_big)        sed -i 's/^observe: .*/observe: 1d/; s/^horizon: .*/horizon: 100y/' "$scen"; extra="--max-memory 64M"
                  want="scenario.yaml:5: observe: the run would need up to about .* more than the limit of 64.0 MiB" ;;
  too_many_kids)  printf 'adjust:\n  entry_rates: 100\n' >> "$scen"; extra="--max-memory 16M -t 1"
                  want="scenario.yaml:10: areas: the run would need up to about .* children tracked at once" ;;
  full_disk)      want_status=1; want="out.h5.part: cannot (write|flush|create|close|reserve)" ;;
  bad_draws)      printf 'draw,entry_under_1,exit_nope\n0,1,1\n' > "$tmp/d.csv"
                  add_tables parameter_draws d.csv
                  want="d.csv:1: exit_nope: unknown column" ;;
  bad_entry_ages) printf 'age_band,from_age_days,to_age_days,share\nunder_1,0,400,1\n' > "$tmp/e.csv"
                  add_tables entry_ages e.csv
                  want="e.csv:2: to_age_days: .*inside the age band" ;;
  tic_pair)       printf 'from_days,age_band,from_age_days,to_age_days,share,from_tic_days\n0,under_1,0,30,1,0\n' > "$tmp/bt.csv"
                  add_tables initial_stock_ages_by_time bt.csv
                  want="bt.csv:1: to_tic_days: required with from_tic_days" ;;
  tic_band)       printf 'from_days,age_band,from_age_days,to_age_days,share,from_tic_days,to_tic_days\n0,under_1,0,30,1,,\n91,under_1,100,130,1,80,120\n' > "$tmp/bt.csv"
                  add_tables initial_stock_ages_by_time bt.csv
                  want="bt.csv:3: to_tic_days: .*inside the time-in-care band" ;;
  tic_age)        printf 'from_days,age_band,from_age_days,to_age_days,share,from_tic_days,to_tic_days\n91,under_1,60,91,1,91,120\n' > "$tmp/bt.csv"
                  add_tables initial_stock_ages_by_time bt.csv
                  want="bt.csv:2: from_tic_days: longer in care than the interval's oldest age" ;;
  bad_rate_trend) printf 'from_date,entry_1_4\n2018-03-31,1\n2018-03-31,2\n' > "$tmp/rt.csv"
                  add_tables rate_trend rt.csv
                  want="rt.csv:3: from_date: dates must increase" ;;
  rule_blocks)    printf 'rule,from_date,entry_1_4\n0,2018-03-31,1\n0,2019-03-31,1\n1,2018-03-31,2\n' > "$tmp/rt.csv"
                  add_tables rate_trend rt.csv
                  want="rt.csv:2: rule: every rule needs as many rows as rule 0 \\(2\\)" ;;
  rule_dates)     printf 'rule,from_date,entry_1_4\n0,2018-03-31,1\n1,2019-03-31,2\n' > "$tmp/rt.csv"
                  add_tables rate_trend rt.csv
                  want="rt.csv:3: from_date: every rule must have the dates of rule 0" ;;
  draw_rule)      printf 'rule,from_date,entry_1_4\n0,2018-03-31,1\n1,2018-03-31,2\n' > "$tmp/rt.csv"
                  printf 'draw,rule,entry_1_4\n0,0,1\n1,2,1\n' > "$tmp/d.csv"
                  add_tables rate_trend rt.csv parameter_draws d.csv
                  want="d.csv:3: rule: 2 is not a rule of tables.rate_trend \\(0-1\\)" ;;
  capacity_area)  printf 'area,placement,places\nE09000099,foster,3\n' > "$tmp/cap.csv"
                  add_tables placement_capacity cap.csv
                  want="cap.csv:2: area: 'E09000099' is not an area of the areas table" ;;
  capacity_fallback) printf 'area,placement,places\nall,foster,3\nall,residential,1\n' > "$tmp/cap.csv"
                  add_tables placement_capacity cap.csv
                  want="cap.csv:3: placement: 'residential' is the fallback" ;;
  capacity_places) printf 'area,placement,from_date,places\nall,foster,2018-01-01,2.5\n' > "$tmp/cap.csv"
                  add_tables placement_capacity cap.csv
                  want="cap.csv:2: places: expected a whole number >= 0, got '2.5'" ;;
  bad_fallback)   printf 'placement_fallback: out_of_area\n' >> "$scen"
                  want="scenario.yaml:[0-9]+: placement_fallback: unknown placement 'out_of_area'" ;;
  edit_share_above_1) printf 'adjust:\n  placement_shares:\n    residential: {add: 0.95}\n' >> "$scen"
                  want="scenario.yaml:[0-9]+: adjust.placement_shares.residential: the edit makes the share 1\.[0-9]+ for age band [a-z0-9_]+ \(a share lies between 0 and 1\)" ;;
  edit_nfa_above_1) printf 'adjust:\n  nfa_share: [{times: 1}, {add: 1.5, from: 2019-01-01}]\n' >> "$scen"
                  want="scenario.yaml:[0-9]+: adjust.nfa_share: the edit makes the share 1.5 for age band under_1" ;;
  edit_negative_rate) printf 'adjust:\n  lac_hazards:\n    home: {times: 0.5, add_per_year: -5, from: 2018-01-01}\n' >> "$scen"
                  want="scenario.yaml:[0-9]+: adjust.lac_hazards.home: the edit makes the rate negative for age band under_1, from_days 0: -" ;;
  edit_wrong_unit) printf 'adjust:\n  lac_hazards:\n    home: {add: 0.1}\n' >> "$scen"
                  want="scenario.yaml:[0-9]+: adjust.lac_hazards.home.add: not for this key \(here: add_per_year or add_per_day\)" ;;
  edit_dates)     printf 'adjust:\n  entry_rates: [{times: 2, from: 2019-01-01}, {times: 3, from: 2018-01-01}]\n' >> "$scen"
                  want="scenario.yaml:[0-9]+: adjust.entry_rates.1.from: dates must increase" ;;
  uasc_rule_*)    cp "$root/tests/data/engines/uasc_rules.csv" "$tmp/u.csv"   # blocks of rules 0 and 1
                  add_tables uasc u.csv
                  case "$case" in
                    uasc_rule_blocks) sed -i '5d' "$tmp/u.csv"
                                   want="u.csv:2: rule: every rule needs as many rows as rule 0 \\(2\\)" ;;
                    uasc_rule_dates) sed -i '5s/^1,2018-03-31,/1,2018-06-30,/' "$tmp/u.csv"
                                   want="u.csv:5: from_date: every rule must have the dates of rule 0" ;;
                    uasc_rule_count) printf 'rule,from_date,entry_1_4\n0,2018-03-31,1\n1,2018-03-31,2\n2,2018-03-31,3\n' > "$tmp/rt.csv"
                                   add_tables rate_trend rt.csv
                                   want="u.csv:2: rule: 2 rules, but tables.rate_trend has 3 \\(every rule in both\\)" ;;
                    uasc_rule_draw) printf 'draw,rule,entry_1_4\n0,0,1\n1,2,1\n' > "$tmp/d.csv"
                                   add_tables parameter_draws d.csv
                                   want="d.csv:3: rule: 2 is not a rule of tables.uasc \\(0-1\\)" ;;
                  esac ;;
  ptrend_*)       printf 'rule,from_date,referral,cpp_lac\n0,2017-03-31,1,1\n0,2018-03-31,2,0.5\n1,2017-03-31,1,1\n1,2018-03-31,0.5,2\n' > "$tmp/pt.csv"
                  [ "$case" = ptrend_no_pathway ] || add_pathway_tables
                  add_tables pathway_trend pt.csv
                  case "$case" in
                    ptrend_no_pathway) want="pt.csv:1: tables.pathway_trend: needs the pathway before care" ;;
                    ptrend_column) sed -i '1s/cpp_lac/home/' "$tmp/pt.csv"
                                   want="pt.csv:1: home: unknown column \\(expected from_date, rule, referral, nfa_odds" ;;
                    ptrend_negative) sed -i '3s/,2,0.5$/,-2,0.5/' "$tmp/pt.csv"
                                   want="pt.csv:3: referral: must be >= 0, got -2" ;;
                    ptrend_dates)  sed -i '3s/2018-03-31/2017-01-31/' "$tmp/pt.csv"
                                   want="pt.csv:3: from_date: dates must increase" ;;
                    ptrend_rule_dates) sed -i '5s/2018-03-31/2018-06-30/' "$tmp/pt.csv"
                                   want="pt.csv:5: from_date: every rule must have the dates of rule 0" ;;
                    ptrend_rule_count) printf 'rule,from_date,entry_1_4\n0,2018-03-31,1\n1,2018-03-31,2\n2,2018-03-31,3\n' > "$tmp/rt.csv"
                                   add_tables rate_trend rt.csv
                                   want="pt.csv:2: rule: 2 rules, but tables.rate_trend has 3 \\(every rule in both\\)" ;;
                    ptrend_rule_draw) printf 'draw,rule\n0,0\n1,2\n' > "$tmp/d.csv"
                                   add_tables parameter_draws d.csv
                                   want="d.csv:3: rule: 2 is not a rule of tables.pathway_trend \\(0-1\\)" ;;
                  esac ;;
  pdraws_*)       printf 'draw,referral,cin_cpp\n0,1,1\n1,2,0.5\n' > "$tmp/p.csv"
                  printf 'draw,entry_1_4\n0,1\n1,1\n' > "$tmp/d.csv"
                  [ "$case" = pdraws_no_pathway ] || add_pathway_tables
                  add_tables pathway_draws p.csv
                  [ "$case" = pdraws_no_draws ] || add_tables parameter_draws d.csv
                  case "$case" in
                    pdraws_no_pathway) want="p.csv:1: tables.pathway_draws: needs the pathway before care" ;;
                    pdraws_no_draws) want="p.csv:1: tables.pathway_draws: needs tables.parameter_draws" ;;
                    pdraws_column) sed -i '1s/cin_cpp/home/' "$tmp/p.csv"
                                   want="p.csv:1: home: unknown column \\(expected draw, referral, nfa_odds" ;;
                    pdraws_negative) sed -i '3s/^1,2,/1,-2,/' "$tmp/p.csv"
                                   want="p.csv:3: referral: must be >= 0, got -2" ;;
                    pdraws_order)  sed -i '3s/^1,/2,/' "$tmp/p.csv"
                                   want="p.csv:3: draw: expected 1 \\(the draws numbered 0, 1, ... in order\\)" ;;
                    pdraws_count)  printf '2,1\n' >> "$tmp/d.csv"
                                   want="p.csv:3: tables.pathway_draws: 2 draws, but tables.parameter_draws has 3" ;;
                  esac ;;
  uasc_draws)     cp "$root/tests/data/engines/uasc_steps.csv" "$tmp/u.csv"
                  printf 'draw,entry_1_4,uasc_entries\n0,1,1\n1,1,-0.5\n' > "$tmp/d.csv"
                  add_tables uasc u.csv parameter_draws d.csv
                  want="d.csv:3: uasc_entries: must be >= 0, got -0.5" ;;
  uasc_*)         cp "$root/tests/data/engines/uasc_steps.csv" "$tmp/u.csv"
                  add_tables uasc u.csv
                  case "$case" in
                    uasc_negative) sed -i '3s/^\([^,]*\),6000,/\1,-6000,/' "$tmp/u.csv"
                                   want="u.csv:3: entries_per_year: must be >= 0, got -6000" ;;
                    uasc_ages)     sed -i '4s/^\([^,]*,[^,]*\),0.25,/\1,0.5,/' "$tmp/u.csv"
                                   want="u.csv:4: age_17: ages' shares must sum to 1, got 1.25" ;;
                    uasc_shares)   sed -i '2s/,0.2,0,0.5,0,0.3,/,0.2,0,0.5,0,0.2,/' "$tmp/u.csv"
                                   want="u.csv:2: independent: placement shares must sum to 1, got 0.9" ;;
                    uasc_column)   sed -i '1s/other_per_year/other_per_yr/' "$tmp/u.csv"
                                   want="u.csv:1: other_per_yr: unknown column" ;;
                    uasc_dates)    sed -i '4s/^2019-01-01/2018-01-01/' "$tmp/u.csv"
                                   want="u.csv:4: from_date: dates must increase" ;;
                    uasc_stock)    sed -i '/^  uasc: u.csv/d; s#^initial_stock: .*#initial_stock: st.csv#' "$scen"
                                   printf 'area,state,age_band,from_days,count,uasc\nE09000007,lac,16_17,0,3,1\n' > "$tmp/st.csv"
                                   want="st.csv:2: uasc: children marked uasc need tables.uasc" ;;
                    uasc_stock_age) sed -i 's#^initial_stock: .*#initial_stock: st.csv#' "$scen"
                                   printf 'area,state,age_band,from_days,count,uasc\nE09000007,lac,10_15,1826,3,1\n' > "$tmp/st.csv"
                                   want="st.csv:2: uasc: a child aged 10_15 cannot have entered at 14 or older 1826 days ago" ;;
                  esac ;;
  *) echo "unknown case $case"; exit 2 ;;
esac
if [ "$case" = full_disk ]; then
  # A file-size limit makes writes fail with EFBIG, as a full disk fails with ENOSPC.
  (trap '' XFSZ; ulimit -f 40; exec "$caresim" run "$scen" -o "$tmp/out.h5" --quiet -r 50) 2> "$tmp/err"
else
  "$caresim" run "$scen" -o "$tmp/out.h5" --quiet $extra 2> "$tmp/err"
fi
status=$?
msg=$(cat "$tmp/err")
echo "exit $status: $msg"
[ "$status" = "$want_status" ] || { echo "FAIL: expected exit status $want_status"; exit 1; }
grep -Eq "$want" "$tmp/err" || { echo "FAIL: message does not match /$want/"; exit 1; }
grep -Eq '^[^ :]+(:[0-9]+)?: [A-Za-z0-9_.]+: ' "$tmp/err" || grep -Eq '\.part: cannot' "$tmp/err" || { echo "FAIL: not file:line: key: message"; exit 1; }
[ ! -e "$tmp/out.h5" ] && [ ! -e "$tmp/out.h5.part" ] || { echo "FAIL: output left behind"; ls -la "$tmp"; exit 1; }
echo "ok: $case"
