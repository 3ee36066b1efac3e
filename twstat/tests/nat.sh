# Sourced by run.sh: the NAT view (tw_nat, the nat_/conntrack_ lines of
# tw_stats, the conntrack TIME_WAIT sysctl) in every mode.  The fixture,
# snapshots/nat, is wellformed plus, written from the contract
# (include/tw_stats_format.h), least headroom first:
#   A tcp 192.0.2.1   198.51.100.7:443   flows 990 = 940 tw + 5 cw + 40 est + 5 other,
#                     ports 1024-2047 (1024), headroom 1024 - 990 = 34 (3.3%)
#   B tcp 192.0.2.1   198.51.100.8:80    flows 30000, 1024-65535 (64512), headroom 34512
#   C tcp 192.0.2.2   203.0.113.9:5432   flows 4, 1024-65535, headroom 64508
#   D tcp 2001:db8::1 [2001:db8::5]:443  flows 20, range unknown: "- - -"
#   others - - 12 flows (8 tw, 4 est)
# nat_flows 31026 (the sum), nat_time_wait 29959, conntrack TIME_WAIT 120 s.
# shellcheck disable=SC2154,SC2016 # run.sh sets snaps, out, here; sed's $ is sed's
NT=$snaps/nat

# ---- --nat: the rows as the file has them, readable ----
expect_ok nat.table --nat --from "$NT"
cat > "$out/nat.table.want" <<'EOF'
tcp 192.0.2.1 198.51.100.7:443 990 940 5 40 5 1024-2047 34 3.3%
tcp 192.0.2.1 198.51.100.8:80 30000 29000 0 900 100 1024-65535 34512 53.5%
tcp 192.0.2.2 203.0.113.9:5432 4 1 0 3 0 1024-65535 64508 100.0%
tcp 2001:db8::1 [2001:db8::5]:443 20 10 0 10 0 - - -
others - - 12 8 0 4 0 - - -
31026 NATed flows, 29959 in conntrack TIME_WAIT, 5 beyond the module's table (in others); conntrack insert_failed 17, drop 17, early_drop 0
EOF
check nat.table_rows sh -c "tail -n +3 '$out/nat.table.out' | sed 's/^ *//' | tr -s ' ' | diff -u '$out/nat.table.want' -"
check nat.table_header sh -c "head -n 1 '$out/nat.table.out' | grep -q 'tw_nat: 4 listed by the module, least headroom first; conntrack TIME_WAIT lasts 120 s' &&
	sed -n 2p '$out/nat.table.out' | grep -Eq '^PROTO +SOURCE +DESTINATION +FLOWS +TIME_WAIT +CLOSE_WAIT +ESTAB +OTHER +PORTS +HEADROOM +FREE\$'"
# --top 1: A, then B + C + D + the module's others summed:
# flows 30000 + 4 + 20 + 12 = 30036, tw 29000 + 1 + 10 + 8 = 29019,
# est 900 + 3 + 10 + 4 = 917, other 100
expect_ok nat.top1 --nat --top 1 --from "$NT"
check nat.top1_others sh -c "tail -n +3 '$out/nat.top1.out' | sed 's/^ *//' | tr -s ' ' | sed -n 2p |
	grep -qx -- 'others - - 30036 29019 0 917 100 - - -'"
expect_ok nat.no_header --nat -H --from "$NT"
check nat.no_header_rows sh -c "head -n 1 '$out/nat.no_header.out' | grep -q '^tcp '"
expect_err nat.with_json 64 '--nat is a table of its own' --nat --json --from "$NT"
expect_err nat.with_by_cgroup 64 '--nat is a table of its own' --nat --by-cgroup --from "$NT"

# ---- the summary: a short section when active with flows ----
expect_ok nat.summary --from "$NT"
check nat.summary_section sh -c "grep -q '^Source NAT, least headroom first (conntrack TIME_WAIT lasts 120 s; twstat --nat has all)\$' '$out/nat.summary.out' &&
	grep -Eq '^  tcp +192\\.0\\.2\\.1 +198\\.51\\.100\\.7:443 +990 +940 +5 +40 +5 +1024-2047 +34 +3\\.3%\$' '$out/nat.summary.out' &&
	grep -q '^  31026 NATed flows, 29959 in conntrack TIME_WAIT' '$out/nat.summary.out'"
# an older module (wellformed has neither tw_nat nor nat_active): nothing
check nat.summary_absent sh -c "! grep -q 'NAT' '$out/summary.wellformed.out'"
expect_err nat.absent 1 'no tw_nat in this reading: the loaded module \(or the one that saved it\) is older' --nat --from "$W"
# active without flows: no section
d=$(variant nat_empty nat)
printf 'proto source destination flows time_wait close_wait established other port_min port_max headroom\nothers - - 0 0 0 0 0 - - -\n' > "$d/tw_nat"
sed -i -e 's/^nat_flows .*/nat_flows 0/' -e 's/^nat_time_wait .*/nat_time_wait 0/' \
	-e 's/^nat_min_headroom .*/nat_min_headroom -/' -e 's/^nat_untracked_flows .*/nat_untracked_flows 0/' "$d/tw_stats"
expect_ok nat.summary_no_flows --from "$d"
check nat.summary_no_flows_silent sh -c "! grep -q 'NAT' '$out/nat.summary_no_flows.out'"
expect_ok nat.json_min_headroom_none --json --from "$d" &&
	check nat.json_min_headroom_null python3 -c "
import json; d = json.load(open('$out/nat.json_min_headroom_none.out'))
assert d['tw_stats']['nat_min_headroom'] is None and d['tw_stats']['nat_flows'] == 0, d['tw_stats']"
expect_ok nat.prometheus_min_headroom_none --prometheus --from "$d" &&
	check nat.prometheus_min_headroom_no_series sh -c "! grep -q '^tw_stats_nat_min_headroom_ports' '$out/nat.prometheus_min_headroom_none.out' &&
		! grep -q '^tw_stats_nat_min_headroom{' '$out/nat.prometheus_min_headroom_none.out' &&
		grep -qx 'tw_stats_nat_flows{netns=\"4026531840\"} 0' '$out/nat.prometheus_min_headroom_none.out'"

# ---- inactive: one line in the summary and --nat, no rows anywhere ----
I=$(variant nat_inactive nat)
printf 'proto source destination flows time_wait close_wait established other port_min port_max headroom\n# inactive: nf_conntrack is not loaded\n' > "$I/tw_nat"
sed -i -e '/^nat_/d' -e '/^conntrack_/d' "$I/tw_stats"
echo 'nat_active 0' >> "$I/tw_stats"
rm "$I/sysctl/nf_conntrack_tcp_timeout_time_wait"
expect_ok nat.inactive_summary --from "$I"
check nat.inactive_one_line sh -c "[ \$(grep -c 'NAT' '$out/nat.inactive_summary.out') = 1 ] &&
	grep -qx 'NAT view inactive: nf_conntrack is not loaded' '$out/nat.inactive_summary.out'"
expect_ok nat.inactive_table --nat --from "$I"
check nat.inactive_table_line sh -c "[ \"\$(cat '$out/nat.inactive_table.out')\" = 'NAT view inactive: nf_conntrack is not loaded' ]"
expect_ok nat.inactive_json --json --from "$I" &&
	check nat.inactive_json_matches python3 "$here/check.py" json "$I" "$out/nat.inactive_json.out" &&
	check nat.inactive_json_shape python3 -c "
import json; d = json.load(open('$out/nat.inactive_json.out'))
assert d['tw_nat'] == [] and d['tw_nat_inactive'] == 'nf_conntrack is not loaded', d
assert d['sysctl']['nf_conntrack_tcp_timeout_time_wait'] is None"
expect_ok nat.inactive_prometheus --prometheus --from "$I" &&
	check nat.inactive_prometheus_active0 sh -c "grep -qx 'tw_stats_nat_active{netns=\"4026531840\"} 0' '$out/nat.inactive_prometheus.out' &&
		[ \$(grep -c '^tw_stats_\\(nat\\|conntrack\\)_' '$out/nat.inactive_prometheus.out') = 1 ]" &&
	check nat.inactive_prometheus_matches python3 "$here/check.py" prom "$I" "$out/nat.inactive_prometheus.out"
expect_advice nat.inactive_advise "[headroom]" --from "$I"

# ---- JSON and Prometheus: the file's rows, exactly ----
expect_ok nat.json --json --from "$NT" &&
	check nat.json_matches python3 "$here/check.py" json "$NT" "$out/nat.json.out" &&
	check nat.json_row python3 -c "
import json; d = json.load(open('$out/nat.json.out'))
r = d['tw_nat'][0]
assert r == {'proto': 'tcp', 'source': '192.0.2.1', 'destination': '198.51.100.7:443', 'flows': 990,
             'time_wait': 940, 'close_wait': 5, 'established': 40, 'other': 5,
             'port_min': 1024, 'port_max': 2047, 'headroom': 34}, r
assert d['tw_nat'][3]['headroom'] is None and d['tw_nat'][4]['proto'] == 'others'
assert d['tw_nat_inactive'] is None and d['sysctl']['nf_conntrack_tcp_timeout_time_wait'] == 120"
expect_ok nat.prometheus --prometheus --from "$NT" &&
	check nat.prometheus_matches python3 "$here/check.py" prom "$NT" "$out/nat.prometheus.out" &&
	check nat.prometheus_conventions python3 "$here/check.py" promfmt "$out/nat.prometheus.out" &&
	check nat.prometheus_values sh -c "
		grep -qx 'tw_stats_nat_destination_headroom_ports{netns=\"4026531840\",proto=\"tcp\",source=\"192.0.2.1\",destination=\"198.51.100.7:443\"} 34' '$out/nat.prometheus.out' &&
		grep -qx 'tw_stats_nat_destination_range_ports{netns=\"4026531840\",proto=\"tcp\",source=\"192.0.2.1\",destination=\"198.51.100.7:443\"} 1024' '$out/nat.prometheus.out' &&
		grep -qx 'tw_stats_nat_destination_flows{netns=\"4026531840\",proto=\"other\",source=\"other\",destination=\"other\",state=\"time_wait\"} 8' '$out/nat.prometheus.out' &&
		grep -qx 'tw_stats_conntrack_insert_failed_total{netns=\"4026531840\"} 17' '$out/nat.prometheus.out' &&
		! grep -q 'headroom_ports{.*2001:db8::5' '$out/nat.prometheus.out'"
expect_ok nat.prometheus_top1 --prometheus --top 1 --from "$NT" &&
	check nat.prometheus_top1_rows python3 "$here/check.py" natrows "$NT" "$out/nat.prometheus_top1.out" 1 &&
	check nat.prometheus_top1_bounded sh -c "[ \$(grep -c '^tw_stats_nat_destination_flows{' '$out/nat.prometheus_top1.out') = 8 ]"
if command -v promtool > /dev/null; then
	check nat.promtool sh -c "promtool check metrics < '$out/nat.prometheus.out' && promtool check metrics < '$out/nat.inactive_prometheus.out'"
fi

# ---- --save / --from: tw_nat and the sysctl kept byte for byte ----
expect_ok nat.save --from "$NT" --save "$out/natsaved" --json
check nat.save_same_bytes diff -r "$NT" "$out/natsaved"
# live, on a fake tree: /proc/net/tw_nat and the netfilter sysctl read
nf=$out/natfake
mkdir -p "$nf/proc/net" "$nf/proc/sys/net/ipv4" "$nf/proc/sys/net/netfilter"
cp "$NT"/tw_* "$nf/proc/net/"
cp "$NT"/sysctl/* "$nf/proc/sys/net/ipv4/"
rm "$nf/proc/sys/net/ipv4/nf_conntrack_tcp_timeout_time_wait"
echo 300 > "$nf/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_time_wait"
TWSTAT_ROOT=$nf expect_ok nat.live_save --json --save "$out/natlive"
check nat.live_saved sh -c "cmp '$NT/tw_nat' '$out/natlive/tw_nat' && grep -qx 300 '$out/natlive/sysctl/nf_conntrack_tcp_timeout_time_wait'"
# 300 s: of A's 940 in TIME_WAIT, 940 * 240 / 300 = 752 gone sooner at
# 60 s: headroom 34 + 752 = 786; sustainable 1024 / 300 = 3.4, / 60 = 17.1
TWSTAT_ROOT=$nf expect_advice nat.live_advise "[headroom] [nat]" --interval 0
check nat.live_advise_timeout grep_out nat.live_advise 'nf_conntrack_tcp_timeout_time_wait=60 \(now 300; TCP.s own TIME_WAIT is 60 s\): of the 940 flows toward 198\.51\.100\.7:443 in conntrack TIME_WAIT, about 752 would be gone already, headroom becomes about 786 \(now 34\), sustainable 17\.1 flows/s \(now 3\.4\)'
# no sysctl (nf_conntrack not loaded when read): the kernel's default, said so
rm "$nf/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_time_wait"
TWSTAT_ROOT=$nf expect_ok nat.live_no_sysctl --advise --interval 0
check nat.live_no_sysctl_default grep_out nat.live_no_sysctl '\(now 120, the kernel.s default: the sysctl was not read;'

# ---- --advise: the worst pair and what each fix buys, from the file ----
# A: 34 of 1024 (3.3%) is below 10%; B (53.5%) and C are not.
# another address: 34 + 1024 = 1058; 1024 / 120 = 8.5 flows/s, twice 17.1
# 1024-65535: +64512 - 1024 = 63488, headroom 63522, 64512 / 120 = 537.6
# 60 s: 940 * 60 / 120 = 470 gone, headroom 504, 1024 / 60 = 17.1
expect_advice nat.advise "[headroom] [nat]" --from "$NT"
check nat.advise_pair grep_out nat.advise '^\[nat\] tcp 192\.0\.2\.1 -> 198\.51\.100\.7:443: 34 of 1024 NAT source ports left \(3\.3%, range 1024-2047\); 990 flows, 940 of them in conntrack TIME_WAIT \(120 s\)$'
check nat.advise_only_worst sh -c "[ \$(grep -c '^\[nat\] tcp ' '$out/nat.advise.out') = 1 ]"
check nat.advise_address grep_out nat.advise "^\[nat\] fix: another NAT source address .*its own 1024 ports toward 198\.51\.100\.7:443, headroom becomes 1058 \(now 34\), sustainable 17\.1 flows/s \(now 8\.5\); cost: "
check nat.advise_range grep_out nat.advise "^\[nat\] fix: the port range 1024-65535 .*now 1024-2047, 1024 ports\): \+63488 ports, headroom toward 198\.51\.100\.7:443 becomes 63522 \(now 34\), sustainable 537\.6 flows/s \(now 8\.5\); cost: "
check nat.advise_timeout grep_out nat.advise "^\[nat\] fix: net\.netfilter\.nf_conntrack_tcp_timeout_time_wait=60 \(now 120; .*about 470 would be gone already, headroom becomes about 504 \(now 34\), sustainable 17\.1 flows/s \(now 8\.5\); cost: a late segment"
# 60 s later: A at 1000 flows (headroom 24, +10 in 60 s: 144 s left),
# B at 34000 (headroom 30512, 47% but +4000 in 60 s: 458 s left, under
# 10 min), insert_failed 17 -> 29, drop 17 -> 20
L=$(variant nat_later nat)
later "$L" 60
sed -i -e 's/^tcp 192.0.2.1 198.51.100.7:443 .*/tcp 192.0.2.1 198.51.100.7:443 1000 950 5 40 5 1024 2047 24/' \
	-e 's/^tcp 192.0.2.1 198.51.100.8:80 .*/tcp 192.0.2.1 198.51.100.8:80 34000 33000 0 900 100 1024 65535 30512/' "$L/tw_nat"
setstat "$L" conntrack_insert_failed 29
setstat "$L" conntrack_drop 20
expect_advice nat.advise_two "[headroom] [nat]" --from "$NT" --from "$L"
check nat.advise_two_full_in grep_out nat.advise_two '^\[nat\] tcp 192\.0\.2\.1 -> 198\.51\.100\.7:443: 24 of 1024 .*; full in 2 min at \+0\.2 flows/s$'
check nat.advise_two_filling grep_out nat.advise_two '^\[nat\] tcp 192\.0\.2\.1 -> 198\.51\.100\.8:80: 30512 of 64512 NAT source ports left \(47\.3%, range 1024-65535\); 34000 flows, 33000 of them .*; full in 8 min at \+66\.7 flows/s$'
check nat.advise_two_refused grep_out nat.advise_two '^\[nat\] conntrack insert_failed rose by 12 and drop by 3 in 60\.0 s: .*; least headroom: 192\.0\.2\.1 -> 198\.51\.100\.7:443, 24 ports$'
# healthy NAT: every pair at 10% or more, counters flat: silence
Hh=$(variant nat_healthy healthy)
cp "$NT/tw_nat" "$NT/sysctl/nf_conntrack_tcp_timeout_time_wait" "$Hh/"
mv "$Hh/nf_conntrack_tcp_timeout_time_wait" "$Hh/sysctl/"
sed -i 's/^tcp 192.0.2.1 198.51.100.7:443 .*/tcp 192.0.2.1 198.51.100.7:443 990 940 5 40 5 1024 65535 63522/' "$Hh/tw_nat"
grep '^nat_\|^conntrack_' "$NT/tw_stats" >> "$Hh/tw_stats"
expect_advice nat.advise_healthy "" --from "$Hh"
expect_advice nat.advise_healthy_two "" --from "$Hh" --from "$Hh"
# the fixes that do not apply are not offered: a default-wide range, and
# a conntrack TIME_WAIT already at 60 s
d=$(variant nat_wide nat)
sed -i 's/^tcp 192.0.2.1 198.51.100.7:443 .*/tcp 192.0.2.1 198.51.100.7:443 64500 64000 0 400 100 1024 65535 12/' "$d/tw_nat"
echo 60 > "$d/sysctl/nf_conntrack_tcp_timeout_time_wait"
expect_advice nat.advise_wide "[headroom] [nat]" --from "$d"
check nat.advise_wide_fixes sh -c "grep -q '^\[nat\] fix: another NAT source address' '$out/nat.advise_wide.out' &&
	! grep -q 'fix: the port range' '$out/nat.advise_wide.out' && ! grep -q 'timeout_time_wait=' '$out/nat.advise_wide.out'"
# any 64-bit number: no crash, no wrap-around (2^64-1 flows in TIME_WAIT
# for 2^64-1 s: all but 60 / (2^64-1) of them gone, the headroom capped
# at the range)
d=$(variant nat_huge nat)
sed -i 's/^tcp 192.0.2.1 198.51.100.7:443 .*/tcp 192.0.2.1 198.51.100.7:443 18446744073709551615 18446744073709551615 0 0 0 1024 2047 0/' "$d/tw_nat"
echo 18446744073709551615 > "$d/sysctl/nf_conntrack_tcp_timeout_time_wait"
expect_ok nat.huge_advise --advise --from "$d"
check nat.huge_no_wrap grep_out nat.huge_advise 'about 18446744073709551555 would be gone already, headroom becomes about 1024 \(now 0\)'
expect_ok nat.huge_table --nat --from "$d"
expect_ok nat.huge_prometheus --prometheus --from "$d"

# ---- malformed tw_nat, tw_stats lines, sysctl: one line naming file:line ----
nat_bad() {	# nat_bad NAME SED-EXPR REGEX: edit tw_nat, expect that error
	local d

	d=$(variant "nat_bad_$1" nat)
	sed -i "$2" "$d/tw_nat"
	expect_err "nat.malformed_$1" 1 "nat_bad_$1/tw_nat:$3" --from "$d"
}
nat_bad header '1s/^proto/protocol/' "1: header should start with 'proto'"
nat_bad missing_column '1s/ headroom$/ extra/' "1: no column 'headroom'"
nat_bad short_row '2s/ 34$//' '2: 10 fields, the header has 11'
nat_bad not_number '2s/ 990 / x /' "2: bad flows 'x'"
nat_bad dash_number '2s/ 940 / - /' "2: bad time_wait '-'"
nat_bad huge '2s/ 990 / 18446744073709551616 /' '2: flows does not fit in 64 bits'
nat_bad sum '2s/ 990 / 991 /' '2: inconsistent: time_wait \+ close_wait \+ established \+ other = 990, flows 991'
nat_bad sum_overflow '2s/ 990 940 / 18446744073709551615 18446744073709551615 /' "2: inconsistent: the states' flows overflow 64 bits"
nat_bad headroom '2s/ 34$/ 2000/' '2: inconsistent: headroom 2000 is more than the 1024 ports of 1024-2047'
nat_bad range '2s/ 1024 2047 / 2047 1024 /' '2: port_min 2047, port_max 1024: not a port range'
nat_bad port '2s/ 1024 2047 / 1024 70000 /' '2: port_min 1024, port_max 70000: not a port range'
nat_bad half_range '2s/ 1024 2047 34$/ - 2047 34/' "2: port_min, port_max and headroom must be all numbers or all '-'"
nat_bad destination '2s/198.51.100.7:443/198.51.100.7/' "2: bad destination '198.51.100.7'"
nat_bad source '2s/192.0.2.1/300.0.2.1/' "2: bad source '300.0.2.1'"
nat_bad proto '2s/^tcp/TCP/' "2: bad proto 'TCP'"
nat_bad others_ports '$s/ - - -$/ 1 2 -/' "6: 'others' row: port_min, port_max and headroom should be '-'"
nat_bad others_dash '$s/ 12 8 / - 8 /' "6: 'others' row: flows should be a number"
nat_bad others_source '$s/^others - /others 192.0.2.1 /' "6: 'others' row: source should be '-'"
nat_bad no_others '$d' "6: no 'others' row at the end: file truncated"
nat_bad inactive_before_rows '2i # inactive: nf_conntrack is not loaded' "3: a line after the 'inactive' line 2"
nat_bad inactive_after_rows '3i # inactive: nf_conntrack is not loaded' "3: an 'inactive' line after rows"
d=$(variant nat_bad_inactive_rows nat)
printf 'proto source destination flows time_wait close_wait established other port_min port_max headroom\n# inactive: gone\ntcp 192.0.2.1 198.51.100.7:443 1 1 0 0 0 - - -\n' > "$d/tw_nat"
expect_err nat.malformed_row_after_inactive 1 "nat_bad_inactive_rows/tw_nat:3: a line after the 'inactive' line 2" --from "$d"
printf 'proto source destination flows time_wait close_wait established other port_min port_max headroom\n# inactive: \n' > "$d/tw_nat"
expect_err nat.malformed_inactive_no_reason 1 "nat_bad_inactive_rows/tw_nat:2: an 'inactive' line without its reason" --from "$d"
printf 'proto source destination flows time_wait close_wait established other port_min port_max headroom\n# inactive: x' > "$d/tw_nat"
expect_err nat.malformed_truncated_inactive 1 "nat_bad_inactive_rows/tw_nat:2: last line has no newline: file truncated" --from "$d"
: > "$d/tw_nat"
expect_err nat.malformed_empty 1 "nat_bad_inactive_rows/tw_nat:1: empty file" --json --from "$d"
# the same errors whatever the mode: nothing printed, no file written
d=$(variant nat_bad_modes nat)
sed -i '2s/ 990 / x /' "$d/tw_nat"
expect_err nat.malformed_prometheus 1 "nat_bad_modes/tw_nat:2: bad flows" --prometheus --output "$out/nat_never.prom" --from "$d"
check nat.malformed_no_file test ! -e "$out/nat_never.prom"
expect_err nat.malformed_nat_mode 1 "nat_bad_modes/tw_nat:2: bad flows" --nat --from "$d"
expect_err nat.malformed_advise 1 "nat_bad_modes/tw_nat:2: bad flows" --advise --from "$d"
d=$(variant nat_bad_stats nat)
setstat "$d" nat_active 2
expect_err nat.malformed_active_2 1 'nat_bad_stats/tw_stats: nat_active is 2: 0 or 1' --from "$d"
setstat "$d" nat_active 0
expect_err nat.malformed_lines_inactive 1 'nat_bad_stats/tw_stats: inconsistent: nat_flows without nat_active 1' --from "$d"
setstat "$d" nat_active 1
setstat "$d" nat_time_wait 40000
expect_err nat.malformed_time_wait_gt_flows 1 'nat_bad_stats/tw_stats: inconsistent: nat_time_wait 40000 > nat_flows 31026' --from "$d"
setstat "$d" nat_time_wait 29959
setstat "$d" nat_flows -
expect_err nat.malformed_flows_dash 1 "nat_bad_stats/tw_stats:[0-9]+: value of nat_flows is not an unsigned 64-bit decimal: '-'" --from "$d"
setstat "$d" nat_flows 31026
setstat "$d" walk_ns -
expect_err nat.malformed_dash_elsewhere 1 "nat_bad_stats/tw_stats:[0-9]+: value of walk_ns is not an unsigned 64-bit decimal: '-'" --from "$d"
d=$(variant nat_bad_sysctl nat)
echo 'x' > "$d/sysctl/nf_conntrack_tcp_timeout_time_wait"
expect_err nat.malformed_sysctl 1 "nat_bad_sysctl/sysctl/nf_conntrack_tcp_timeout_time_wait:1: not an unsigned number" --from "$d"
