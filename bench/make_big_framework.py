#!/usr/bin/env python3
"""bench/make_big_framework.py SRC OUT TARGET_BYTES — a valid index set of about TARGET_BYTES
made of copies of SRC's pillars (keys and codes suffixed, totals adjusted), for benchmarks."""
import copy, json, sys

src, out, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = json.load(open(src, encoding='utf-8'))
one = len(json.dumps(base['pillars'], ensure_ascii=False, indent=1).encode())
copies = max(1, target // one)
pillars = []
for k in range(copies):
    for p in base['pillars']:
        p = copy.deepcopy(p)
        p['key'] += f'-{k}'
        p['code'] = f"{p['code']}.{k}"[:32]
        for g in p['groups']:
            g['key'] += f'-{k}'
            for c in g['criteria']:
                c['key'] += f'-{k}'
        pillars.append(p)
doc = dict(base)
doc['id'] = 'bench-big'
doc['pillars'] = pillars
doc['max_points'] = base['max_points'] * copies
with open(out, 'w', encoding='utf-8') as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
