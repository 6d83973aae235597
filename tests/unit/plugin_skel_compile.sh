#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# <eunomia/plugin_skel.h> must compile cleanly, as plugins use it, with
# gcc and clang as C11 and with g++ and clang++ as C++20, at
# -Wall -Wextra -pedantic -Werror.
#
# usage: plugin_skel_compile.sh SOURCE_DIR
set -eu

src=$1
tu=$src/tests/unit/plugin_skel_compile.c
warn="-Wall -Wextra -pedantic -Werror"
failed=0

for cc in gcc clang; do
	echo "== $cc -std=c11"
	$cc -std=c11 $warn -I"$src/include" -fsyntax-only "$tu" || failed=1
done
for cxx in g++ clang++; do
	echo "== $cxx -std=c++20"
	$cxx -x c++ -std=c++20 $warn -I"$src/include" -fsyntax-only "$tu" || failed=1
done
[ $failed = 0 ] || { echo "FAIL: <eunomia/plugin_skel.h> does not compile cleanly (above)" >&2; exit 1; }
echo "ok: <eunomia/plugin_skel.h> compiles as C11 (gcc, clang) and C++20 (g++, clang++)"
