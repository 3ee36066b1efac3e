/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The entry points of the layer above the core (files/: /proc and
 * debugfs), for main.c, which starts the layers in order; declared here
 * so that no core file ever includes a header of that layer.
 */
#ifndef TW_STATS_LAYERS_H
#define TW_STATS_LAYERS_H

int tw_files_register(void);
void tw_files_unregister(void);

#endif /* TW_STATS_LAYERS_H */
