#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# Embed a file as a C byte array: embed.py INPUT OUTPUT SYMBOL
import sys

data = open(sys.argv[1], 'rb').read()
sym = sys.argv[3]
with open(sys.argv[2], 'w') as out:
    out.write('/* Generated from %s by embed.py; do not edit. */\n#include <stddef.h>\n' % sys.argv[1].split('/')[-1])
    out.write('const char %s[] = {\n' % sym)
    for i in range(0, len(data), 16):
        out.write('\t' + ''.join('0x%02x, ' % b for b in data[i:i + 16]) + '\n')
    out.write('};\nconst size_t %s_len = %d;\n' % (sym.replace('_json', ''), len(data)))
