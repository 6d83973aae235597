/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The `files` tracker's io mode (filetop-style read/write accounting), the
 * user-space half of files_io.bpf.h: its schema, config keys, setup
 * and collect(). files.c puts these into its descriptor.
 */
#ifndef EUN_PLUGIN_FILES_IO_H
#define EUN_PLUGIN_FILES_IO_H

#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "files_io_record.h"

/* Fields of `io` records (FILES_IO_N_FIELDS entries). */
extern const struct eun_field files_io_fields[];
#define FILES_IO_N_FIELDS 10

/* Entry of the `files` tracker's event_types[] for `io` records. */
#define FILES_IO_EVENT_TYPE                                                                    \
	{ .name = "io", .description = "reads and writes of one file by one process over one interval", \
	  .id = FILES_IO, .record_size = sizeof(struct files_io_event),                         \
	  .fields = files_io_fields, .n_fields = FILES_IO_N_FIELDS }

/* Defaults of the io-mode keys, which are refused while io is off. */
#define FILES_IO_DEFAULT_INTERVAL_MS 1000
#define FILES_IO_STR_(x) #x
#define FILES_IO_STR(x) FILES_IO_STR_(x)

/* Entries of the `files` tracker's config_keys[] for the io mode. */
#define FILES_IO_CONFIG_KEYS                                                                   \
	{ .name = "io", .description = "also count reads and writes per process and file and emit "  \
	  "them as `io` records (adds a program to every read and write)",                      \
	  .default_value = "false", .type = EUN_CONFIG_BOOL },                                   \
	{ .name = "interval_ms", .description = "io mode: emit the counts every this many ms; 0: only at stop", \
	  .default_value = FILES_IO_STR(FILES_IO_DEFAULT_INTERVAL_MS), .type = EUN_CONFIG_UINT,  \
	  .min = 0, .max = 86400000 },                                                           \
	{ .name = "io_top", .description = "io mode: emit at most this many records per interval, " \
	  "most bytes first; 0: all", .default_value = "0", .type = EUN_CONFIG_UINT,             \
	  .min = 0, .max = FILES_IO_MAX_ENTRIES },                                               \
	{ .name = "io_all", .description = "io mode: count every kind of file (sockets, pipes, " \
	  "terminals...), not only regular files", .default_value = "false",                      \
	  .type = EUN_CONFIG_BOOL }

/* Read the io config keys of sp (an opened files_bpf skeleton): when io is
 * on, pass its options to the BPF side and set the collect interval; when
 * off, keep the io programs from loading and refuse io-mode keys changed
 * from their defaults. 0 or -errno with the error set. */
int files_io_configure(struct eun_skel *sp);

/* The collect() operation: emit the io counts of the last interval (none
 * when io is off) and reset them. state is the files tracker's struct eun_skel. */
int files_io_collect(void *state);

#endif /* EUN_PLUGIN_FILES_IO_H */
