#!/usr/bin/env bash
# The shipped index sets cite the official documents only: no internal seed file names
# ("seed 002_…txt", "Seed 000"), no design-document references, and the texts a reader sees
# (source, notes, draft_note, and each criterion's note, guidance, source_issue, example notes)
# hold no code names such as `info_fields` or `max_points`. Each set's source names a document.
set -euo pipefail
cd "$(dirname "$0")/../.."
node - frameworks/*.json <<'JS'
const fs = require('fs');
const TEXT_KEYS = new Set(['source', 'notes', 'draft_note', 'note', 'guidance', 'source_issue']);
const errs = [];
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const walk = (v, path) => {
    if (typeof v === 'string') {
      if (/\bseed\b|\.txt\b|DESIGN/i.test(v)) errs.push(`${file} ${path}: internal reference: ${v.slice(0, 100)}`);
      const key = path.replace(/.*\./, '').replace(/\[\d+\]$/, '');
      const code = /\b[a-z]+_[a-z0-9_]+\b|"demo": *true/.exec(v);
      if (TEXT_KEYS.has(key) && code) errs.push(`${file} ${path}: code name “${code[0]}” in a reader's text`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(doc, '');
  if (!/(Quyết định|Báo cáo|Hướng dẫn|Phụ lục)/.test(doc.source ?? '')) errs.push(`${file}: source names no document: ${doc.source}`);
}
if (errs.length) { console.error('FAIL:\n  ' + errs.join('\n  ')); process.exit(1); }
console.log(`frameworks_citations: ${process.argv.length - 2} index sets cite official documents only`);
JS
