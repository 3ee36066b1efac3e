# Print the seconds left on each timewait timer in `ss -Htano` output,
# decoding ss's print_ms_timer() forms: "59sec", "9.123ms" (9.123 s),
# "123ms", "1min", "1min2sec".  Values are truncated, as ss prints them.
{
	if (!match($0, /timer:\(timewait,[^,]*,/))
		next
	t = substr($0, RSTART + 16, RLENGTH - 17)
	left = 0
	if (match(t, /^[0-9]+min/)) {
		left = substr(t, 1, RLENGTH - 3) * 60
		t = substr(t, RLENGTH + 1)
	}
	if (t ~ /^[0-9]+\.[0-9]+ms$/) {
		split(substr(t, 1, length(t) - 2), p, ".")
		left += p[1] + p[2] / 1000
	} else if (t ~ /^[0-9]+ms$/) {
		left += substr(t, 1, length(t) - 2) / 1000
	} else if (t ~ /^[0-9]+sec$/) {
		left += substr(t, 1, length(t) - 3)
	}
	print left
}
