# The Debian packages end to end (tests/check-deb-e2e.sh boots this guest
# with what they installed on the host): the tw_stats.ko the guest loaded
# is the one DKMS built from tw-stats-dkms for this very kernel; the
# twstat binary and the systemd units are the twstat package's, at the
# paths it installs them to.  The guest has no systemd, so the service is
# run the way systemd runs a Type=oneshot unit: its ExecStart= line, in
# the initial network namespace, its exit status judged by its
# SuccessExitStatus=.  Then a real node_exporter serves the textfile.
# On any other run there is no /e2e: one SKIP line.
E2E=/e2e
if [ ! -f $E2E/srcversion ]; then
	skip packaged "not a packaged run (tests/check-deb-e2e.sh boots one)"
	return 0
fi
UNIT=/lib/systemd/system/twstat-textfile.service
[ -f $UNIT ] || UNIT=/usr/lib/systemd/system/twstat-textfile.service

# --- the module is DKMS's build, not one the harness made ---
expect_eq dkms_module_loaded "$(cat /sys/module/tw_stats/srcversion 2> /dev/null)" "$(cat $E2E/srcversion)"
expect_true unit_installed "no twstat-textfile.service in the twstat package" test -f $UNIT
expect_true twstat_installed "no /usr/sbin/twstat" test -x /usr/sbin/twstat

# unit_value KEY: the value of KEY= in the unit (the last one wins)
unit_value() {
	sed -n "s/^$1=//p" $UNIT | tail -n 1
}
# systemd's prefixes on ExecStart= ("-", "@", "+", ...) are not part of
# the command; the unit uses none that changes what runs
exec_start=$(unit_value ExecStart | sed 's/^[-@:+!]*//')
success=" 0 $(unit_value SuccessExitStatus) "
out_file=$(echo "$exec_start" | sed -n 's/.*--output[= ]\([^ ]*\).*/\1/p')
expect_eq unit_writes_textfile "$out_file" /var/lib/prometheus/node-exporter/tw_stats.prom
# what prometheus-node-exporter's package (or the unit) provides
mkdir -p "$(dirname "$out_file")"

# run_service: the unit's command once, as systemd would: its exit status
# in $status, its stderr (the journal) in /tmp/e2e.journal
run_service() {
	nsenter -t 1 -n sh -c "$exec_start" > /tmp/e2e.stdout 2> /tmp/e2e.journal
	status=$?
}
# unit_ok: does systemd count $status as success?
unit_ok() {
	case "$success" in *" $status "*) return 0 ;; esac
	return 1
}

# --- something to count: 7 TIME_WAIT in this scenario's namespace ---
me=$(readlink /proc/self/ns/net | tr -dc 0-9)
srv=$($TWGEN server -a 127.0.0.1 -p 7990 -m wait)
expect_eq connected "$($TWGEN client -a 127.0.0.1 -p 7990 -n 7 -m close)" "connected 7"
settle
tw_ss=$(ssc state time-wait)

# --- one run of the service, module loaded ---
run_service
expect_true service_succeeds "exit status $status: $(head -n 2 /tmp/e2e.journal)" unit_ok
expect_eq service_status_0 "$status" 0
expect_true textfile_written "no $out_file" test -s "$out_file"
expect_true textfile_up "no 'tw_stats_up 1'" grep -qE '^tw_stats_up(\{[^}]*\})? 1$' "$out_file"
# this namespace's row of the all-namespaces families is what ss sees
row=$(awk -v ns="$me" 'index($0, "tw_stats_netns_sockets{") == 1 && index($0, "netns=\"" ns "\"") &&
	index($0, "state=\"time_wait\"") { print $NF }' "$out_file")
expect_eq textfile_netns_time_wait "$row" "$tw_ss"
if [ -x /usr/bin/promtool ]; then
	lint=$(promtool check metrics < "$out_file" 2>&1)
	expect_eq textfile_promtool "$?:$lint" "0:"
fi

# --- node_exporter serves it: every family, no collection error ---
ne_serve() {
	prometheus-node-exporter --collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$(dirname "$out_file")" \
		--web.listen-address=127.0.0.1:9109 > /tmp/e2e.ne.log 2>&1 &
	ne=$!
	i=0
	rm -f /tmp/e2e.metrics
	while ! wget -qO /tmp/e2e.metrics http://127.0.0.1:9109/metrics 2> /dev/null && [ $i -lt 100 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	kill $ne
	wait $ne 2> /dev/null
}
if [ -x /usr/bin/prometheus-node-exporter ]; then
	ne_serve
	missing=$(sed -n 's/^# TYPE \([^ ]*\) .*/\1/p' "$out_file" | while read -r fam; do
		grep -q "^$fam[{ ]" /tmp/e2e.metrics || echo "$fam"
	done)
	expect_eq node_exporter_serves_every_family "$missing" ""
	expect_true node_exporter_no_scrape_error "$(grep -i error /tmp/e2e.ne.log | head -n 1)" \
		grep -qx 'node_textfile_scrape_error 0' /tmp/e2e.metrics
	expect_eq node_exporter_log_clean "$(grep -ciE 'collected before|error' /tmp/e2e.ne.log)" 0
	expect_eq node_exporter_netns_time_wait \
		"$(awk -v ns="$me" 'index($0, "tw_stats_netns_sockets{") == 1 && index($0, "netns=\"" ns "\"") &&
			index($0, "state=\"time_wait\"") { print $NF }' /tmp/e2e.metrics)" "$tw_ss"
else
	skip node_exporter "no prometheus-node-exporter in the guest"
fi
kill_daemons $srv

# --- the module unloaded: the unit does not fail, the file says down ---
if rmmod tw_stats; then
	run_service
	expect_true unloaded.service_succeeds "exit status $status, SuccessExitStatus='$success'" unit_ok
	expect_eq unloaded.journal_one_line "$(wc -l < /tmp/e2e.journal)" 1
	expect_eq unloaded.textfile_says_down \
		"$(grep -v '^#' "$out_file" | sed 's/{[^}]*}//')" "tw_stats_up 0"
	insmod /lib/tw_stats.ko || fail unloaded.reload "insmod tw_stats.ko failed"
else
	fail unloaded.rmmod "rmmod tw_stats failed"
fi
