# Secure Boot's module path, on the kernel that enforces module signatures
# (tests/check-kernel.sh modsig-6.1): it trusts a test key made the way
# DKMS makes its MOK key.  run-all.sh has already loaded /lib/tw_stats.ko,
# the module a real "dkms build" built and signed with that key.  Here:
# the same module unsigned, and signed the same way by a key the kernel
# does not trust, are refused with EKEYREJECTED and leave nothing behind;
# signed with sign-file as dkms runs it, it loads and serves its file.
if [ ! -f /lib/tw_stats-unsigned.ko ]; then
	skip signatures "not the module-signing kernel (tests/check-kernel.sh modsig-6.1)"
	return 0
fi

# the test key is in the kernel's trusted keyring (loaded at boot)
expect_true test_key_trusted "no DKMS key among the kernel's X.509 certificates" \
	sh -c "dmesg | grep -q \"Loaded X.509 cert 'DKMS module signing key: \""
# and the signatures are enforced, not just checked
expect_eq sig_enforce "$(cat /sys/module/module/parameters/sig_enforce)" Y

# the DKMS-built module run-all.sh loaded serves its file, untainted by
# a missing signature (taint E, 8192, is what an unenforcing kernel sets)
expect_true dkms_module_loaded "tw_stats (dkms build) is not loaded" test -r $STATS
expect_eq dkms_module_serves "$(tw tw_total)" 0
expect_eq not_tainted_unsigned "$(( $(cat /proc/sys/kernel/tainted) & 8192 ))" 0
rmmod tw_stats || fail rmmod "rmmod tw_stats failed"

# refused KO DMESG: insmod of /lib/KO.ko fails with EKEYREJECTED, the
# kernel says why (DMESG), and no module and no file is left behind.
refused() {
	local ko=$1 why=$2 seen
	seen=$(dmesg | wc -l)
	if insmod /lib/$ko.ko 2> /tmp/$ko.err; then
		fail $ko.refused "insmod loaded it"
		rmmod tw_stats
		return
	fi
	pass $ko.refused
	expect_true $ko.ekeyrejected "insmod said: $(cat /tmp/$ko.err)" \
		grep -q 'Key was rejected by service' /tmp/$ko.err
	expect_true $ko.kernel_says_why "dmesg has no '$why'" \
		sh -c "dmesg | tail -n +$((seen + 1)) | grep -q '$why'"
	expect_true $ko.no_module "/sys/module/tw_stats exists" test ! -e /sys/module/tw_stats
	expect_true $ko.no_file "$STATS exists" test ! -e $STATS
}
refused tw_stats-unsigned "Loading of unsigned module is rejected"
refused tw_stats-untrusted "Loading of module with unavailable key is rejected"

# signed with sign-file exactly as dkms runs it: loads and serves
if insmod /lib/tw_stats-signfile.ko cache_ms=0; then
	pass signfile.loads
	expect_true signfile.file "no $STATS" test -r $STATS
	expect_eq signfile.serves "$(tw tw_total)" 0
	rmmod tw_stats
else
	fail signfile.loads "insmod refused the module signed with the trusted key"
fi

# leave the DKMS-built module loaded, as run-all.sh had it
insmod /lib/tw_stats.ko cache_ms=0 && pass dkms_module_reloads ||
	fail dkms_module_reloads "insmod /lib/tw_stats.ko failed"
