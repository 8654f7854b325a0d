// Patterns a user writes in vigil.yml (log rules, label matchers), matched against every line a
// service prints. JavaScript's own RegExp backtracks: one pattern such as (a+)+$ meeting a long
// line can stall the engine for minutes. So patterns are RE2 (re2js, a pure-JS port: linear time
// in the line's length, whatever the pattern, and no native module to rebuild for Electron).
// RE2 refuses what cannot run in linear time (back-references, look-around): such a pattern is
// rejected when the stack file loads, with the reason, rather than time-boxed at match time.
// A plain word ("ERROR", the common case) skips the engine: a substring search is ~50x faster.
import { RE2JS } from 're2js';

export interface LinePattern {
  readonly source: string;
  /** The pattern occurs somewhere in the text (unanchored, as grep). */
  test(text: string): boolean;
}

export interface ValuePattern {
  readonly source: string;
  /** The pattern matches the whole value (anchored, as Prometheus' =~ matchers). */
  matches(value: string): boolean;
}

/** Longer patterns are almost surely a mistake (a pasted log line), and cost more per line. */
export const MAX_PATTERN_CHARS = 1000;
/** The supervisor's log keeps at most this much of one line; matching never reads further. */
export const MAX_MATCHED_CHARS = 16 * 1024;

const RE2_SYNTAX = 'patterns use RE2 syntax (https://github.com/google/re2/wiki/Syntax)';
const LINEAR_HINT = `${RE2_SYNTAX}: no back-references or look-around, which keeps matching linear in the length of a line`;

export class PatternError extends Error {
  override name = 'PatternError';
}

const LITERAL = /^[^\\^$.|?*+()[\]{}]+$/;

function compile(source: string, ignoreCase: boolean): RE2JS {
  if (source.length === 0) throw new PatternError('the pattern is empty');
  if (source.length > MAX_PATTERN_CHARS) throw new PatternError(`the pattern is ${source.length} characters long; at most ${MAX_PATTERN_CHARS}`);
  try {
    return RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    const why = (err as Error).message.replace(/^error parsing regexp: /, '');
    // Back-references (\1) and look-around ((?=) are what RE2 leaves out on purpose: say why.
    const hint = /Perl syntax|escape sequence|named capture/.test(why) ? LINEAR_HINT : RE2_SYNTAX;
    throw new PatternError(`cannot use the pattern ${JSON.stringify(source)}: ${why}; ${hint}`);
  }
}

/** Compiles a pattern for lines; throws PatternError saying what is wrong with it. */
export function compileLinePattern(source: string, ignoreCase = false): LinePattern {
  const re = compile(source, ignoreCase);
  if (LITERAL.test(source)) {
    if (!ignoreCase) return { source, test: (text) => text.includes(source) };
    // A literal has nothing to backtrack over, so the native engine is safe with it.
    const native = new RegExp(source, 'i');
    return { source, test: (text) => native.test(text) };
  }
  return { source, test: (text) => re.test(text.length > MAX_MATCHED_CHARS ? text.slice(0, MAX_MATCHED_CHARS) : text) };
}

/** Compiles a pattern that must match a whole value (a label); throws PatternError. */
export function compileValuePattern(source: string): ValuePattern {
  const re = compile(source, false);
  return { source, matches: (value) => re.testExact(value) };
}

/** What is wrong with a pattern, or null when it compiles: for the stack file's validation. */
export function patternProblem(source: string, ignoreCase = false): string | null {
  try {
    compile(source, ignoreCase);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
