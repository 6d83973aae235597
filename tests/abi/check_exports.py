#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
"""What the built libeunomia.so exports, against lib/libeunomia.map and the
public headers.

  check_exports.py symbols LIB MAP VERSION HEADER...
      nm -D --defined-only LIB equals the map: the same names, each in the
      version node the map puts it in, one node per release, the newest
      <PREFIX>_<major>.<minor> of VERSION (PREFIX from the map's first
      node: LIBEUNOMIA, LIBEUNOMIA_OTLP); and the functions the HEADER
      files (the library's own public headers) declare with EUN_API are
      exactly those.
  check_exports.py needed LIB
      readelf -d LIB names no HTTP server nor TLS library among what it
      needs: libmicrohttpd is loaded only by eun_metrics_serve().
  check_exports.py last-members HEADER
      every struct of HEADER starting with `size_t sz;` is followed by
      #define EUN_LAST_<struct> naming its last member (EUN_KNOWN_SZ()).
"""
import re
import subprocess
import sys
from pathlib import Path

failures = []


def fail(msg):
    failures.append(msg)


def parse_map(path):
    """[(node, parent, [symbols])] in file order."""
    text = re.sub(r'/\*.*?\*/', '', Path(path).read_text(), flags=re.S)
    nodes = []
    for m in re.finditer(r'(\w[\w.]*)\s*\{(.*?)\}\s*([\w.]*)\s*;', text, flags=re.S):
        name, body, parent = m.group(1), m.group(2), m.group(3) or None
        glob = re.search(r'global:(.*?)(local:|$)', body, flags=re.S)
        syms = re.findall(r'([^\s;]+)\s*;', glob.group(1)) if glob else []
        nodes.append((name, parent, syms))
    return nodes


def node_prefix(name):
    m = re.fullmatch(r'(LIBEUNOMIA\w*?)_\d+\.\d+', name)
    return m.group(1) if m else None


def node_version(name, prefix='LIBEUNOMIA'):
    m = re.fullmatch(prefix + r'_(\d+)\.(\d+)', name)
    return (int(m.group(1)), int(m.group(2))) if m else None


def check_symbols(lib, mapfile, version, *headers):
    nodes = parse_map(mapfile)
    if not nodes:
        fail(f'{mapfile}: no version node')
        return
    prefix = node_prefix(nodes[0][0]) or 'LIBEUNOMIA'
    in_map = {}
    prev = None
    for name, parent, syms in nodes:
        v = node_version(name, prefix)
        if not v:
            fail(f'{mapfile}: node {name} is not {prefix}_<major>.<minor>')
        if prev and (parent != prev[0]):
            fail(f'{mapfile}: node {name} must inherit {prev[0]}, the release before it')
        if prev and v and prev[1] and v <= prev[1]:
            fail(f'{mapfile}: node {name} does not come after {prev[0]}')
        if not prev and parent:
            fail(f'{mapfile}: the first node {name} inherits {parent}')
        for s in syms:
            if '*' in s or '?' in s:
                fail(f'{mapfile}: node {name} has a wildcard ({s}); list every symbol')
            if s in in_map:
                fail(f'{mapfile}: {s} is in {in_map[s]} and in {name}')
            in_map[s] = name
        prev = (name, v)
    major, minor = version.split('.')[:2]
    want = f'{prefix}_{major}.{minor}'
    if nodes[-1][0] != want:
        fail(f'{mapfile}: the newest node is {nodes[-1][0]}, but the project version {version} '
             f'needs {want}: add a node for the symbols this release adds')

    out = subprocess.run(['nm', '-D', '--defined-only', lib], check=True, capture_output=True,
                         text=True).stdout
    exported, version_defs = {}, set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, sym = parts[1], parts[2]
        if kind == 'A' and node_version(sym, prefix):
            version_defs.add(sym)
            continue
        name, _, ver = sym.partition('@')
        exported[name] = ver.lstrip('@')
    for name, ver in sorted(exported.items()):
        if name not in in_map:
            fail(f'{lib} exports {name}, which {mapfile} does not list')
        elif ver != in_map[name]:
            fail(f'{lib} exports {name} at version {ver or "(none)"}, the map says {in_map[name]}')
    for name in sorted(set(in_map) - set(exported)):
        fail(f'{mapfile} lists {name}, which {lib} does not define')
    if version_defs != {n for n, _, _ in nodes}:
        fail(f'{lib} defines the versions {sorted(version_defs)}, the map '
             f'{[n for n, _, _ in nodes]}')

    declared = set()
    for h in sorted(Path(x) for x in headers):
        text = re.sub(r'/\*.*?\*/', '', h.read_text(), flags=re.S)
        for decl in re.findall(r'\bEUN_API\b([^;{]*?)\(', text):
            if decl.strip().startswith('__attribute__'):
                continue  # the #define of EUN_API itself
            declared.add(re.findall(r'(\w+)\s*$', decl)[0])
    for name in sorted(declared - set(in_map)):
        fail(f'a header declares {name} with EUN_API, {mapfile} does not list it')
    for name in sorted(set(in_map) - declared):
        fail(f'{mapfile} lists {name}, no public header declares it with EUN_API')
    if not failures:
        print(f'ok: {len(exported)} symbols in {len(nodes)} version nodes, newest {want}; '
              f'{len(declared)} EUN_API declarations')


def check_last_members(header):
    text = Path(header).read_text()
    n = 0
    for m in re.finditer(r'^struct (\w+) \{\n(.*?)^\};\n', text, flags=re.S | re.M):
        name, body = m.group(1), re.sub(r'/\*.*?\*/', '', m.group(2), flags=re.S)
        members = re.findall(r'(\w+)\s*(?:\[[^\]]*\])?\s*;', body)
        if not members or members[0] != 'sz':
            continue
        n += 1
        real = [x for x in members if not re.fullmatch(r'\d+', x)]  # `size_t :0;` has no name
        after = re.match(r'#define EUN_LAST_(\w+) (\w+)\n', text[m.end():])
        if not after or after.group(1) != name:
            fail(f'{header}: struct {name} is not followed by #define EUN_LAST_{name} <member>')
        elif after.group(2) != real[-1]:
            fail(f'{header}: EUN_LAST_{name} is {after.group(2)}, but the last member of '
                 f'struct {name} is {real[-1]}')
    if not n:
        fail(f'{header}: no struct starting with sz found')
    if not failures:
        print(f'ok: the {n} sized structs of {header} name their last members')


# An embedder that only traces must not load these (docs/prometheus.md).
NOT_NEEDED = re.compile(r'microhttpd|gnutls|nettle|hogweed|gmp|p11-kit|tasn1|idn2|unistring|'
                        r'libssl|libcrypto|curl')


def check_needed(lib):
    out = subprocess.run(['readelf', '-d', lib], check=True, capture_output=True,
                         text=True).stdout
    needed = re.findall(r'\(NEEDED\)\s+Shared library: \[([^\]]+)\]', out)
    if not needed:
        fail(f'readelf -d {lib} shows no NEEDED entry at all; is it a shared library?')
    for n in needed:
        if NOT_NEEDED.search(n):
            fail(f'{lib} needs {n}; libeunomia must not link an HTTP or TLS library')
    if not failures:
        print(f'ok: {lib} needs only {", ".join(needed)}')


def main():
    if len(sys.argv) >= 6 and sys.argv[1] == 'symbols':
        check_symbols(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == 'needed':
        check_needed(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == 'last-members':
        check_last_members(sys.argv[2])
    else:
        sys.exit(__doc__)
    for f in failures:
        print('FAIL: ' + f, file=sys.stderr)
    sys.exit(1 if failures else 0)


main()
