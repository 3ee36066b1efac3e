/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scan of sysctl.d and sysctl.conf for the settings twstat's advice names.
 */
#ifndef TW_SYSCTL_CONF_H
#define TW_SYSCTL_CONF_H

/*
 * The "sysctl_conf" file's text (malloc()ed): "key<TAB>value<TAB>path:line"
 * lines.
 */
char *tw_scan_sysctl_conf(void);

#endif
