import { inflateSync } from 'node:zlib';

// A reader for the PDFs pdfkit writes (a classic cross-reference table, no object streams): enough
// to read the pages, the fonts and the text as a PDF viewer does, through each font's ToUnicode
// map, without a PDF library as a dependency. It throws on anything else rather than guess.

/** One `N 0 obj`: its dictionary text and, for a stream, its decoded bytes. */
export interface PdfObject {
  readonly dictionary: string;
  readonly stream?: Buffer;
}

export interface PdfPage {
  /** The MediaBox width and height, in points. */
  readonly width: number;
  readonly height: number;
  /** The text of each BT … ET block of the page's content, decoded through the fonts' ToUnicode maps. */
  readonly texts: readonly string[];
}

/** Every indirect object of `pdf`, by object number; streams are inflated when FlateDecode. */
export function readObjects(pdf: Uint8Array): Map<number, PdfObject> {
  const bytes = Buffer.from(pdf);
  const text = bytes.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\n/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text)) !== null) {
    const start = header.lastIndex;
    const streamAt = text.indexOf('\nstream\n', start);
    const endAt = text.indexOf('\nendobj', start);
    if (endAt < 0) throw new Error(`object ${match[1]} has no endobj`);
    if (streamAt < 0 || streamAt > endAt) {
      objects.set(Number(match[1]), { dictionary: text.slice(start, endAt) });
      continue;
    }
    const dictionary = text.slice(start, streamAt);
    const length = /\/Length (\d+)/.exec(dictionary);
    if (!length) throw new Error(`stream object ${match[1]} has no direct /Length`);
    const dataStart = streamAt + '\nstream\n'.length;
    const raw = bytes.subarray(dataStart, dataStart + Number(length[1]));
    objects.set(Number(match[1]), { dictionary, stream: /\/Filter \/FlateDecode/.test(dictionary) ? inflateSync(raw) : raw });
    header.lastIndex = dataStart + Number(length[1]);
  }
  return objects;
}

/** The pages of `pdf` in order, with their size and text. */
export function readPages(pdf: Uint8Array): PdfPage[] {
  const objects = readObjects(pdf);
  const get = (ref: string | undefined): PdfObject => {
    const object = ref === undefined ? undefined : objects.get(Number(ref));
    if (!object) throw new Error(`no object ${ref}`);
    return object;
  };
  const pages = [...objects.values()].find((o) => /\/Type \/Pages\b/.test(o.dictionary));
  if (!pages) throw new Error('no /Pages object');
  const kids = /\/Kids \[([^\]]*)\]/.exec(pages.dictionary)?.[1] ?? '';
  return [...kids.matchAll(/(\d+) 0 R/g)].map(([, ref]) => {
    const page = get(ref).dictionary;
    const box = /\/MediaBox \[([^\]]*)\]/.exec(page)?.[1]?.trim().split(/\s+/).map(Number);
    if (!box || box.length !== 4) throw new Error(`page ${ref} has no MediaBox`);
    const resources = get(/\/Resources (\d+) 0 R/.exec(page)?.[1]).dictionary;
    const fonts = new Map<string, Map<number, string>>();
    for (const [, name, font] of (/\/Font <<([^>]*)>>/.exec(resources)?.[1] ?? '').matchAll(/\/(\S+) (\d+) 0 R/g)) {
      const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(get(font).dictionary)?.[1];
      fonts.set(name!, toUnicode === undefined ? new Map() : readCMap(get(toUnicode).stream!.toString('latin1')));
    }
    const content = get(/\/Contents (\d+) 0 R/.exec(page)?.[1]).stream!.toString('latin1');
    return { width: box[2]! - box[0]!, height: box[3]! - box[1]!, texts: decodeTexts(content, fonts) };
  });
}

/** A ToUnicode CMap's character codes and the text each stands for (bfchar and bfrange entries). */
function readCMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  // a code may stand for several characters (<0066 0066 0069>: the ffi ligature), written with spaces
  const utf16 = (hex: string) => String.fromCharCode(...(hex.replace(/\s+/g, '').match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, text] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(code!, 16), utf16(text!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, first, last, list, start] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:\[([^\]]*)\]|<([0-9a-fA-F]+)>)/g)) {
      const from = parseInt(first!, 16);
      const to = parseInt(last!, 16);
      const listed = list === undefined ? undefined : [...list.matchAll(/<([0-9a-fA-F\s]+)>/g)].map((m) => utf16(m[1]!));
      for (let code = from; code <= to; code++) {
        map.set(code, listed ? listed[code - from]! : String.fromCharCode(parseInt(start!, 16) + code - from));
      }
    }
  }
  return map;
}

/** The text shown in each BT … ET block: the hex strings of Tj and TJ, two bytes a code (Identity-H). */
function decodeTexts(content: string, fonts: ReadonlyMap<string, ReadonlyMap<number, string>>): string[] {
  const texts: string[] = [];
  for (const [, block] of content.matchAll(/\bBT\b([\s\S]*?)\bET\b/g)) {
    let font: ReadonlyMap<number, string> | undefined;
    let text = '';
    for (const [, name, shown] of block!.matchAll(/\/(\S+) [\d.]+ Tf|(\[[^\]]*\]\s*TJ|<[0-9a-fA-F]*>\s*Tj)/g)) {
      if (name !== undefined) {
        font = fonts.get(name);
        if (!font) throw new Error(`text in font /${name}, which the page's resources lack`);
        continue;
      }
      for (const [, hex] of shown!.matchAll(/<([0-9a-fA-F]*)>/g)) {
        for (const code of hex!.match(/.{4}/g) ?? []) {
          const character = font?.get(parseInt(code, 16));
          if (character === undefined) throw new Error(`code <${code}> has no ToUnicode entry: the text could not be extracted`);
          text += character;
        }
      }
    }
    texts.push(text);
  }
  return texts;
}
