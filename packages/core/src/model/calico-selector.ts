import type { Labels } from './selectors.js';

/**
 * Calico's selector language, as libcalico-go parses and evaluates it (projectcalico/calico
 * libcalico-go/lib/selector/tokenizer/tokenizer.go, parser/parser.go and parser/ast.go at 87c1590;
 * docs: calico/reference/resources/networkpolicy "Selectors"). Its own small parser: Calico
 * selectors are expressions (`app == 'web' && !has(debug) || tier in {'a', 'b'}`), not the
 * Kubernetes `matchLabels`/`matchExpressions` objects of model/selectors.ts.
 */
export type CalicoSelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'global' }
  | { readonly kind: 'has'; readonly label: string }
  | { readonly kind: 'compare'; readonly op: CompareOperator; readonly label: string; readonly value: string }
  | { readonly kind: 'in'; readonly negated: boolean; readonly label: string; readonly values: readonly string[] }
  | { readonly kind: 'not'; readonly operand: CalicoSelector }
  | { readonly kind: 'and'; readonly operands: readonly CalicoSelector[] }
  | { readonly kind: 'or'; readonly operands: readonly CalicoSelector[] };

export type CompareOperator = '==' | '!=' | 'contains' | 'starts with' | 'ends with';

export type ParsedCalicoSelector =
  | { readonly ok: true; readonly selector: CalicoSelector }
  /** `offset`: 0-based position in the selector text where parsing failed. */
  | { readonly ok: false; readonly offset: number; readonly message: string };

export const CALICO_ALL: CalicoSelector = { kind: 'all' };

/** tokenizer.go MaxLabelLength */
const MAX_LABEL_LENGTH = 512;

type TokenKind =
  | 'label' | 'string' | '{' | '}' | ',' | '==' | '!=' | 'in' | '!' | 'not in' | 'contains' | 'starts with' | 'ends with'
  | 'all' | 'has' | '(' | ')' | '&&' | '||' | 'global' | 'eof';

interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly offset: number;
}

class SelectorSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/** Label characters (tokenizer.go identifierChar): letters, digits, `_`, `.`, `/`, `-`. */
function isLabelChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_./-]/.test(c);
}

/** Only spaces and tabs are whitespace in a selector; a newline is an unexpected character. */
function skipWhitespace(text: string, at: number): number {
  while (text[at] === ' ' || text[at] === '\t') at++;
  return at;
}

/** The label starting at `at`, or an error: empty, or longer than 512 characters. */
function readLabel(text: string, at: number): { label: string; end: number } {
  let end = at;
  while (isLabelChar(text[end])) end++;
  if (end === at) throw new SelectorSyntaxError(at, text[at] === undefined ? 'expected a label, found the end of the selector' : `unexpected character ${JSON.stringify(text[at])} (expected a label)`);
  if (end - at > MAX_LABEL_LENGTH) throw new SelectorSyntaxError(at, `label is longer than ${MAX_LABEL_LENGTH} characters`);
  return { label: text.slice(at, end), end };
}

/**
 * `words` at `at`, any amount of whitespace (or none) between them, ending on a word boundary: the
 * tokenizer reads `startswith` and `starts  with` alike, but not `startsWith0`.
 */
function readWords(text: string, at: number, words: readonly string[]): number | undefined {
  let i = at;
  for (const word of words) {
    if (!text.startsWith(word, i)) return undefined;
    i = skipWhitespace(text, i + word.length);
  }
  // the boundary is checked after the trailing whitespace, as the tokenizer does
  return isLabelChar(text[i]) ? undefined : i;
}

/** A keyword call `name(` … `)` with optional whitespace inside, as `all( )`; undefined if `text` has no `name(` at `at`. */
function readCall(text: string, at: number, name: string): number | undefined {
  if (!text.startsWith(`${name}(`, at)) return undefined;
  const i = skipWhitespace(text, at + name.length + 1);
  if (text[i] !== ')') throw new SelectorSyntaxError(i, `no closing ')' after ${name}(`);
  return i + 1;
}

const OPERATOR_WORDS: readonly { readonly kind: TokenKind; readonly words: readonly string[] }[] = [
  { kind: 'contains', words: ['contains'] },
  { kind: 'starts with', words: ['starts', 'with'] },
  { kind: 'ends with', words: ['ends', 'with'] },
  { kind: 'not in', words: ['not', 'in'] },
  { kind: 'in', words: ['in'] },
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const push = (kind: TokenKind, offset: number, value = '') => tokens.push({ kind, value, offset });
  for (;;) {
    at = skipWhitespace(text, at);
    if (at >= text.length) {
      push('eof', at);
      return tokens;
    }
    const c = text[at]!;
    const start = at;
    if (c === '(' || c === ')' || c === '{' || c === '}' || c === ',') {
      push(c, at);
      at++;
    } else if (c === '"' || c === "'") {
      // no escapes: a string ends at the next quote of its kind
      const close = text.indexOf(c, at + 1);
      if (close < 0) throw new SelectorSyntaxError(at, 'unterminated string');
      push('string', at, text.slice(at + 1, close));
      at = close + 1;
    } else if (c === '=') {
      if (text[at + 1] !== '=') throw new SelectorSyntaxError(at, "expected '=='");
      push('==', at);
      at += 2;
    } else if (c === '!') {
      if (text[at + 1] === '=') {
        push('!=', at);
        at += 2;
      } else {
        push('!', at);
        at++;
      }
    } else if (c === '&') {
      if (text[at + 1] !== '&') throw new SelectorSyntaxError(at, "expected '&&'");
      push('&&', at);
      at += 2;
    } else if (c === '|') {
      if (text[at + 1] !== '|') throw new SelectorSyntaxError(at, "expected '||'");
      push('||', at);
      at += 2;
    } else if (tokens[tokens.length - 1]?.kind === 'label') {
      // after a label only a word operator can follow (== and != are handled above)
      const found = OPERATOR_WORDS.map((o) => ({ kind: o.kind, end: readWords(text, at, o.words) })).find((o) => o.end !== undefined);
      if (!found) throw new SelectorSyntaxError(at, `expected an operator after label ${JSON.stringify(tokens[tokens.length - 1]!.value)} (==, !=, in, not in, contains, starts with, ends with)`);
      push(found.kind, start);
      at = found.end!;
    } else if (text.startsWith('has(', at)) {
      const labelAt = skipWhitespace(text, at + 4);
      const { label, end } = readLabel(text, labelAt);
      const close = skipWhitespace(text, end);
      if (text[close] !== ')') throw new SelectorSyntaxError(close, "no closing ')' after has(");
      push('has', start, label);
      at = close + 1;
    } else {
      const all = readCall(text, at, 'all');
      const global = all === undefined ? readCall(text, at, 'global') : undefined;
      if (all !== undefined) {
        push('all', start);
        at = all;
      } else if (global !== undefined) {
        push('global', start);
        at = global;
      } else {
        const { label, end } = readLabel(text, at);
        push('label', start, label);
        at = end;
      }
    }
  }
}

function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'the end of the selector';
    case 'label': return `label ${JSON.stringify(t.value)}`;
    case 'string': return `string ${JSON.stringify(t.value)}`;
    case 'has': return `has(${t.value})`;
    case 'all': return 'all()';
    case 'global': return 'global()';
    default: return `'${t.kind}'`;
  }
}

/** Recursive descent over the tokens, with the grammar and precedence of parser.go: `||` < `&&` < `!` < operations. */
function parseTokens(tokens: readonly Token[]): CalicoSelector {
  let i = 0;
  const peek = () => tokens[i]!;
  const fail = (message: string): never => {
    throw new SelectorSyntaxError(peek().offset, message);
  };
  const orExpression = (): CalicoSelector => {
    const operands = [andExpression()];
    while (peek().kind === '||') {
      i++;
      operands.push(andExpression());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  };
  const andExpression = (): CalicoSelector => {
    const operands = [operation()];
    while (peek().kind === '&&') {
      i++;
      operands.push(operation());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  };
  const stringAfter = (label: Token, op: Token): string => {
    const value = peek();
    if (value.kind !== 'string') fail(`expected a quoted string after ${label.value} ${op.kind}, found ${describeToken(value)}`);
    i++;
    return value.value;
  };
  const operation = (): CalicoSelector => {
    // repeated '!' collapse: an even number cancels out
    let negated = false;
    while (peek().kind === '!') {
      negated = !negated;
      i++;
    }
    const t = peek();
    let node: CalicoSelector;
    switch (t.kind) {
      case 'has':
        i++;
        node = { kind: 'has', label: t.value };
        break;
      case 'all':
        i++;
        node = CALICO_ALL;
        break;
      case 'global':
        i++;
        node = { kind: 'global' };
        break;
      case 'label': {
        i++;
        const op = peek();
        if (op.kind === 'eof') fail(`expected an operator after label ${JSON.stringify(t.value)}, found the end of the selector`);
        i++;
        if (op.kind === '==' || op.kind === '!=' || op.kind === 'contains' || op.kind === 'starts with' || op.kind === 'ends with') {
          node = { kind: 'compare', op: op.kind, label: t.value, value: stringAfter(t, op) };
        } else if (op.kind === 'in' || op.kind === 'not in') {
          if (peek().kind !== '{') fail(`expected a set literal {'a', 'b'} after ${t.value} ${op.kind}, found ${describeToken(peek())}`);
          i++;
          const values: string[] = [];
          // items are strings separated by commas; a trailing comma and an empty set are allowed
          while (peek().kind === 'string') {
            values.push(peek().value);
            i++;
            if (peek().kind !== ',') break;
            i++;
          }
          if (peek().kind !== '}') fail(`expected '}' or a quoted string in the set of ${t.value} ${op.kind}, found ${describeToken(peek())}`);
          i++;
          node = { kind: 'in', negated: op.kind === 'not in', label: t.value, values: [...new Set(values)].sort() };
        } else {
          i--;
          fail(`expected an operator after label ${JSON.stringify(t.value)} (==, !=, in, not in, contains, starts with, ends with), found ${describeToken(op)}`);
        }
        break;
      }
      case '(': {
        i++;
        node = orExpression();
        if (peek().kind !== ')') fail(`expected ')' to close the '(' at character ${t.offset + 1}, found ${describeToken(peek())}`);
        i++;
        break;
      }
      default:
        fail(`unexpected ${describeToken(t)} (expected a label, has(), all(), global(), '!' or '(')`);
    }
    return negated ? { kind: 'not', operand: node! } : node!;
  };
  // an empty selector (or only whitespace) is all()
  if (peek().kind === 'eof') return CALICO_ALL;
  const root = orExpression();
  if (peek().kind !== 'eof') fail(`unexpected ${describeToken(peek())} after a complete expression`);
  return root;
}

/**
 * Parses a Calico selector. Never throws: a selector the API server would refuse comes back with
 * the 0-based offset in the text where parsing failed and a message saying what was expected.
 */
export function parseCalicoSelector(text: string): ParsedCalicoSelector {
  try {
    return { ok: true, selector: parseTokens(tokenize(text)) };
  } catch (e) {
    if (e instanceof SelectorSyntaxError) return { ok: false, offset: e.offset, message: e.message };
    throw e;
  }
}

/**
 * Whether labels satisfy a Calico selector (ast.go `Evaluate`): on an absent label `==`, `in`,
 * `contains`, `starts with`, `ends with` and `has` are false, while `!=` and `not in` are true;
 * `all()` and `global()` are true (what `global()` means in a namespaceSelector is the caller's).
 */
export function matchesCalicoSelector(selector: CalicoSelector, labels: Labels): boolean {
  const value = (label: string) => (Object.prototype.hasOwnProperty.call(labels, label) ? labels[label] : undefined);
  switch (selector.kind) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return value(selector.label) !== undefined;
    case 'compare': {
      const v = value(selector.label);
      if (v === undefined) return selector.op === '!=';
      switch (selector.op) {
        case '==': return v === selector.value;
        case '!=': return v !== selector.value;
        case 'contains': return v.includes(selector.value);
        case 'starts with': return v.startsWith(selector.value);
        case 'ends with': return v.endsWith(selector.value);
      }
      break;
    }
    case 'in': {
      const v = value(selector.label);
      if (v === undefined) return selector.negated;
      return selector.values.includes(v) !== selector.negated;
    }
    case 'not':
      return !matchesCalicoSelector(selector.operand, labels);
    case 'and':
      return selector.operands.every((s) => matchesCalicoSelector(s, labels));
    case 'or':
      return selector.operands.some((s) => matchesCalicoSelector(s, labels));
  }
  return false;
}

/**
 * The canonical text of a selector, as ast.go `String` writes it: `a == "b"`, `a in {"x", "y"}`
 * (items sorted, de-duplicated), `!has(a)`, `(x && y)`.
 */
export function formatCalicoSelector(selector: CalicoSelector): string {
  return format(selector);
}

function quote(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

function format(selector: CalicoSelector): string {
  switch (selector.kind) {
    case 'all': return 'all()';
    case 'global': return 'global()';
    case 'has': return `has(${selector.label})`;
    case 'compare': return `${selector.label} ${selector.op} ${quote(selector.value)}`;
    case 'in': return `${selector.label} ${selector.negated ? 'not in' : 'in'} {${selector.values.map(quote).join(', ')}}`;
    case 'not': return `!${format(selector.operand)}`;
    case 'and':
    case 'or': {
      // ast.go wraps every && and || in parentheses, the outermost too
      return `(${selector.operands.map(format).join(selector.kind === 'and' ? ' && ' : ' || ')})`;
    }
  }
}

/**
 * Labels a selector reads, for callers that tell pods apart by the labels policies look at.
 */
export function calicoSelectorLabels(selector: CalicoSelector): string[] {
  switch (selector.kind) {
    case 'all':
    case 'global':
      return [];
    case 'has':
    case 'compare':
    case 'in':
      return [selector.label];
    case 'not':
      return calicoSelectorLabels(selector.operand);
    case 'and':
    case 'or':
      return selector.operands.flatMap(calicoSelectorLabels);
  }
}
