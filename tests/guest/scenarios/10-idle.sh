# A namespace with no sockets: every count is zero and agrees with ss.
expect_eq tw_total "$(tw tw_total)" 0
expect_eq state_listen "$(tw state_listen)" 0
compare_all idle
expect_eq tw_max_buckets=sysctl "$(tw tw_max_buckets)" \
	"$(sysctl -n net.ipv4.tcp_max_tw_buckets)"
# the boot log names the table sizes (one ehash shared by all namespaces)
expect_eq ehash_buckets=dmesg "$(tw ehash_buckets)" \
	"$(dmesg | sed -n 's/.*TCP established hash table entries: \([0-9]*\).*/\1/p' | head -n 1)"
expect_eq bhash_buckets=dmesg "$(tw bhash_buckets)" \
	"$(dmesg | sed -n 's/.*TCP bind hash table entries: \([0-9]*\).*/\1/p' | head -n 1)"
expect_true walk_covers_ehash "walk_buckets $(tw walk_buckets) < ehash_buckets" \
	test "$(tw walk_buckets)" -gt "$(tw ehash_buckets)"
