#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# The public headers compile without a warning (-pedantic -Wall -Wextra
# -Werror) as C99 and C11 with gcc and clang, and as C++17 and C++20 with g++
# and clang++: each header on its own, and use_headers.c, which uses every
# public macro. And a plugin written in C++ exports its entry symbol with C
# linkage, unmangled, whichever C++ compiler builds it.
# Usage: check_headers.sh SRCDIR BUILDDIR GCC CLANG GXX CLANGXX
set -euo pipefail
src=$1 build=$2
ccs=("$3" "$4") cxxs=("$5" "$6")
inc=(-I"$src/include" -I"$build/include")
flags=(-pedantic -Wall -Wextra -Werror)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

try() { # what, then the command
	local what=$1
	shift
	if ! "$@" 2>"$tmp/err"; then
		echo "FAIL: $what:" >&2
		sed 's/^/    /' "$tmp/err" >&2
		failed=1
	fi
}

# Every installed header, and the generated version.h.
headers=(version)
for h in "$src"/include/eunomia/*.h; do
	headers+=("$(basename "$h" .h)")
done
for h in "${headers[@]}"; do
	# A declaration after the include: an empty translation unit is itself pedantic.
	printf '#include <eunomia/%s.h>\nint header_check_%s;\n' "$h" "${h//-/_}" >"$tmp/$h.c"
done

n=0
for cc in "${ccs[@]}"; do
	for std in c99 c11; do
		for h in "${headers[@]}"; do
			try "$cc -std=$std <eunomia/$h.h>" "$cc" -std=$std "${flags[@]}" "${inc[@]}" \
				-x c -c "$tmp/$h.c" -o "$tmp/out.o"
		done
		try "$cc -std=$std use_headers.c" "$cc" -std=$std "${flags[@]}" "${inc[@]}" \
			-x c -c "$src/tests/headers/use_headers.c" -o "$tmp/out.o"
		n=$((n + 1))
	done
done
for cxx in "${cxxs[@]}"; do
	for std in c++17 c++20; do
		for h in "${headers[@]}"; do
			try "$cxx -std=$std <eunomia/$h.h>" "$cxx" -std=$std "${flags[@]}" "${inc[@]}" \
				-x c++ -c "$tmp/$h.c" -o "$tmp/out.o"
		done
		try "$cxx -std=$std use_headers.c" "$cxx" -std=$std "${flags[@]}" "${inc[@]}" \
			-x c++ -c "$src/tests/headers/use_headers.c" -o "$tmp/out.o"
		n=$((n + 1))
	done
	# The C++ test plugin, built by this compiler: the loader finds the
	# entry by its C name, so that name must be exported, and no mangled one.
	so="$tmp/cxx_words.so"
	try "$cxx builds the C++ plugin" "$cxx" -std=c++20 "${flags[@]}" "${inc[@]}" -fPIC -shared \
		-fvisibility=hidden -fvisibility-inlines-hidden -o "$so" "$src/tests/fixtures/cxx/cxx_words.cpp"
	if [ -f "$so" ]; then
		syms=$(nm -D --defined-only "$so" | awk '{print $3}')
		grep -qx eun_plugin_entry <<<"$syms" ||
			{ echo "FAIL: $cxx: the C++ plugin does not export eun_plugin_entry" >&2; failed=1; }
		if grep -v -x eun_plugin_entry <<<"$syms" | grep -q 'eun_plugin_entry'; then
			echo "FAIL: $cxx: the C++ plugin exports a mangled entry:" >&2
			grep 'eun_plugin_entry' <<<"$syms" >&2
			failed=1
		fi
		rm -f "$so"
	fi
done
[ $failed = 0 ] || exit 1
echo "ok: ${#headers[@]} headers and use_headers.c in $n compiler/standard pairs; the C++ plugin's entry is unmangled"
