// A user rule's message: "{{service}} latency {{value}} ms > {{threshold}}". Named fields and
// nothing else (no logic, no helpers, no HTML escaping to get wrong): a template engine such as
// Handlebars would run what a stack file says and report a misspelt field only by printing
// nothing. Here a field no rule can fill is an error when the stack file loads.
// {{labels.NAME}} reads any label of the series (for scraped series, whose labels are not
// known in advance); it is empty when the series has no such label.
import { nearestName } from '../../kit/schema-kit.ts';

export type TemplatePart = string | { field: string };

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const FIELD = /^\s*([a-zA-Z_][a-zA-Z0-9_]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*)?)\s*$/;

/** Splits a template into text and fields, checking every field against `known`. */
export function parseTemplate(text: string, known: readonly string[]): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      parts.push(text.slice(i));
      break;
    }
    if (open > i) parts.push(text.slice(i, open));
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`"{{" at character ${open + 1} is never closed with "}}"`);
    const inner = text.slice(open + 2, close);
    const field = FIELD.exec(inner)?.[1];
    if (!field) throw new TemplateError(`{{${inner}}} is not a field name; write a field such as {{value}} or {{labels.route}}`);
    if (field.includes('.') && !field.startsWith('labels.')) throw new TemplateError(`{{${field}}}: only labels.NAME may have a dot`);
    if (!field.startsWith('labels.') && !known.includes(field)) {
      const near = nearestName(field, [...known]);
      const hint = near ? `did you mean {{${near}}}?` : `fields: ${known.map((k) => `{{${k}}}`).join(', ')}, or {{labels.NAME}} for any label`;
      throw new TemplateError(`unknown field {{${field}}} (${hint})`);
    }
    parts.push({ field });
    i = close + 2;
  }
  return parts;
}

/** Fills the fields in; `labels.NAME` reads `labels`. */
export function renderTemplate(parts: readonly TemplatePart[], fields: Record<string, string>, labels: Record<string, string>): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if (part.field.startsWith('labels.')) out += labels[part.field.slice(7)] ?? '';
    else out += fields[part.field] ?? '';
  }
  return out;
}
