/**
 * A run of a source's text that holds at most one YAML document, cut at document markers, so that
 * each document can be read on its own: one document with an anchor, a tag or an error takes the
 * exact (slow) reader alone, and the others keep the fast one.
 */
export interface DocumentPiece {
  /** The piece's text: whole lines of the source, from `start`. */
  readonly text: string;
  /** Offset of the piece in the source text. */
  readonly start: number;
  /** 1-based line of the source on which the piece starts (always at the start of a line). */
  readonly line: number;
  /** True when the piece holds only blank and comment lines: no document at all. */
  readonly blank: boolean;
}

/**
 * Cuts a source at its document markers: a piece starts at each `---` line and ends after each
 * `...` line. A marker is three dashes or dots at the start of a line followed by a space, a tab or
 * the end of the line; YAML forbids such a line inside any scalar (block, quoted or plain), so it
 * always separates documents and a cut never falls inside one. Directives (`%YAML`, `%TAG`) belong
 * to the document whose `---` follows them, so a piece of directives and comments only is not cut
 * from that `---`. A directive after content (which YAML allows only after `...`) makes the source
 * one piece, left to the reader as it is. One pass over the lines; nothing is copied (slices).
 */
export function splitDocuments(text: string): readonly DocumentPiece[] {
  const pieces: DocumentPiece[] = [];
  let start = 0;
  let startLine = 1;
  // what the current piece holds so far: only blank and comment lines, and whether a directive
  let blank = true;
  let directive = false;
  const cut = (end: number, nextLine: number) => {
    if (end > start) pieces.push({ text: text.slice(start, end), start, line: startLine, blank: blank && !directive });
    start = end;
    startLine = nextLine;
    blank = true;
    directive = false;
  };
  let line = 1;
  for (let at = 0; at < text.length; line++) {
    const newline = text.indexOf('\n', at);
    const next = newline < 0 ? text.length : newline + 1;
    const first = text.charCodeAt(at);
    if (first === 0x2d /* - */ && isMarker(text, at, '---')) {
      if (!directive) cut(at, line);
      blank = false;
      directive = false;
    } else if (first === 0x2e /* . */ && isMarker(text, at, '...')) {
      blank = false;
      cut(next, line + 1);
    } else if (first === 0x25 /* % */) {
      if (!blank) return [{ text, start: 0, line: 1, blank: false }];
      directive = true;
    } else if (blank && !isBlankOrComment(text, at, next)) {
      blank = false;
    }
    at = next;
  }
  cut(text.length, line);
  return pieces;
}

function isMarker(text: string, at: number, marker: string): boolean {
  if (!text.startsWith(marker, at)) return false;
  const after = text.charCodeAt(at + 3);
  return Number.isNaN(after) || after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d;
}

/** Whether the line from `at` to `end` holds only spaces, tabs and perhaps a comment. */
function isBlankOrComment(text: string, at: number, end: number): boolean {
  for (let i = at; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x23 /* # */) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xfeff /* a byte order mark */) return false;
  }
  return true;
}
