// Limits on a stack file's shape that the YAML reader does not keep on its own, each found
// before it can hurt and pointed at the place to edit: nesting so deep that reading it would
// overflow the stack, aliases that name no anchor (or one defined later, or one they sit
// inside), and aliases that multiply into more data than fits in memory ("billion laughs").
// A stack file needs a handful of levels and a few aliases; these only catch mistakes and
// hostile files.
import { type Alias, CST, type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, Parser, visit } from 'yaml';

export const MAX_NESTING = 64;
/** Values a stack file may expand to once its aliases are repeated out (a large stack: a few thousand). */
export const MAX_EXPANDED_VALUES = 100_000;

type PathSegment = string | number;

const TOO_DEEP = `values are nested more than ${MAX_NESTING} levels deep here; a stack file needs only a few levels`;

/**
 * Where the first collection nested deeper than MAX_NESTING starts, or null. Reads the
 * parser's token tree, which is built without recursion, so that a file nested thousands of
 * levels deep is refused before the recursive step that would overflow the stack.
 */
export function findTooDeepNesting(text: string): { line: number; column: number; message: string } | null {
  const lines = new LineCounter();
  for (const token of new Parser(lines.addNewLine).parse(text)) {
    if (token.type !== 'document') continue;
    // Depth-first in document order: children are pushed in reverse.
    const stack: [CST.Token | null | undefined, number][] = [[token.value, 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (!CST.isCollection(node)) continue;
      if (depth + 1 > MAX_NESTING) {
        const { line, col } = lines.linePos(node.offset);
        return { line, column: col, message: TOO_DEEP };
      }
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i]!;
        stack.push([item.value, depth + 1]);
        stack.push([item.key, depth + 1]);
      }
    }
  }
  return null;
}

export interface ShapeProblem {
  node: Node;
  /** The field the node sits at, e.g. ['services', 0, 'command']; empty for the file as a whole. */
  segments: PathSegment[];
  message: string;
}

/** The field path of a node from visit()'s ancestors. */
function segmentsOf(ancestors: readonly unknown[], node: unknown): PathSegment[] {
  const chain = [...ancestors, node];
  const segments: PathSegment[] = [];
  for (let i = 0; i < chain.length - 1; i++) {
    const parent = chain[i];
    const child = chain[i + 1];
    if (isSeq(parent)) segments.push(parent.items.indexOf(child as never));
    else if (isPair(parent) && parent.value === child) segments.push(keyName(parent.key));
  }
  return segments;
}

/**
 * The first alias that cannot be resolved: no anchor of its name, an anchor defined only
 * further down (YAML reads top to bottom), or an anchor on a value that holds the alias
 * itself (a loop, which would make the stack endless).
 */
export function findAliasProblem(doc: Document, lineOf: (offset: number) => number): ShapeProblem | null {
  const laterAnchors = new Map<string, Node>();
  visit(doc, {
    Node(_key, node) {
      if (node.anchor && !laterAnchors.has(node.anchor)) laterAnchors.set(node.anchor, node);
    },
  });
  const seen = new Map<string, Node>();
  let problem: ShapeProblem | null = null;
  visit(doc, {
    Node(_key, node, ancestors) {
      if (isAlias(node)) {
        const name = node.source;
        const target = seen.get(name);
        const segments = segmentsOf(ancestors, node);
        if (!target) {
          const later = laterAnchors.get(name);
          const message = later
            ? `the alias "*${name}" comes before its anchor "&${name}" (line ${lineOf(later.range?.[0] ?? 0)}); YAML reads top to bottom, so move the anchor above its first use`
            : `the alias "*${name}" names no anchor "&${name}"; define "&${name}" on a value above it, or write the value out`;
          problem = { node, segments, message };
          return visit.BREAK;
        }
        if (ancestors.includes(target as never)) {
          problem = { node, segments, message: `the alias "*${name}" sits inside the value its anchor "&${name}" marks, which makes an endless loop; use the alias outside that value` };
          return visit.BREAK;
        }
      }
      if (node.anchor) seen.set(node.anchor, node);
    },
  });
  return problem;
}

/**
 * Aliases share one value in memory, but whatever walks the stack (the schema check, the
 * loader's reply to the engine) sees every repetition: nine aliases of nine aliases of ...
 * of a value ("billion laughs") are billions of values. Counts the values the file expands
 * to; over MAX_EXPANDED_VALUES, points at the alias that expands to the most. Only called
 * for files whose aliases all resolve (findAliasProblem) and whose nesting is bounded
 * (findTooDeepNesting), so the walk recurses at most MAX_NESTING levels.
 */
export function findAliasExpansionProblem(doc: Document): ShapeProblem | null {
  // Anchor name -> how many values its value expands to; a redefined anchor takes the
  // latest, as YAML does, because the walk goes in document order.
  const anchors = new Map<string, number>();
  let largest: { node: Alias; segments: PathSegment[]; size: number } | null = null;
  const sizeOf = (node: unknown, segments: PathSegment[]): number => {
    let size = 1;
    if (isAlias(node)) {
      size = anchors.get(node.source) ?? 1;
      if (!largest || size > largest.size) largest = { node, segments, size };
    } else if (isMap(node)) {
      for (const pair of node.items) size += sizeOf(pair.key, segments) + sizeOf(pair.value, [...segments, keyName(pair.key)]);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        size += sizeOf(item, [...segments, i]);
      });
    }
    // Set after its content is counted: an alias inside its own anchor was refused before.
    const anchor = (node as Node | null)?.anchor;
    if (anchor) anchors.set(anchor, size);
    return size;
  };
  const total = sizeOf(doc.contents, []);
  const found = largest as { node: Alias; segments: PathSegment[]; size: number } | null;
  if (total <= MAX_EXPANDED_VALUES || !found) return null;
  return {
    node: found.node,
    segments: found.segments,
    message:
      `the alias "*${found.node.source}" expands to about ${formatCount(found.size)} values, because aliases here repeat aliases ` +
      `(a "billion laughs" file); a stack file may expand to ${MAX_EXPANDED_VALUES.toLocaleString('en')} values at most. Write the values out, or nest fewer aliases`,
  };
}

function keyName(key: unknown): string {
  return String(isScalar(key) ? key.value : key);
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${Math.round(n / 1e9)} billion`;
  if (n >= 1e6) return `${Math.round(n / 1e6)} million`;
  return String(n);
}

/**
 * Nesting that only appears once aliases are expanded (an anchor holding an alias to a deep
 * anchor, and so on): the path to the first value deeper than MAX_NESTING, or null. Bounded
 * recursion: it never goes below MAX_NESTING + 1 levels.
 */
export function findDeepData(data: unknown): PathSegment[] | null {
  // Levels of objects in a value (itself included), for values reached again through another alias.
  const heights = new WeakMap<object, number>();
  let found: PathSegment[] | null = null;
  const heightOf = (value: unknown, path: PathSegment[]): number => {
    if (found || value === null || typeof value !== 'object') return 0;
    if (path.length >= MAX_NESTING) {
      found = path;
      return 0;
    }
    const known = heights.get(value);
    if (known !== undefined && path.length + known <= MAX_NESTING) return known;
    let height = 0;
    const entries: [PathSegment, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, child] of entries) {
      height = Math.max(height, heightOf(child, [...path, key]));
      if (found) return 0;
    }
    heights.set(value, height + 1);
    return height + 1;
  };
  heightOf(data, []);
  return found;
}

export const DEEP_AFTER_ALIASES = `nested more than ${MAX_NESTING} levels deep once its aliases are expanded; a stack file needs only a few levels`;
