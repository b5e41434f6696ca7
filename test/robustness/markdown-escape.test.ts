import fc from 'fast-check';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { markdownCell } from '../../packages/cli/src/escape.js';
import { hostileStrings } from './arbitraries.js';

/** Text that GitHub would turn into a link, an image, a ping or a reference if it reached a PR comment raw. */
const injections = [
  'http://evil.example', 'https://evil.example/x?y=1', 'HTTPS://EVIL.EXAMPLE', 'ftp://evil.example', 'www.evil.example',
  'WWW.evil.example/path', 'a@b.co', 'mailto:a@b.co', 'xmpp:a@b.co', '@team', '@org/team', '@octocat,', '#12', 'GH-12',
  '|', '\\|', '<img src=x onerror=alert(1)>', '<a href="http://x">x</a>', '](http://x)', '[x](http://x)', '![p](http://x/p.png)',
  '<http://x>', '&lt;img&gt;', '&#64;team', '[x]: http://x', '`', '**', '~~', '\u001b[31m', '\u009b', '\u202e', '\ud800', '\udc00x',
  '\r\n', '\u0000', ' ', '\t',
];

const piece = fc.oneof(fc.constantFrom(...injections, ...hostileStrings), fc.string({ maxLength: 6, unit: 'binary' }));
const cellText = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));

/** A table as GitHub renders it (micromark with every GFM extension: tables, autolink literals, strikethrough). */
function render(cells: readonly string[]): string {
  const header = `| ${cells.map((_, i) => `h${i}`).join(' | ')} |`;
  const rule = `| ${cells.map(() => '---').join(' | ')} |`;
  const row = `| ${cells.map(markdownCell).join(' | ')} |`;
  return micromark([header, rule, row].join('\n'), { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

/** The text of the body cells, with the markup micromark writes around text (`&amp;` and the like) decoded. */
function bodyCells(html: string): string[] {
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
}

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('Markdown cells rendered by a GitHub-flavoured Markdown parser', () => {
  it('keep the number of cells, and hold no link, image, HTML element, mention or issue reference', () => {
    fc.assert(
      fc.property(fc.array(cellText, { minLength: 1, maxLength: 4 }), (cells) => {
        const html = render(cells);
        const tds = bodyCells(html);
        expect(tds).toHaveLength(cells.length);
        for (const td of tds) {
          expect(td).not.toMatch(/</); // no element at all inside a cell: no <a>, <img>, <code>, <em>, <del>, raw HTML
          const text = decode(td);
          expect(text).not.toMatch(/(?:^|[^\w`])@[a-z0-9]/i); // how GitHub finds a mention
          expect(text).not.toMatch(/(?:^|[^\w&])#\d/); // an issue or pull request reference
          expect(text).not.toMatch(/\bgh-\d/i);
          expect(text).not.toMatch(/[a-z]:\/\/|www\./i);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('show the text as written, apart from line breaks and control characters shown as \\uXXXX', () => {
    fc.assert(
      fc.property(cellText, (text) => {
        const [td] = bodyCells(render([text]));
        const shown = decode(td ?? '').replace(/\u200d/g, '');
        const expected = text.toWellFormed()
          .replace(/[\r\n]+/g, ' ')
          .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
          .replace(/^ +| +$/g, '');
        expect(shown).toBe(expected.replace(/\u200d/g, ''));
      }),
      { numRuns: 500 },
    );
  });

  it('render a bare URL, an e-mail address and a team mention as plain text', () => {
    const [td] = bodyCells(render(['ask @org/team or a@b.co, see https://evil.example and www.evil.example']));
    expect(td).toBe('ask @\u200dorg/team or a@\u200db.co, see https:\u200d//evil.example and www\u200d.evil.example');
  });
});
