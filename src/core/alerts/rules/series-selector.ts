// Which series a user rule reads: a series key, or a name with label matchers, written as
// Prometheus writes them: service_cpu_percent{service="server"}, system_disk_used_percent{mount!="/boot"},
// service_health_latency_ms{service=~"api|web"}. =~ and !~ match the whole value, in RE2 syntax.
import { compileValuePattern } from './safe-pattern.ts';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

/** A parsed selector: plain data, so it crosses the stack loader's process boundary. */
export interface SeriesSelector {
  name: string;
  matchers: LabelMatcher[];
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const OPS: MatchOp[] = ['=~', '!~', '!=', '='];
const EXAMPLE = 'service_cpu_percent{service="server"}';

/** Parses a selector; throws SelectorError saying where it goes wrong. */
export function parseSelector(text: string): SeriesSelector {
  const source = text.trim();
  const fail = (at: number, what: string): never => {
    throw new SelectorError(`${what} at character ${at + 1} of ${JSON.stringify(source)}; write a series such as ${EXAMPLE}`);
  };
  const name = NAME.exec(source)?.[0];
  if (!name) fail(0, 'expected a series name');
  let i = name!.length;
  const skipSpaces = () => {
    while (source[i] === ' ') i++;
  };
  skipSpaces();
  if (i === source.length) return { name: name!, matchers: [] };
  if (source[i] !== '{') fail(i, 'expected "{" or the end');
  i++;
  const matchers: LabelMatcher[] = [];
  for (;;) {
    skipSpaces();
    if (source[i] === '}') break;
    if (i >= source.length) fail(i, 'the "{" is never closed with "}"');
    const label = LABEL.exec(source.slice(i))?.[0];
    if (!label) fail(i, 'expected a label name');
    i += label!.length;
    skipSpaces();
    const op = OPS.find((o) => source.startsWith(o, i));
    if (!op) fail(i, `expected =, !=, =~ or !~ after ${label}`);
    i += op!.length;
    skipSpaces();
    const quote = source[i];
    if (quote !== '"' && quote !== "'") fail(i, `expected the value of ${label} in quotes`);
    let value = '';
    let j = i + 1;
    for (; j < source.length && source[j] !== quote; j++) {
      if (source[j] === '\\' && j + 1 < source.length) {
        const next = source[++j]!;
        value += next === 'n' ? '\n' : next;
      } else value += source[j];
    }
    if (j >= source.length) fail(i, `the value of ${label} is never closed`);
    i = j + 1;
    if (matchers.some((m) => m.label === label && m.op === op)) fail(i, `${label}${op} is given twice`);
    matchers.push({ label: label!, op: op!, value });
    skipSpaces();
    if (source[i] === ',') {
      i++;
      continue;
    }
    if (i >= source.length) fail(i, 'the "{" is never closed with "}"');
    if (source[i] !== '}') fail(i, 'expected "," or "}"');
    break;
  }
  i++;
  skipSpaces();
  if (i < source.length) fail(i, 'unexpected text after "}"');
  for (const m of matchers) {
    if (m.op === '=~' || m.op === '!~') {
      try {
        compileValuePattern(m.value);
      } catch (err) {
        throw new SelectorError(`label ${m.label}: ${(err as Error).message}`);
      }
    }
  }
  return { name: name!, matchers };
}

/** A test of a series' labels against the selector's matchers (its name is indexed apart).
 * A label the series lacks counts as "", as in Prometheus. */
export function compileMatchers(matchers: readonly LabelMatcher[]): (labels: Record<string, string>) => boolean {
  const tests = matchers.map((m): ((labels: Record<string, string>) => boolean) => {
    if (m.op === '=') return (labels) => (labels[m.label] ?? '') === m.value;
    if (m.op === '!=') return (labels) => (labels[m.label] ?? '') !== m.value;
    const pattern = compileValuePattern(m.value);
    return m.op === '=~' ? (labels) => pattern.matches(labels[m.label] ?? '') : (labels) => !pattern.matches(labels[m.label] ?? '');
  });
  return (labels) => tests.every((test) => test(labels));
}

/** The labels a selector pins to one value: every series it reads has them. */
export function pinnedLabels(selector: SeriesSelector): Record<string, string> {
  return Object.fromEntries(selector.matchers.filter((m) => m.op === '=' && m.value !== '').map((m) => [m.label, m.value]));
}
