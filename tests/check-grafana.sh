#!/bin/bash
# The textfile and the Grafana dashboard against the real programs, on
# this host (no kernel).  twstat replays two readings saved in a guest
# (tests/data/reading-6.1/a, then b; see its README) with the one
# documented invocation
#	twstat --all-netns --prometheus --output DIR/tw_stats.prom
# rewriting the file every second; a real prometheus-node-exporter serves
# DIR and a real Prometheus (loopback only, 1 s scrapes, the rules of
# contrib/prometheus/) scrapes it.  Then:
#   textfile.*  node_exporter logged no collection error (no "collected
#               before with the same name and label values": issue 17,
#               point 3), serves every family of the file with all its
#               samples, node_textfile_scrape_error is 0, the file says
#               tw_stats_up 1; as a control,
#               the same file twice in DIR makes node_exporter log that
#               error, so the check can see the bug;
#   grafana.*   every recording and alerting rule evaluates without an
#               error, and the overflow alert fires (the readings' counter
#               rose); jq parses contrib/grafana/tw_stats.json, it asks for its
#               data source as the input DS_PROMETHEUS and every reference
#               uses it, and every target of every panel, its variables
#               replaced by values Prometheus has, returns data
#               (/api/v1/query): one line per panel, by title.
# Prints PASS/FAIL lines (tests/lib.sh).
#
# usage: check-grafana.sh   (make check runs it with the host checks)
#   TWSTAT=BIN                the twstat to test (default twstat/twstat)
#   TW_TEXTFILE_RECIPE=split  write the recipe of old READMEs instead:
#                             twstat --prometheus and twstat --all-netns
#                             --prometheus into two files of DIR
#   TW_GRAFANA_SECONDS=N      how long Prometheus scrapes (default 12)
#   TW_DASHBOARD=FILE         another dashboard (default contrib/grafana/tw_stats.json)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=${TW_OUT:-$TW_CACHE/run}/grafana
twstat=${TWSTAT:-$TW_TOP/twstat/twstat}
fixtures=$TW_TOP/tests/data/reading-6.1
dashboard=${TW_DASHBOARD:-$TW_TOP/contrib/grafana/tw_stats.json}
rules=$TW_TOP/contrib/prometheus/tw_stats.rules.yml
secs=${TW_GRAFANA_SECONDS:-12}
recipe=${TW_TEXTFILE_RECIPE:-one}
say() { tw_result "$1" "$2" "${3:-}"; }
begin=$(date +%s)

tw_need_pkgs prometheus prometheus-node-exporter jq curl
rm -rf "$out"
mkdir -p "$out/textfile" "$out/tsdb"

pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2> /dev/null
	done
	for p in "${pids[@]}"; do
		wait "$p" 2> /dev/null
	done
}
trap cleanup EXIT

# a loopback port nothing listens on (a race with another program is
# caught below: the server then fails to start and we try another)
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		[ -z "$(ss -Htln "sport = :$p")" ] && { echo "$p"; return; }
	done
}

# write FIXTURE: the textfile(s) from one saved reading
write() {
	if [ "$recipe" = split ]; then
		"$twstat" --from "$1" --prometheus --output "$out/textfile/tw_stats.prom" &&
			"$twstat" --from "$1" --all-netns --prometheus --output "$out/textfile/tw_netns.prom"
	else
		"$twstat" --from "$1" --all-netns --prometheus --output "$out/textfile/tw_stats.prom"
	fi
}

# start NAME URL COMMAND...: run a server in the background until URL
# answers (20 s at most); its output in $out/NAME.log
start() {
	local name=$1 url=$2 i=0
	shift 2
	"$@" > "$out/$name.log" 2>&1 &
	pids+=($!)
	while ! curl -sf -o /dev/null "$url"; do
		kill -0 "${pids[-1]}" 2> /dev/null || return 1
		[ $i -lt 100 ] || return 1
		sleep 0.2
		i=$((i + 1))
	done
}

[ -x "$twstat" ] || { say FAIL textfile.twstat "no $twstat (make -C twstat)"; exit 0; }
write "$fixtures/a" || { say FAIL textfile.twstat_writes "twstat --from $fixtures/a failed"; exit 0; }

for _ in 1 2 3; do
	ne_port=$(free_port)
	start node_exporter "http://127.0.0.1:$ne_port/metrics" \
		prometheus-node-exporter --collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$out/textfile" \
		--web.listen-address="127.0.0.1:$ne_port" && break
	ne_port=
done
[ -n "$ne_port" ] || { say FAIL textfile.node_exporter_starts "see $out/node_exporter.log"; exit 0; }

cat > "$out/prometheus.yml" << EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $rules
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$ne_port']
EOF
for _ in 1 2 3; do
	prom_port=$(free_port)
	start prometheus "http://127.0.0.1:$prom_port/-/ready" \
		prometheus --config.file="$out/prometheus.yml" --storage.tsdb.path="$out/tsdb" \
		--web.listen-address="127.0.0.1:$prom_port" && break
	prom_port=
done
[ -n "$prom_port" ] || { say FAIL grafana.prometheus_starts "see $out/prometheus.log"; exit 0; }
api=http://127.0.0.1:$prom_port/api/v1
tw_log "node_exporter on 127.0.0.1:$ne_port, Prometheus on 127.0.0.1:$prom_port, scraping ${secs}s"

# reading a for the first half, then b (taken seconds later in the
# guest: more TIME_WAIT, overflow, CLOSE_WAIT and PAWS drops), so that
# rates and derivatives have something to show; every write replaces the
# file while it is being scraped
wrote=0
for ((i = 0; i < secs; i++)); do
	fix=a
	[ $((2 * i)) -lt "$secs" ] || fix=b
	write "$fixtures/$fix" && wrote=$((wrote + 1))
	sleep 1
done
[ "$wrote" = "$secs" ] && say PASS textfile.twstat_writes ||
	say FAIL textfile.twstat_writes "$((secs - wrote)) of $secs writes failed"

# q PROMQL: the JSON answer of an instant query (errors included)
q() {
	curl -s -G "$api/query" --data-urlencode "query=$1"
}

# ===== Point 3: one textfile, every series once.
curl -sf "http://127.0.0.1:$ne_port/metrics" > "$out/metrics" ||
	say FAIL textfile.metrics "no answer from node_exporter"
if grep -q 'collected before with the same name and label values' "$out/node_exporter.log"; then
	say FAIL textfile.no_duplicate_series "$(grep -c 'collected before with the same name' "$out/node_exporter.log") log lines like: $(grep -m 1 -o 'collected metric.*' "$out/node_exporter.log" | head -c 300)"
else
	say PASS textfile.no_duplicate_series
fi
# (its warning about running as root is about this test, not the file)
if grep -E 'level=(error|warn)' "$out/node_exporter.log" | grep -v 'running as root user' > "$out/ne.errors"; then
	say FAIL textfile.no_exporter_error "$(wc -l < "$out/ne.errors") lines like: $(head -n 1 "$out/ne.errors" | head -c 300)"
else
	say PASS textfile.no_exporter_error
fi
grep -Eqx 'tw_stats_up(\{[^}]*\})? 1' "$out/textfile/tw_stats.prom" && say PASS textfile.up_1 ||
	say FAIL textfile.up_1 "no 'tw_stats_up 1' in the file: $(grep -m 1 '^tw_stats_up' "$out/textfile/tw_stats.prom")"
grep -qx 'node_textfile_scrape_error 0' "$out/metrics" && say PASS textfile.scrape_error_0 ||
	say FAIL textfile.scrape_error_0 "$(grep '^node_textfile_scrape_error' "$out/metrics")"
# per family (# TYPE lines): its type and how many samples; the files'
# (summed) against what node_exporter serves
families() {
	awk '$1 == "#" && $2 == "TYPE" { f = $3; t[f] = $4; next }
		/^#/ || NF == 0 { next }
		{ n[f]++ }
		END { for (f in t) print f, t[f], n[f] + 0 }' "$@" | sort
}
families "$out"/textfile/*.prom | awk '{ t[$1] = $2; n[$1] += $3 } END { for (f in t) print f, t[f], n[f] }' |
	sort > "$out/families.file"
families "$out/metrics" | grep -v '^node_' | sort > "$out/families.served"
missing=$(join -v 1 "$out/families.file" "$out/families.served" | head -n 3 | tr '\n' ' ')
differ=$(join "$out/families.file" "$out/families.served" | awk '$2 != $4 || $3 != $5' | head -n 3 | tr '\n' ' ')
if [ ! -s "$out/families.file" ]; then
	say FAIL textfile.every_family_served "no # TYPE line in the textfile"
elif [ -n "$missing$differ" ]; then
	say FAIL textfile.every_family_served "not served: ${missing:-none}; type or sample count differs (file, served): ${differ:-none}"
else
	say PASS textfile.every_family_served
fi
tw_log "$(wc -l < "$out/families.file") families, $(awk '{ s += $3 } END { print s }' "$out/families.file") samples in the textfile"
n=$(q 'count(up{job="node"} == 1)' | jq -r '.data.result[0].value[1] // 0')
[ "$n" = 1 ] && say PASS textfile.prometheus_scrapes || say FAIL textfile.prometheus_scrapes "up == 1 for $n targets"

# The panels read recording rules: each rule of the file must have been
# evaluated on this data without an error
rules_bad=$(curl -s "$api/rules" | jq -r '[.data.groups[].rules[] | select(.health != "ok")
	| "\(.name // .alert): \(.health) \(.lastError // "")"] | join("; ")')
nrules=$(curl -s "$api/rules" | jq '[.data.groups[].rules[]] | length')
if [ "${nrules:-0}" -eq 0 ]; then
	say FAIL grafana.rules_evaluate "Prometheus loaded no rule from $rules"
elif [ -n "$rules_bad" ]; then
	say FAIL grafana.rules_evaluate "$rules_bad"
else
	say PASS grafana.rules_evaluate
fi

# and they see what the readings hold: TCPTimeWaitOverflow rose from a to
# b (0 to 32), so the overflow alert, which has no "for", fires
state=$(curl -s "$api/alerts" | jq -r '[.data.alerts[] | select(.labels.alertname == "TwStatsTimewaitOverflow") | .state] | first // "absent"')
[ "$state" = firing ] && say PASS grafana.overflow_alert_fires ||
	say FAIL grafana.overflow_alert_fires "TwStatsTimewaitOverflow is $state"

# ===== Point 5: the dashboard.
if jq empty "$dashboard" 2> "$out/jq.err"; then
	say PASS grafana.json_parses
else
	say FAIL grafana.json_parses "$(head -c 300 "$out/jq.err")"
	exit 0
fi
jq -e '.__inputs | any(.name == "DS_PROMETHEUS" and .type == "datasource" and .pluginId == "prometheus")' \
	"$dashboard" > /dev/null && say PASS grafana.input_ds_prometheus ||
	say FAIL grafana.input_ds_prometheus "no __inputs entry DS_PROMETHEUS (datasource, prometheus)"
# panels inside collapsed rows too; rows themselves hold no query
panels='[.panels[] | if .type == "row" then (.panels // [])[] else . end]'
need=$(jq -r "($panels | map(.type) | unique) - [.__requires[] | select(.type == \"panel\") | .id]
	+ (if any(.__requires[]; .type == \"datasource\" and .id == \"prometheus\") then [] else [\"datasource prometheus\"] end)
	+ (if any(.__requires[]; .type == \"grafana\") then [] else [\"grafana\"] end) | join(\" \")" "$dashboard")
[ -z "$need" ] && say PASS grafana.requires || say FAIL grafana.requires "__requires lacks: $need"
# every data source a panel, target or variable names is the input (or a
# variable standing for it); none may be left to Grafana's default
bad=$(jq -c "[.. | objects | select(has(\"datasource\")) | .datasource
	| select(. != \"\${DS_PROMETHEUS}\" and (type != \"object\" or .uid != \"\${DS_PROMETHEUS}\"))]
	+ [${panels}[] | select(.datasource == null) | .title]
	+ [${panels}[] | .targets[]? | select(.datasource == null) | .refId]" "$dashboard")
[ "$bad" = "[]" ] && say PASS grafana.datasource_is_input ||
	say FAIL grafana.datasource_is_input "not \${DS_PROMETHEUS}, or missing: $(head -c 300 <<< "$bad")"
dups=$(jq -r "$panels | map(.title) | group_by(.) | map(select(length > 1)[0]) | join(\", \")" "$dashboard")
[ -z "$dups" ] && say PASS grafana.titles_unique || say FAIL grafana.titles_unique "twice: $dups"

# The template variables, in order (a later one may use an earlier one):
# each label_values() query is answered from Prometheus's series, and the
# variable takes the first value found.
declare -A var=([__rate_interval]=1m [__interval]=15s [__range]=1h)
subst() {
	local s=$1 v
	for v in "${!var[@]}"; do
		s=${s//"\${$v}"/${var[$v]}}
		s=${s//"[[${v}]]"/${var[$v]}}
	done
	# longest names first, so that $netns is not read as $net followed by ns
	for v in $(printf '%s\n' "${!var[@]}" | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2); do
		s=${s//"\$$v"/${var[$v]}}
	done
	printf '%s' "$s"
}
while IFS=$'\t' read -r name query; do
	query=$(subst "$query")
	if [[ $query =~ ^label_values\((.*),[[:space:]]*([a-zA-Z_][a-zA-Z0-9_]*)\)$ ]]; then
		match=${BASH_REMATCH[1]} label=${BASH_REMATCH[2]}
	elif [[ $query =~ ^label_values\(([a-zA-Z_][a-zA-Z0-9_]*)\)$ ]]; then
		match='{__name__=~".+"}' label=${BASH_REMATCH[1]}
	else
		say FAIL "grafana.variable.$name" "not a label_values() query: $query"
		continue
	fi
	value=$(curl -sf -G "$api/series" --data-urlencode "match[]=$match" |
		jq -r --arg l "$label" '[.data[][$l] // empty] | unique | .[0] // empty')
	if [ -n "$value" ]; then
		var[$name]=$value
		say PASS "grafana.variable.$name"
		tw_log "variable $name = $value ($query)"
	else
		say FAIL "grafana.variable.$name" "no value for $query"
	fi
done < <(jq -r '.templating.list[]? | select(.type == "query")
	| [.name, (if (.query | type) == "object" then .query.query else .query end)] | @tsv' "$dashboard")

# Every panel: each target's expression returns at least one series.
npanels=0
while IFS=$'\t' read -r i title; do
	npanels=$((npanels + 1))
	slug=$(tr '[:upper:]' '[:lower:]' <<< "$title" | tr -c 'a-z0-9\n' '_' | sed 's/__*/_/g; s/^_//; s/_$//')
	why='' n=0
	for expr in $(jq -r --argjson i "$i" "${panels}[\$i].targets[]? | .expr // empty | @base64" "$dashboard"); do
		n=$((n + 1))
		e=$(subst "$(base64 -d <<< "$expr")")
		if [[ $e == *'$'* ]]; then
			why+="[$e]: a variable is left; "
			continue
		fi
		ans=$(q "$e")
		if [ "$(jq -r .status <<< "$ans" 2> /dev/null)" != success ]; then
			why+="[$e]: Prometheus says: $(jq -r .error <<< "$ans" 2> /dev/null || head -c 200 <<< "$ans"); "
		elif [ "$(jq '.data.result | length' <<< "$ans")" = 0 ]; then
			why+="[$e]: no data; "
		fi
	done
	[ "$n" -gt 0 ] || why="no target with an expression"
	[ -z "$why" ] && say PASS "grafana.panel.$slug" || say FAIL "grafana.panel.$slug" "$title: ${why%; }"
done < <(jq -r "$panels | to_entries[] | [.key, .value.title] | @tsv" "$dashboard")
[ "$npanels" -gt 0 ] || say FAIL grafana.panels "the dashboard has no panel"

# ===== The control: the same series in two files of the directory must
# make node_exporter log the error this check looks for (else the checks
# above could not fail)
dup='collected before with the same name and label values'
before=$(grep -c "$dup" "$out/node_exporter.log")
cp "$out/textfile/tw_stats.prom" "$out/textfile/copy.prom"
curl -sf -o /dev/null "http://127.0.0.1:$ne_port/metrics"
rm -f "$out/textfile/copy.prom"
after=$(grep -c "$dup" "$out/node_exporter.log")
[ "$after" -gt "$before" ] && say PASS textfile.control_duplicate_detected ||
	say FAIL textfile.control_duplicate_detected "two copies of the file in the directory: node_exporter logged no duplicate"
tw_log "check-grafana took $(($(date +%s) - begin))s"
