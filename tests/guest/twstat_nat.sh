# twstat's NAT view against the live module, for a scenario with a real
# NAT to call (source it after lib.sh):
#
#   . /tests/guest/twstat_nat.sh      (wherever the scenarios find it)
#   twstat_nat_check ROUTER
#
# ROUTER: the namespace where the NAT happens, as twstat --netns takes it
# (an ip netns name, a PID or a path).  One reading is saved (--save) and
# every output is compared with the tw_nat and tw_stats of that reading:
# --nat's rows, the summary's section, the JSON rows, the Prometheus
# headroom, range and flows series, and the [nat] advice for the pair
# with least headroom when it is below 10% of its range.  Checks are
# named $TEST_GROUP.twstat_nat.*; call it while the flows are in place
# (after the conntrack -L comparison, before they expire).
TWSTAT=${TWSTAT:-/bin/twstat}

twstat_nat_check() {
	local ns=$1 d=/tmp/twstat_nat rows rc
	local prom=$d.prom json=$d.json table=$d.table adv=$d.adv summary=$d.summary

	rm -rf "$d"
	$TWSTAT --netns "$ns" --nat --save "$d" > "$table" 2> "$table.err"
	expect_eq twstat_nat.nat_exit "$?:$(cat "$table.err")" "0:"
	if [ ! -f "$d/tw_nat" ]; then
		fail twstat_nat.saved "no tw_nat saved from $ns"
		return
	fi
	# the same reading for every other output: --from the saved copy
	$TWSTAT --from "$d" --json > "$json"
	$TWSTAT --from "$d" --prometheus > "$prom"
	$TWSTAT --from "$d" > "$summary"
	$TWSTAT --from "$d" --advise > "$adv"
	rc=$?
	expect_eq twstat_nat.advise_exit $rc 0
	if grep -q '^# inactive: ' "$d/tw_nat"; then
		expect_eq twstat_nat.inactive_line "$(cat "$table")" \
			"NAT view inactive: $(sed -n 's/^# inactive: //p' "$d/tw_nat")"
		return
	fi
	# --nat: each row as the file has it, ports as lo-hi; --top 10 rows
	rows=$(awk 'NR > 1 && $1 != "others" && n++ < 10 {
		r = $9 == "-" ? "-" : $9 "-" $10
		print $1, $2, $3, $4, $5, $6, $7, $8, r, $11 }' "$d/tw_nat")
	expect_eq twstat_nat.table_rows \
		"$(awk 'NR > 2 && $1 != "others" && NF == 11 { print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' "$table")" \
		"$rows"
	# JSON: one object per row, the cells as the file has them
	expect_eq twstat_nat.json_rows "$(awk 'NR > 1 {
		printf "    {\"proto\": \"%s\", \"source\": %s, \"destination\": %s", $1,
			$2 == "-" ? "null" : "\"" $2 "\"", $3 == "-" ? "null" : "\"" $3 "\""
		split("flows time_wait close_wait established other port_min port_max headroom", c, " ")
		for (i = 4; i <= 11; i++) printf ", \"%s\": %s", c[i - 3], $i == "-" ? "null" : $i
		print "}" }' "$d/tw_nat" | while read -r l; do
			grep -qxF "    $l" "$json" || grep -qxF "    $l," "$json" || echo "missing: $l"
		done)" ""
	# Prometheus: every listed row's headroom and range, exactly
	expect_eq twstat_nat.prometheus_headroom "$(awk 'NR > 1 && $1 != "others" && $11 != "-" && n++ < 10 {
		print $1, $2, $3, $11, $10 - $9 + 1 }' "$d/tw_nat" | while read -r p s t h r; do
			l="proto=\"$p\",source=\"$s\",destination=\"$t\""
			grep -q "^tw_stats_nat_destination_headroom_ports{netns=\"[0-9]*\",$l} $h\$" "$prom" &&
				grep -q "^tw_stats_nat_destination_range_ports{netns=\"[0-9]*\",$l} $r\$" "$prom" ||
				echo "no series for $t"
		done)" ""
	expect_true twstat_nat.prometheus_active "no tw_stats_nat_active 1" \
		grep -q '^tw_stats_nat_active{netns="[0-9]*"} 1$' "$prom"
	# the summary's section, when there are flows
	if [ "$(awk '$1 == "nat_flows" { print $2 }' "$d/tw_stats")" != 0 ]; then
		expect_true twstat_nat.summary_section "no Source NAT section" \
			grep -q '^Source NAT, least headroom first' "$summary"
	fi
	# advice: the least headroom, when below 10% of its range, is named
	# shellcheck disable=SC2046 # the words of one line: low/ok, then the pair
	set -- $(awk 'NR > 1 && $1 != "others" && $11 != "-" {
			r = $10 - $9 + 1
			if (!n++ || $11 < h) { h = $11; hr = r; l = $1 " " $2 " -> " $3 ": " $11 " of " r }
		}
		END { if (n) print (h * 10 < hr ? "low" : "ok"), l }' "$d/tw_nat")
	if [ "${1:-}" = low ]; then
		shift
		expect_true twstat_nat.advise_names_worst "no '[nat] $*' line" \
			grep -qF "[nat] $* NAT source ports left" "$adv"
	fi
}
