# The torture's final comparison (torture_lib.sh: check_ns): one snapshot
# of tw_stats and of its oracles, taken while the netns was still, judged
# in one pass instead of one ss per number (each ss costs seconds on the
# KASAN kernel under TCG, longer than a timewait socket lives).
#
# usage: awk -v p=PREFIX -f torture_compare.awk src=stats FILE src=sockstat FILE \
#            src=ss FILE src=nstat FILE src=ports FILE
#   stats:    /proc/net/tw_stats            sockstat: /proc/net/sockstat
#   ss:       ss -Htano                     nstat:    nstat -asz
#   ports:    /proc/net/tw_ports
# Prints a "TWTEST PASS|FAIL p.NAME" line per number, the names of
# lib.sh's compare_all, compare_tcpext and ports=ss.

function verdict(name, got, want)
{
	if (got == want)
		print "TWTEST PASS " p "." name
	else
		print "TWTEST FAIL " p "." name ": got '" got "', expected '" want "'"
}

function val(map, key)
{
	return (key in map) ? map[key] : "missing"
}

src == "stats" { ours[$1] = $2; next }

src == "sockstat" && $1 == "TCP:" {
	for (i = 2; i < NF; i++)
		if ($i == "tw")
			oracle["tw_total"] = $(i + 1)
	next
}

# ss's state names, and what tw_stats calls the same sockets; a timewait
# socket in substate FIN_WAIT2 is listed as FIN-WAIT-2 with the timewait
# timer, a full socket in FIN_WAIT2 without it
src == "ss" {
	st = $1
	tw_timer = index($0, "timer:(timewait") > 0
	v6 = substr($4, 1, 1) == "["
	if (st == "TIME-WAIT" || (st == "FIN-WAIT-2" && tw_timer)) {
		if (st == "TIME-WAIT")
			n["tw_time_wait"]++
		else
			n["tw_fin_wait2"]++
		n[v6 ? "tw_ipv6" : "tw_ipv4"]++
	} else if (st in state_name) {
		n[state_name[st]]++
	}
	# the columns of tw_ports, as lib.sh's ss_ports counts them
	port = $4
	sub(/.*:/, "", port)
	c = st == "TIME-WAIT" ? 1 : st == "FIN-WAIT-2" ? 2 : st == "ESTAB" ? 3 : \
	    st == "CLOSE-WAIT" ? 4 : st == "LISTEN" ? 6 : 5
	ss_port[port, c]++
	ss_seen[port] = 1
	next
}

src == "nstat" && $1 ~ /^TcpExt/ {
	nstat["tcpext_" tolower(substr($1, 7))] = $2
	next
}

# tw_ports rows of ports held by a socket that ss lists (a port held only
# by a bound socket is not)
src == "ports" && FNR > 1 && $2 + $3 + $4 + $5 + $6 + $7 > 0 {
	our_port[$1] = $2 " " $3 " " $4 " " $5 " " $6 " " $7
	next
}

BEGIN {
	state_name["ESTAB"] = "state_established"
	state_name["SYN-SENT"] = "state_syn_sent"
	state_name["SYN-RECV"] = "state_syn_recv"
	state_name["FIN-WAIT-1"] = "state_fin_wait1"
	state_name["FIN-WAIT-2"] = "state_fin_wait2"
	state_name["CLOSE-WAIT"] = "state_close_wait"
	state_name["LAST-ACK"] = "state_last_ack"
	state_name["CLOSING"] = "state_closing"
	state_name["LISTEN"] = "state_listen"
	nr_names = split("tw_time_wait tw_fin_wait2 tw_ipv4 tw_ipv6 " \
			 "state_established state_syn_sent state_syn_recv " \
			 "state_fin_wait1 state_fin_wait2 state_close_wait " \
			 "state_last_ack state_closing state_listen", names, " ")
	nr_tcpext = split("tw twrecycled twkilled pawsactive pawsestab " \
			  "tcptimewaitoverflow tcpackskippedpaws " \
			  "tcpackskippedtimewait pawsoldack tsecrrejected " \
			  "pawstimewait", tcpext, " ")
}

END {
	verdict("tw_total=sockstat", val(ours, "tw_total"), val(oracle, "tw_total"))
	for (i = 1; i <= nr_names; i++)
		verdict(names[i] "=ss", val(ours, names[i]), n[names[i]] + 0)

	for (k in ours)
		if (k ~ /^tcpext_/)
			verdict(k "=nstat", ours[k], val(nstat, k))
	for (i = 1; i <= nr_tcpext; i++) {
		k = "tcpext_" tcpext[i]
		verdict(k ".present_as_in_nstat", (k in ours) + 0, (k in nstat) + 0)
	}

	# every port, either side: the first that differs is the failure
	bad = ""
	for (pt in ss_seen) {
		row = ""
		for (c = 1; c <= 6; c++)
			row = row (c > 1 ? " " : "") (ss_port[pt, c] + 0)
		if (val(our_port, pt) != row && bad == "")
			bad = "port " pt ": ours '" val(our_port, pt) "', ss '" row "'"
	}
	for (pt in our_port)
		if (!(pt in ss_seen) && bad == "")
			bad = "port " pt ": ours '" our_port[pt] "', ss has none"
	verdict("ports=ss", bad == "" ? "equal" : bad, "equal")
	nr_ports = 0
	for (pt in ss_seen)
		nr_ports++

	# the raw numbers, for a failure's reader
	line = ""
	for (i = 1; i <= nr_names; i++)
		line = line " " names[i] "=" val(ours, names[i]) "/" (n[names[i]] + 0)
	print "TWGUEST " p " ours/ss:" line " tw_total=" val(ours, "tw_total") "/" \
	      val(oracle, "tw_total") " ports=" nr_ports
}
