/**
 * A small block-style YAML writer for the generator: maps and lists of plain data, written the way
 * `kubectl get -o yaml` and Helm charts write them (two-space indent, `- ` list items, scalars
 * quoted only where YAML would read them as something else). Fast enough for 50 MB of manifests.
 */

const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', '~', '']);
const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./:@+-]*$/;

/** A scalar as YAML text: plain where unambiguous, JSON double-quoted otherwise. */
export function scalar(value) {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = String(value);
  const plain = PLAIN.test(text)
    && !RESERVED.has(text.toLowerCase())
    && Number.isNaN(Number(text))
    && !/^\d{4}-\d\d-\d\d/.test(text) // timestamps
    && !/^0[xo]/i.test(text)
    && !/^[0-9._:+-]+$/.test(text); // sexagesimal and other number-like forms of YAML 1.1
  return plain ? text : JSON.stringify(text);
}

function isCollection(value) {
  return value !== null && typeof value === 'object';
}

function isEmpty(value) {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function emptyText(value) {
  return Array.isArray(value) ? '[]' : '{}';
}

function writeMap(map, indent, out) {
  const pad = ' '.repeat(indent);
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    const k = scalar(key);
    if (!isCollection(value)) out.push(`${pad}${k}: ${scalar(value)}`);
    else if (isEmpty(value)) out.push(`${pad}${k}: ${emptyText(value)}`);
    else {
      out.push(`${pad}${k}:`);
      if (Array.isArray(value)) writeList(value, indent + 2, out);
      else writeMap(value, indent + 2, out);
    }
  }
}

function writeList(list, indent, out) {
  const pad = ' '.repeat(indent);
  for (const item of list) {
    if (!isCollection(item)) {
      out.push(`${pad}- ${scalar(item)}`);
    } else if (isEmpty(item)) {
      out.push(`${pad}- ${emptyText(item)}`);
    } else if (Array.isArray(item)) {
      out.push(`${pad}-`);
      writeList(item, indent + 2, out);
    } else {
      // first key on the dash line, the rest aligned under it
      const start = out.length;
      writeMap(item, indent + 2, out);
      out[start] = `${pad}- ${out[start].slice(indent + 2)}`;
    }
  }
}

/** One document as block YAML, ending in a newline. */
export function toYaml(value) {
  const out = [];
  writeMap(value, 0, out);
  return `${out.join('\n')}\n`;
}

/** Documents joined with `---`, each optionally preceded by a `# Source:` comment as `helm template` writes. */
export function toYamlStream(documents) {
  return documents
    .map(({ value, source }) => `---\n${source ? `# Source: ${source}\n` : ''}${toYaml(value)}`)
    .join('');
}
