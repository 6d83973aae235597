#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# The library's messages do not tell the user to run a command of the
# eunomia CLI: an embedder's users have no such command. The CLI adds those
# hints itself where it reports the error (tools/eunomia).
# usage: check_no_cli_names.sh LIBDIR
set -eu
hits=$(grep -rnE "['\`\"]eunomia (list|run|containers|version)\b|see 'eunomia|'eunomia'" "$1" \
	--include='*.c' --include='*.h' || true)
if [ -n "$hits" ]; then
	echo "FAIL: library sources name eunomia CLI commands:" >&2
	echo "$hits" >&2
	exit 1
fi
echo "ok: no library message names a CLI command"
