import { escapeXml, num } from './format.js';

/** Attribute values: numbers are rounded to 0.01, strings escaped, `undefined` left out. */
export type Attributes = Readonly<Record<string, string | number | undefined>>;

function attributes(attrs: Attributes): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return out;
}

/** One SVG element as text; children are already-written element strings, one per line. */
export function element(name: string, attrs: Attributes, children: readonly string[] = []): string {
  if (children.length === 0) return `<${name}${attributes(attrs)}/>`;
  return `<${name}${attributes(attrs)}>\n${children.join('\n')}\n</${name}>`;
}

/** An element with escaped text content, on one line: `<title>`, `<text>`. */
export function textElement(name: string, attrs: Attributes, content: string): string {
  return `<${name}${attributes(attrs)}>${escapeXml(content)}</${name}>`;
}
