// What loading a stack produces: the services, or every problem found, each with its place.
// Kept free of the parser and the schema so that the engine can report problems without
// loading either (it loads stack files in a child process; see load-stack-isolated.ts).
import type { FlyConfig } from '../watchers/fly/fly-config.ts';
import type { TunnelConfig } from '../watchers/tunnels/tunnel-config.ts';
import type { ServiceConfig } from './service-config.ts';

export interface ConfigIssue {
  /** The file as the user named it. */
  file: string;
  line: number;
  column: number;
  /** Field path such as `services[0].port`; empty for problems with the file as a whole. */
  field: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.field ? `${where}: ${issue.field}: ${issue.message}` : `${where}: ${issue.message}`;
}

export class StackFileError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'StackFileError';
    this.issues = issues;
  }
}

export interface LoadedStack {
  files: string[];
  services: ServiceConfig[];
  tunnels: TunnelConfig[];
  /** The `fly:` section; one stack has at most one. */
  fly: FlyConfig | null;
}
