// A validation error's JSON path in an uploaded index set ("pillars[2].groups[1].criteria[0].max_points")
// read as a place a person finds in the document: "Trụ cột III › Nhóm 2 › Tiêu chí 2.1 (khoá iii-2-1)
// › max_points". Codes and keys come from the uploaded file itself; a missing one falls back to the
// position (1-based), as the error may be about that very field.

const LEVELS: [string, string][] = [['pillars', 'Trụ cột'], ['groups', 'Nhóm'], ['criteria', 'Tiêu chí']];

/** A short display form of a code or key from the file, or null when it is not usable text. */
function shown(v: unknown): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const s = String(v).trim();
  if (/^[\s—-]*$/.test(s)) return null;  // "—" stands for "no display code"
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

/** The human place of `path` in the parsed file `doc`, or null when the path names no pillar. */
export function errorPlace(doc: unknown, path: string): string | null {
  if (!doc || typeof doc !== 'object') return null;
  const parts: string[] = [];
  let node: any = doc;
  let rest = path;
  for (const [key, name] of LEVELS) {
    const m = new RegExp(`^${key}\\[(\\d+)\\]\\.?`).exec(rest);
    if (!m) break;
    const i = Number(m[1]);
    node = Array.isArray(node?.[key]) ? node[key][i] : undefined;
    const k = key === 'criteria' ? shown(node?.key) : null;
    parts.push(`${name} ${shown(node?.code) ?? i + 1}${k ? ` (khoá ${k})` : ''}`);
    rest = rest.slice(m[0].length);
  }
  if (!parts.length) return null;
  if (rest) parts.push(rest);
  return parts.join(' › ');
}
