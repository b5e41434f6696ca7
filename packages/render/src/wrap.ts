/**
 * Text broken onto lines of at most `max` characters (code points), at spaces and commas (never inside a CIDR)
 * where it can and inside a word only where a word alone is longer than a line. Nothing is left
 * out: joined again, the lines give back the text (less the spaces at the breaks). For table
 * cells and shape labels whose whole text is evidence (an ipBlock's `except` ranges, policy names).
 */
export function wrapText(text: string, max: number): string[] {
  if (Array.from(text).length <= max) return [text];
  const pieces = text.split(/(?<=[ ,])/);
  const lines: string[] = [];
  let line = '';
  const flush = () => {
    const trimmed = line.trimEnd();
    if (trimmed !== '') lines.push(trimmed);
    line = '';
  };
  for (const piece of pieces) {
    if (Array.from(line + piece).length <= max || (line === '' && Array.from(piece).length <= max)) {
      line += piece;
      continue;
    }
    // the piece does not fit what is left of the line: a new line, and a piece longer than a line is cut
    if (Array.from(line.trimEnd() + piece.trimEnd()).length <= max) {
      line += piece;
      continue;
    }
    flush();
    let rest = Array.from(piece);
    while (rest.length > max) {
      lines.push(rest.slice(0, max).join(''));
      rest = rest.slice(max);
    }
    line = rest.join('');
  }
  flush();
  return lines.length > 0 ? lines : [''];
}
