// Which alerts a silence matches: by rule, by service, by any labels; every given field must
// match. The service is the `service` label (rules about a service carry it).
import type { Alert, SilenceMatcher } from '../../../shared/alerts.ts';

export function silenceMatches(matcher: SilenceMatcher, alert: Pick<Alert, 'rule' | 'labels'>): boolean {
  if (matcher.rule !== undefined && matcher.rule !== alert.rule) return false;
  if (matcher.service !== undefined && matcher.service !== alert.labels.service) return false;
  if (matcher.labels) {
    for (const [name, value] of Object.entries(matcher.labels)) if (alert.labels[name] !== value) return false;
  }
  return true;
}

/** Why a matcher cannot be a silence, or null. A matcher with no field would match every alert:
 * that is what pausing alerts is for, and a silence that says so is clearer. */
export function matcherProblem(matcher: SilenceMatcher): string | null {
  const fields = (matcher.rule !== undefined ? 1 : 0) + (matcher.service !== undefined ? 1 : 0) + Object.keys(matcher.labels ?? {}).length;
  if (fields === 0) return 'a silence needs a rule, a service or a label to match (to mute every alert, pause alerts instead)';
  const empty = [matcher.rule, matcher.service, ...Object.values(matcher.labels ?? {})].some((value) => value === '');
  return empty ? 'a silence cannot match an empty value' : null;
}

/** "rule=service-crashed", "service=server", "tunnel=public,alertname=tunnel-down": the text
 * form the CLI takes (`vigil silence <matcher> <duration>`) and prints. */
export function describeMatcher(matcher: SilenceMatcher): string {
  const parts: string[] = [];
  if (matcher.rule !== undefined) parts.push(`rule=${matcher.rule}`);
  if (matcher.service !== undefined) parts.push(`service=${matcher.service}`);
  for (const [name, value] of Object.entries(matcher.labels ?? {})) parts.push(`${name}=${value}`);
  return parts.join(',');
}

/** The inverse of describeMatcher; a bare word is a service name. Throws on a malformed part. */
export function parseMatcher(text: string): SilenceMatcher {
  const matcher: SilenceMatcher = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      matcher.service = part;
      continue;
    }
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!name || !value) throw new Error(`expected name=value in the matcher, got "${part}"`);
    if (name === 'rule') matcher.rule = value;
    else if (name === 'service') matcher.service = value;
    else matcher.labels = { ...matcher.labels, [name]: value };
  }
  const problem = matcherProblem(matcher);
  if (problem) throw new Error(problem);
  return matcher;
}
