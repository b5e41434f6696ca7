/** Characters a terminal or a text viewer would act on rather than show: C0/C1 controls, line separators, bidi overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Lone UTF-16 surrogates, which no UTF-8 encoder, `jq` or SARIF upload accepts. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` with every lone surrogate replaced by U+FFFD, so it encodes to valid UTF-8 (what `String.prototype.toWellFormed` does, which ES2023 lacks). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * A CSV cell (RFC 4180 quoting). Every cell holding a separator of any common locale (`,` and, in
 * locales that write decimal commas, `;` or a tab), a quote or a line break is quoted. Cells that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return, or their
 * full-width forms) get a leading apostrophe and are quoted (OWASP's CSV injection advice).
 * Control characters (ESC, C1 such as U+009B, line breaks, bidi overrides) are shown as `\uXXXX`,
 * so a terminal that prints the file or a viewer that shows it obeys none of them.
 */
export function csvCell(text: string): string {
  const formula = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe62\ufe63]/.test(text);
  const shown = wellFormed(text).replace(CONTROL, visible);
  const safe = formula ? `'${shown}` : shown;
  return formula || /[",;\t\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A zero-width joiner (U+200D), which GitHub shows as nothing: placed after `http:`, `www`, `@`, and `#` before a digit, it breaks the
 * patterns that GitHub's Markdown turns into links (GFM autolink literals: `http://`, `https://`,
 * `www.`, e-mail addresses) and into pings or references (`@name`, `@org/team`, `#12`), while the
 * text a reader sees stays the same. An HTML entity would not do: GitHub finds mentions in the
 * rendered text, after entities are decoded; a code span would change how the cell looks.
 */
const JOINER = '\u200d';

/**
 * A Markdown table cell: pipes, backticks, emphasis, links, images, HTML and line breaks cannot
 * break out of the cell or change what it shows; bare URLs, e-mail addresses, mentions and issue
 * references render as plain text (no link, no ping); control characters are shown as `\uXXXX`.
 */
export function markdownCell(text: string): string {
  return wellFormed(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(CONTROL, visible)
    .replace(/:(?=\/\/)/g, `:${JOINER}`) // any scheme, not only http(s): `ftp://`, `javascript://`
    .replace(/(www)(?=\.)/gi, `$1${JOINER}`)
    .replace(/@/g, `@${JOINER}`) // mentions, teams, e-mail addresses, `mailto:`/`xmpp:` literals
    .replace(/(#|\bgh-)(?=\d)/gi, `$1${JOINER}`) // `#12`, `repo#12`, `GH-12`; a rule id's `#ingress[0]` keeps its text
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
