// Reads stack files and turns every problem into a message that names the file, line, column
// and field. Loading never writes to the file.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { isResolveProblem, resolveService, type ServiceConfig } from './service-config.ts';
import { nearestName, stackFileSchema } from './schema.ts';
import { type ConfigIssue, type LoadedStack, StackFileError } from './stack-file-error.ts';
import { DEEP_AFTER_ALIASES, findAliasExpansionProblem, findAliasProblem, findDeepData, findTooDeepNesting } from './yaml-shape.ts';
import { explainYamlErrors } from './yaml-syntax.ts';
import type { FlyConfig } from '../watchers/fly/fly-config.ts';
import { resolveTunnelConfig, type TunnelConfig } from '../watchers/tunnels/tunnel-config.ts';

export { type ConfigIssue, formatIssue, StackFileError } from './stack-file-error.ts';

export type { LoadedStack } from './stack-file-error.ts';

type PathSegment = string | number;

export function formatFieldPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>(
    (out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : String(seg)),
    '',
  );
}

/** Finds the YAML node a field path points at; for a missing field, its nearest parent.
 * With `atKey`, points at the key of the last segment instead of its value. */
function locate(doc: Document, segments: readonly PathSegment[], atKey = false): Node | null {
  let node: unknown = doc.contents;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (isMap(node)) {
      // String(): a key such as `3000:` is a number in YAML but a string in the parsed data.
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!pair) return node;
      if (last && atKey && pair.key) return pair.key as Node;
      if (!pair.value) return (pair.key as Node) ?? node;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) return node;
      node = item;
    } else {
      return (node as Node) ?? null;
    }
  }
  return (node as Node) ?? null;
}

class IssueCollector {
  readonly issues: ConfigIssue[] = [];
  /** "parent path|key" of keys that an unknown key's "did you mean" already points at. */
  private readonly suggested = new Set<string>();
  private readonly file: string;
  private readonly doc: Document;
  private readonly lines: LineCounter;
  constructor(file: string, doc: Document, lines: LineCounter) {
    this.file = file;
    this.doc = doc;
    this.lines = lines;
  }

  add(segments: readonly PathSegment[], message: string, atKey = false): void {
    this.addAt(locate(this.doc, segments, atKey), segments, message);
  }

  /** An issue at a node found some other way than by its field path. */
  addAt(node: Node | null, segments: readonly PathSegment[], message: string): void {
    const pos = this.lines.linePos(node?.range?.[0] ?? 0);
    this.issues.push({ file: this.file, line: pos.line, column: pos.col, field: formatFieldPath(segments), message });
  }

  addZodIssue(issue: z.core.$ZodIssue): void {
    const segments = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const messages = issue.message.split('\n');
      issue.keys.forEach((key, i) => {
        const message = messages[i] ?? `unknown key "${key}"`;
        const meant = /did you mean "(.+)"\?/.exec(message)?.[1];
        if (meant) this.suggested.add(`${formatFieldPath(segments)}|${meant}`);
        this.add([...segments, key], message, true);
      });
      return;
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      const field = segments.at(-1);
      // A misspelt key already says "did you mean" the missing one: one message is enough.
      const misspelt = this.suggested.has(`${formatFieldPath(segments.slice(0, -1))}|${String(field)}`);
      if (!misspelt) this.add(segments, field === undefined ? 'the file is empty' : `missing required key "${String(field)}"`);
      return;
    }
    this.add(segments, issue.message);
  }
}

/** One file's services, with a way to point at any of their fields for later checks. */
export interface ParsedStackFile {
  file: string;
  services: ServiceConfig[];
  tunnels: TunnelConfig[];
  fly: FlyConfig | null;
  issueAt(serviceIndex: number, field: PathSegment[], message: string): ConfigIssue;
  /** An issue at any field of the file, e.g. ['tunnels', 0, 'service']. */
  issueAtPath(segments: PathSegment[], message: string): ConfigIssue;
}

/** Parses one stack file's text. Throws StackFileError listing every problem found. */
export function parseStackFile(text: string, file: string): ParsedStackFile {
  // Before the YAML reader builds the document, which recurses once per level of nesting.
  const tooDeep = findTooDeepNesting(text);
  if (tooDeep) throw new StackFileError([{ file, field: '', ...tooDeep }]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const issues = new IssueCollector(file, doc, lines);
  if (doc.errors.length > 0) {
    for (const problem of explainYamlErrors(doc.errors, text, doc, lines)) issues.issues.push({ file, field: '', ...problem });
    throw new StackFileError(issues.issues.sort(byPosition));
  }
  if (doc.contents === null) {
    issues.add([], 'the file is empty; a stack file starts with "services:" and a list of services');
    throw new StackFileError(issues.issues);
  }
  const aliasProblem = findAliasProblem(doc, (offset) => lines.linePos(offset).line);
  if (aliasProblem) {
    issues.addAt(aliasProblem.node, aliasProblem.segments, aliasProblem.message);
    throw new StackFileError(issues.issues);
  }
  const bomb = findAliasExpansionProblem(doc);
  if (bomb) {
    issues.addAt(bomb.node, bomb.segments, bomb.message);
    throw new StackFileError(issues.issues);
  }
  // The expansion is bounded above, by a count a user can be told; the reader's own alias
  // limit is a rougher guess that refuses a chain of seven aliases.
  const data: unknown = doc.toJS({ maxAliasCount: -1 });
  const deep = findDeepData(data);
  if (deep) {
    const node = locate(doc, deep);
    const what = isAlias(node) ? `the alias "*${node.source}" expands to values` : 'values are';
    issues.addAt(node, [], `${what} ${DEEP_AFTER_ALIASES}`);
    throw new StackFileError(issues.issues);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const got = Array.isArray(data) ? 'a list' : JSON.stringify(data);
    issues.add([], `expected a mapping with a "services:" list at the top of the file, got ${got}`);
    throw new StackFileError(issues.issues);
  }
  const parsed = stackFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    // Unknown keys first, so a missing key that one of them misspells is reported only once.
    const ordered = [...parsed.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    ordered.forEach((i) => issues.addZodIssue(i));
    throw new StackFileError(issues.issues.sort(byPosition));
  }
  const absolute = path.resolve(file);
  const services: ServiceConfig[] = [];
  parsed.data.services.forEach((spec, index) => {
    const resolved = resolveService(spec, absolute);
    if (isResolveProblem(resolved)) issues.add(['services', index, ...resolved.path], resolved.message);
    else services.push(resolved);
  });
  if (issues.issues.length > 0) throw new StackFileError(issues.issues);
  const issueAtPath = (segments: PathSegment[], message: string) => {
    const collector = new IssueCollector(file, doc, lines);
    collector.add(segments, message);
    return collector.issues[0]!;
  };
  return {
    file,
    services,
    tunnels: parsed.data.tunnels.map(resolveTunnelConfig),
    fly: parsed.data.fly ?? null,
    issueAtPath,
    issueAt: (serviceIndex, field, message) => {
      const collector = new IssueCollector(file, doc, lines);
      collector.add(['services', serviceIndex, ...field], message);
      return collector.issues[0]!;
    },
  };
}

const byPosition = (a: ConfigIssue, b: ConfigIssue) => a.line - b.line || a.column - b.column;

export async function readStackFile(file: string): Promise<ParsedStackFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `no such file (looked in ${path.resolve(file)})`
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder; name the stack file inside it, e.g. vigil.yml'
            : (err as Error).message;
    throw new StackFileError([{ file, line: 1, column: 1, field: '', message: `cannot read the stack file: ${why}` }]);
  }
  return parseStackFile(text, file);
}

/** Loads several stack files as one stack: names are unique across all of them and
 * depends_on may cross files. Every file's problems are reported, not just the first. */
export async function loadStack(files: string[]): Promise<LoadedStack> {
  const issues: ConfigIssue[] = [];
  const parsed: ParsedStackFile[] = [];
  for (const file of files) {
    try {
      parsed.push(await readStackFile(file));
    } catch (err) {
      if (err instanceof StackFileError) issues.push(...err.issues);
      else throw err;
    }
  }
  if (issues.length === 0) issues.push(...checkStack(parsed));
  if (issues.length > 0) throw new StackFileError(issues);
  return {
    files: parsed.map((p) => path.resolve(p.file)),
    services: parsed.flatMap((p) => p.services),
    tunnels: parsed.flatMap((p) => p.tunnels),
    fly: parsed.find((p) => p.fly !== null)?.fly ?? null,
  };
}

/** Checks that need the whole stack: unique names, known dependencies, no cycles. */
export function checkStack(parsed: ParsedStackFile[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [...checkTunnels(parsed)];
  const entries = parsed.flatMap((p) => p.services.map((service, index) => ({ p, service, index })));
  const firstByName = new Map<string, (typeof entries)[number]>();
  for (const e of entries) {
    const first = firstByName.get(e.service.name);
    if (first) {
      const at = first.p.issueAt(first.index, ['name'], '');
      const where = first.p === e.p ? `line ${at.line}` : `${first.p.file}:${at.line}`;
      issues.push(e.p.issueAt(e.index, ['name'], `the name "${e.service.name}" is already used by the service at ${where}; names are unique across all stack files of a stack`));
    } else firstByName.set(e.service.name, e);
  }
  for (const e of entries) {
    e.service.dependsOn.forEach((dep, i) => {
      if (dep === e.service.name) issues.push(e.p.issueAt(e.index, ['depends_on', i], 'a service cannot depend on itself'));
      else if (!firstByName.has(dep)) {
        const names = [...firstByName.keys()];
        const nearest = nearestName(dep, names);
        const hint = nearest ? `did you mean "${nearest}"?` : `services: ${names.join(', ')}`;
        issues.push(e.p.issueAt(e.index, ['depends_on', i], `unknown service "${dep}": no stack file declares it (${hint})`));
      }
    });
  }
  if (issues.length > 0) return issues;
  const cycle = findCycle(entries.map((e) => e.service));
  const member = cycle && entries.find((e) => e.service.name === cycle[0]);
  if (cycle && member) {
    // Point at the entry that starts the cycle: removing any one entry of it breaks it.
    const entry = member.service.dependsOn.indexOf(cycle[1]!);
    issues.push(member.p.issueAt(member.index, ['depends_on', entry], `depends_on makes a cycle: ${cycle.join(' -> ')}; remove one of these dependencies`));
  }
  return issues;
}

function findCycle(services: ServiceConfig[]): string[] | null {
  const byName = new Map(services.map((s) => [s.name, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'visiting') return [...trail.slice(trail.indexOf(name)), name];
    state.set(name, 'visiting');
    trail.push(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    trail.pop();
    state.set(name, 'done');
    return null;
  };
  for (const s of services) {
    const found = visit(s.name);
    if (found) return found;
  }
  return null;
}

/** Tunnel names are unique across the stack, and a tunnel's `service` is one of its services.
 * A stack has one Fly.io app at most. */
function checkTunnels(parsed: ParsedStackFile[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const withFly = parsed.filter((p) => p.fly !== null);
  for (const p of withFly.slice(1)) {
    issues.push(p.issueAtPath(['fly'], `a stack watches one Fly.io app, and ${withFly[0]!.file} has a "fly:" section already`));
  }
  const services = new Set(parsed.flatMap((p) => p.services.map((s) => s.name)));
  const seen = new Set<string>();
  for (const p of parsed) {
    p.tunnels.forEach((tunnel, index) => {
      if (seen.has(tunnel.name)) issues.push(p.issueAtPath(['tunnels', index, 'name'], `the tunnel name "${tunnel.name}" is used twice in the stack`));
      seen.add(tunnel.name);
      if (tunnel.service !== null && !services.has(tunnel.service)) {
        const near = nearestName(tunnel.service, [...services]);
        const hint = near ? ` (did you mean "${near}"?)` : ` (services: ${[...services].join(', ')})`;
        issues.push(p.issueAtPath(['tunnels', index, 'service'], `names the service "${tunnel.service}", which no stack file declares${hint}`));
      }
    });
  }
  return issues;
}
