// A strict parser for the Prometheus text exposition format (version 0.0.4), as services
// serve it on their metrics URL. npm's parse-prometheus-text-format (the one parser there)
// was checked and not used: it takes "b abc" and a bare "d" as samples with the values "abc"
// and "", and its errors name no line. This one refuses anything the format does not allow
// and says where: line and column (both from 1) and what was expected.
//
// Format (prometheus.io/docs/instrumenting/exposition_formats): one sample per line,
//   metric_name [ "{" label_name "=" '"' label_value '"' { "," ... } [ "," ] "}" ] value [ timestamp ]
// "# HELP name text" and "# TYPE name counter|gauge|histogram|summary|untyped" lines describe
// a family (TYPE before its first sample, once); other "#" lines are comments.

export type PrometheusType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** The declared type of the sample's family ("untyped" when there is no TYPE line). */
  type: PrometheusType;
  /** A counter only grows: counters, and a histogram's or summary's buckets, _count and _sum. */
  cumulative: boolean;
  line: number;
}

export interface PrometheusTextProblem {
  line: number;
  column: number;
  message: string;
}

export type PrometheusParseResult = { ok: true; samples: PrometheusSample[] } | { ok: false; problem: PrometheusTextProblem };

const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;
// Go's strconv.ParseFloat, which Prometheus uses, minus hex floats and underscores.
const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])$/;
const INTEGER = /^-?\d+$/;

class Problem extends Error {
  readonly column: number;
  constructor(column: number, message: string) {
    super(message);
    this.column = column;
  }
}

const show = (text: string) => (text === '' ? 'the end of the line' : JSON.stringify(text.length > 30 ? `${text.slice(0, 30)}...` : text));

export function parsePrometheusText(text: string): PrometheusParseResult {
  const types = new Map<string, PrometheusType>();
  const helps = new Set<string>();
  /** Families that already had a sample: a TYPE line after them is an error. */
  const sampled = new Set<string>();
  const seriesLines = new Map<string, number>();
  const samples: PrometheusSample[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = lines[index]!.endsWith('\r') ? lines[index]!.slice(0, -1) : lines[index]!;
    try {
      const cursor = new Cursor(line);
      cursor.skipBlanks();
      if (cursor.atEnd()) continue;
      if (cursor.peek() === '#') {
        readComment(cursor, types, helps, sampled);
        continue;
      }
      const sample = readSample(cursor, lineNumber, types);
      sampled.add(familyOf(sample.name, types).family);
      const key = seriesText(sample.name, sample.labels);
      const first = seriesLines.get(key);
      if (first !== undefined) throw new Problem(1, `the series ${key} appears twice (first on line ${first})`);
      seriesLines.set(key, lineNumber);
      samples.push(sample);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      return { ok: false, problem: { line: lineNumber, column: err.column, message: err.message } };
    }
  }
  return { ok: true, samples };
}

class Cursor {
  readonly text: string;
  at = 0;
  constructor(text: string) {
    this.text = text;
  }
  atEnd(): boolean {
    return this.at >= this.text.length;
  }
  peek(): string {
    return this.text[this.at] ?? '';
  }
  /** Column (from 1) of the current position. */
  get column(): number {
    return this.at + 1;
  }
  skipBlanks(): number {
    const start = this.at;
    while (this.peek() === ' ' || this.peek() === '\t') this.at++;
    return this.at - start;
  }
  /** The text up to the next blank or the end of the line. */
  word(): string {
    const start = this.at;
    while (!this.atEnd() && this.peek() !== ' ' && this.peek() !== '\t') this.at++;
    return this.text.slice(start, this.at);
  }
  name(start: RegExp, rest: RegExp, what: string): string {
    const begin = this.at;
    if (!start.test(this.peek())) throw new Problem(this.column, `expected ${what}, got ${show(this.rest())}`);
    while (!this.atEnd() && rest.test(this.peek())) this.at++;
    return this.text.slice(begin, this.at);
  }
  rest(): string {
    return this.text.slice(this.at);
  }
}

function readComment(cursor: Cursor, types: Map<string, PrometheusType>, helps: Set<string>, sampled: Set<string>): void {
  cursor.at++; // '#'
  cursor.skipBlanks();
  const keyword = cursor.word();
  if (keyword !== 'HELP' && keyword !== 'TYPE') return; // a plain comment
  if (cursor.skipBlanks() === 0) throw new Problem(cursor.column, `expected a metric name after ${keyword}`);
  const name = cursor.name(NAME_START, NAME_CHAR, `a metric name after ${keyword}`);
  if (keyword === 'HELP') {
    if (helps.has(name)) throw new Problem(cursor.column - name.length, `a second HELP line for ${name}`);
    helps.add(name);
    return; // the text is free, escapes included
  }
  const nameColumn = cursor.column - name.length;
  cursor.skipBlanks();
  const typeColumn = cursor.column;
  const type = cursor.word();
  if (!TYPES.has(type)) throw new Problem(typeColumn, `expected a type (counter, gauge, histogram, summary or untyped), got ${show(type)}`);
  cursor.skipBlanks();
  if (!cursor.atEnd()) throw new Problem(cursor.column, `unexpected ${show(cursor.rest())} after the type`);
  if (types.has(name)) throw new Problem(nameColumn, `a second TYPE line for ${name}`);
  if (sampled.has(name)) throw new Problem(nameColumn, `the TYPE line for ${name} comes after its samples; it must come first`);
  types.set(name, type as PrometheusType);
}

function readSample(cursor: Cursor, line: number, types: Map<string, PrometheusType>): PrometheusSample {
  const name = cursor.name(NAME_START, NAME_CHAR, 'a metric name');
  const labels: Record<string, string> = {};
  let blanks = cursor.skipBlanks();
  if (cursor.peek() === '{') {
    readLabels(cursor, labels);
    blanks = cursor.skipBlanks();
  }
  if (blanks === 0 && !cursor.atEnd()) throw new Problem(cursor.column, `expected a space before the value, got ${show(cursor.rest())}`);
  const valueColumn = cursor.column;
  const valueText = cursor.word();
  if (valueText === '') throw new Problem(valueColumn, `expected a value after ${name}, got the end of the line`);
  if (!FLOAT.test(valueText)) throw new Problem(valueColumn, `expected a number, NaN, +Inf or -Inf as the value, got ${show(valueText)}`);
  cursor.skipBlanks();
  if (!cursor.atEnd()) {
    const timestampColumn = cursor.column;
    const timestamp = cursor.word();
    if (!INTEGER.test(timestamp)) throw new Problem(timestampColumn, `expected a timestamp (whole milliseconds) or the end of the line, got ${show(timestamp)}`);
    cursor.skipBlanks();
    if (!cursor.atEnd()) throw new Problem(cursor.column, `unexpected ${show(cursor.rest())} after the timestamp`);
  }
  const { type, part } = familyOf(name, types);
  if (type === 'histogram' && part === 'bucket' && labels.le === undefined) throw new Problem(1, `the histogram bucket ${name} has no "le" label`);
  if (type === 'summary' && part === '' && labels.quantile === undefined) throw new Problem(1, `the summary sample ${name} has no "quantile" label`);
  const cumulative = type === 'counter' || ((type === 'histogram' || type === 'summary') && part !== '');
  return { name, labels, value: parseValue(valueText), type, cumulative, line };
}

function readLabels(cursor: Cursor, labels: Record<string, string>): void {
  cursor.at++; // '{'
  for (;;) {
    cursor.skipBlanks();
    if (cursor.peek() === '}') break;
    const nameColumn = cursor.column;
    const label = cursor.name(LABEL_START, LABEL_CHAR, 'a label name or "}"');
    if (Object.hasOwn(labels, label)) throw new Problem(nameColumn, `the label ${label} is given twice`);
    cursor.skipBlanks();
    if (cursor.peek() !== '=') throw new Problem(cursor.column, `expected "=" after the label ${label}, got ${show(cursor.rest())}`);
    cursor.at++;
    cursor.skipBlanks();
    if (cursor.peek() !== '"') throw new Problem(cursor.column, `expected a quoted value for the label ${label}, got ${show(cursor.rest())}`);
    labels[label] = readQuoted(cursor);
    cursor.skipBlanks();
    if (cursor.peek() === ',') {
      cursor.at++;
      continue;
    }
    if (cursor.peek() !== '}') throw new Problem(cursor.column, `expected "," or "}" after the value of ${label}, got ${show(cursor.rest())}`);
    break;
  }
  cursor.at++; // '}'
}

function readQuoted(cursor: Cursor): string {
  const open = cursor.column;
  cursor.at++; // '"'
  let value = '';
  for (;;) {
    if (cursor.atEnd()) throw new Problem(open, 'the quoted label value is never closed');
    const c = cursor.peek();
    cursor.at++;
    if (c === '"') return value;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const escaped = cursor.peek();
    if (escaped === '\\' || escaped === '"') value += escaped;
    else if (escaped === 'n') value += '\n';
    else throw new Problem(cursor.column - 1, `"\\${escaped}" is no escape in a label value (only \\\\, \\" and \\n are)`);
    cursor.at++;
  }
}

function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (lower.endsWith('nan')) return Number.NaN;
  return Number(text);
}

/** The family a sample belongs to: a histogram's foo_bucket, foo_sum and foo_count are foo's. */
function familyOf(name: string, types: Map<string, PrometheusType>): { family: string; type: PrometheusType; part: '' | 'bucket' | 'sum' | 'count' } {
  const own = types.get(name);
  if (own !== undefined) return { family: name, type: own, part: '' };
  for (const part of ['bucket', 'sum', 'count', 'total'] as const) {
    if (!name.endsWith(`_${part}`)) continue;
    const family = name.slice(0, -part.length - 1);
    const type = types.get(family);
    if (type === 'histogram' && part !== 'total') return { family, type, part };
    if (type === 'summary' && (part === 'sum' || part === 'count')) return { family, type, part };
    // OpenMetrics-style exporters declare the counter "foo" and name its sample foo_total.
    if (type === 'counter' && part === 'total') return { family, type, part: '' };
  }
  return { family: name, type: 'untyped', part: '' };
}

function seriesText(name: string, labels: Record<string, string>): string {
  const names = Object.keys(labels).sort();
  return names.length === 0 ? name : `${name}{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(',')}}`;
}
