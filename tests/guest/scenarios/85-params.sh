# Module parameter writes: garbage and out-of-range values are refused
# and change nothing; a valid value is taken.
p=$TW_PARAMS/cache_ms
echo 250 > $p
# each value is written as echo writes it, with a newline
for bad in abc -1 60001 99999999999 "" 12x "1 2" 0x; do
	name=rejects_$(printf '%s' "${bad:-empty}" | tr -c 'a-z0-9' '_')
	if echo "$bad" > $p 2>/dev/null; then
		fail "$name" "write of '$bad' succeeded"
	else
		pass "$name"
	fi
done
expect_eq unchanged_after_garbage "$(cat $p)" 250
echo 60000 > $p && pass accepts_max || fail accepts_max "60000 refused"
echo 0 > $p
expect_eq accepts_zero "$(cat $p)" 0
expect_true modinfo_documents_cache_ms "parameter has no description" \
	sh -c "tr '\\0' '\\n' < /lib/tw_stats.ko | grep -q '^parm=cache_ms:.'"
