// Turns the YAML parser's syntax errors into messages that say what to fix, at the line the
// user has to edit. The parser notices most mistakes a line or more after they were made (an
// unclosed "[" at the next key, an over-indented key as part of the value above it), so some
// errors are moved back to where the mistake is.
import { isMap, isScalar, type LineCounter, visit, type Document, type YAMLError } from 'yaml';

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

export function explainYamlErrors(errors: readonly YAMLError[], text: string, doc: Document, lines: LineCounter): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const at = (offset: number, message: string) => {
    const pos = lines.linePos(offset);
    if (!problems.some((p) => p.line === pos.line && p.message === message)) problems.push({ line: pos.line, column: pos.col, message });
  };
  const multiline = (err: YAMLError) => lines.linePos(err.pos[1]).line > lines.linePos(err.pos[0]).line;
  // An over-indented key gives two errors at the same place; the multi-line one explains it.
  const overIndented = new Set(errors.filter((e) => e.code === 'MULTILINE_IMPLICIT_KEY' && multiline(e)).map((e) => e.pos[0]));
  for (const err of errors) {
    const [start] = err.pos;
    const first = err.message.split('\n')[0] ?? err.message;
    switch (err.code) {
      case 'TAB_AS_INDENT':
        at(start, 'YAML syntax: tabs are not allowed as indentation; indent with spaces');
        break;
      case 'DUPLICATE_KEY': {
        const earlier = earlierKey(doc, start);
        const where = earlier ? `; it is already set on line ${lines.linePos(earlier.offset).line}` : '';
        at(start, `YAML syntax: duplicate key${earlier ? ` "${earlier.key}"` : ''}${where}. Keep one of them`);
        break;
      }
      case 'BLOCK_AS_IMPLICIT_KEY':
      case 'MULTILINE_IMPLICIT_KEY': {
        if (multiline(err) || overIndented.has(start)) {
          // A key indented deeper than its siblings reads as the continuation of the value above.
          const line = lines.linePos(start).line;
          const last = errors.find((e) => e.pos[0] === start && multiline(e)) ?? err;
          at(
            firstNonSpace(text, lineStart(text, last.pos[1])),
            `YAML syntax: this line is indented more than the key above it, so YAML reads it as part of the value on line ${line}; line it up with the keys above it`,
          );
        } else {
          at(start, 'YAML syntax: a value cannot contain ": " unquoted (YAML reads it as another key); put the value in quotes');
        }
        break;
      }
      case 'BAD_INDENT':
      case 'MISSING_CHAR': {
        const opener = /end with a ([\]}])|Missing closing ("|')quote/.exec(first);
        const open = opener ? unclosedOpener(text, start, opener[1] ?? opener[2]!) : null;
        if (open !== null) {
          const bracket = opener?.[1];
          at(
            open,
            bracket
              ? `YAML syntax: this "${text[open]}" is never closed; add the closing "${bracket}" (lines that continue it must be indented more than its key)`
              : `YAML syntax: this quoted value is never closed; add the closing ${text[open]}`,
          );
        } else if (/same column|without - indicator/.test(first)) {
          at(firstNonSpace(text, lineStart(text, start)), 'YAML syntax: this line is not lined up with the keys above it; keys of one mapping must start at the same column');
        } else {
          at(start, `YAML syntax: ${first}`);
        }
        break;
      }
      default:
        at(
          start,
          /multiple documents/.test(first)
            ? 'YAML syntax: a stack file holds one YAML document; remove this "---" and what follows, or move it to a stack file of its own'
            : `YAML syntax: ${first}`,
        );
    }
  }
  return problems;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', Math.max(0, Math.min(offset, text.length) - 1)) + 1;
}

function firstNonSpace(text: string, offset: number): number {
  let i = offset;
  while (text[i] === ' ') i++;
  return i;
}

/** The earlier key of the mapping whose duplicate key starts at `offset`. */
function earlierKey(doc: Document, offset: number): { key: string; offset: number } | null {
  let found: { key: string; offset: number } | null = null;
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const dup = map.items.find((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (!dup || !isScalar(dup.key)) return;
      const value = dup.key.value;
      const first = map.items.find((p) => p !== dup && isScalar(p.key) && p.key.value === value);
      if (first && isScalar(first.key)) {
        found = { key: String(value), offset: first.key.range?.[0] ?? offset };
        return visit.BREAK;
      }
    },
  });
  return found;
}

/** Where the bracket or quote that was never closed opens, scanning the text before `before`.
 * Only openers that start a value count, so "echo [x" or "don't" in a plain value do not. */
function unclosedOpener(text: string, before: number, close: string): number | null {
  const openers: number[] = [];
  let quote: { char: string; at: number } | null = null;
  for (let i = 0; i < before && i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (quote.char === '"' && ch === '\\') i++;
      else if (ch === quote.char && quote.char === "'" && text[i + 1] === "'") i++;
      else if (ch === quote.char) quote = null;
      continue;
    }
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol;
      continue;
    }
    const startsValue = () => {
      let j = i - 1;
      while (j >= 0 && text[j] === ' ') j--;
      return j < 0 || '\n:-,[{?'.includes(text[j]!);
    };
    if ((ch === '"' || ch === "'") && startsValue()) {
      quote = { char: ch, at: i };
    } else if ((ch === '[' || ch === '{') && (openers.length > 0 || startsValue())) openers.push(i);
    else if ((ch === ']' || ch === '}') && openers.length > 0) openers.pop();
  }
  if (close === '"' || close === "'") return quote ? quote.at : null;
  const want = close === ']' ? '[' : '{';
  for (let k = openers.length - 1; k >= 0; k--) if (text[openers[k]!] === want) return openers[k]!;
  return null;
}
