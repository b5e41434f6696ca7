/** Characters a terminal or a text viewer would act on rather than show: C0/C1 controls, line separators, bidi overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A CSV cell (RFC 4180 quoting). Cells that a spreadsheet would run as a formula (starting with
 * =, +, -, @, tab or carriage return, or their full-width forms) get a leading apostrophe and are
 * quoted (OWASP's CSV injection advice).
 */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe62\ufe63]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A Markdown table cell: pipes, backticks, emphasis, links, images, HTML and line breaks cannot
 * break out of the cell or change what it shows; control characters are shown as `\uXXXX`.
 */
export function markdownCell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(CONTROL, visible)
    .replace(/[\\`*_~|]/g, (c) => `\\${c}`)
    .replace(/\]\(/g, ']\\(') // `[text](url)` and `![alt](url)`: no links, no images loaded from elsewhere
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Text for the terminal: control characters (escape sequences, line breaks) are shown as `\uXXXX`, not obeyed. */
export function terminalText(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : visible(c)));
}
