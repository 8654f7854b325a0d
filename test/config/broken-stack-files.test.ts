// Every broken stack file gets one message that names the line and column to edit, the field,
// and what is wrong, and loading it never touches the file.
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssue, loadStack, StackFileError } from '../../src/core/config/load-stack.ts';
import { tempDir, writeIn, yaml } from '../helpers/temp-files.ts';

interface BrokenFile {
  name: string;
  text: string;
  line: number;
  column: number;
  /** '' for a problem with the file as a whole (YAML syntax, empty file). */
  field: string;
  words: string[];
}

const web = ['services:', '  - name: web', '    command: [node, server.js]'];

const cases: BrokenFile[] = [
  // wrong types and ranges
  { name: 'port given as a word', text: yaml(...web, '    port: not-a-port'), line: 4, column: 11, field: 'services[0].port', words: ['port number', '1-65535', '"not-a-port"'] },
  { name: 'port out of range', text: yaml(...web, '    port: 70000'), line: 4, column: 11, field: 'services[0].port', words: ['port number', '1-65535', '70000'] },
  { name: 'command word that is a number', text: yaml('services:', '  - name: nap', '    command: [sleep, 5]'), line: 3, column: 14, field: 'services[0].command', words: ['string', 'got 5', '"5"'] },
  { name: 'shell given as "yes"', text: yaml(...web, '    shell: yes'), line: 4, column: 12, field: 'services[0].shell', words: ['true or false', '"yes"'] },
  { name: 'version other than 1', text: yaml('version: 2', 'services: []'), line: 1, column: 10, field: 'version', words: ['version is 1', 'got 2'] },
  // unknown keys, with a suggestion
  { name: 'comand instead of command', text: yaml('services:', '  - name: web', '    comand: [node, server.js]'), line: 3, column: 5, field: 'services[0].comand', words: ['unknown key "comand"', 'did you mean "command"?'] },
  { name: 'depnds_on instead of depends_on', text: yaml(...web, '    depnds_on: [db]'), line: 4, column: 5, field: 'services[0].depnds_on', words: ['unknown key "depnds_on"', 'did you mean "depends_on"?'] },
  { name: 'health.intervall instead of interval', text: yaml(...web, '    port: 3000', '    health:', '      intervall: 2s'), line: 6, column: 7, field: 'services[0].health.intervall', words: ['did you mean "interval"?'] },
  { name: 'restart.backof instead of backoff', text: yaml(...web, '    restart:', '      backof:', '        initial: 1s'), line: 5, column: 7, field: 'services[0].restart.backof', words: ['did you mean "backoff"?'] },
  { name: 'servics instead of services, reported once', text: yaml('servics:', '  - name: web'), line: 1, column: 1, field: 'servics', words: ['did you mean "services"?'] },
  { name: 'nme instead of name, reported once', text: yaml('services:', '  - nme: web', '    command: [node, server.js]'), line: 2, column: 5, field: 'services[0].nme', words: ['did you mean "name"?'] },
  { name: 'unknown key with nothing close', text: yaml(...web, '    zzzzzz: 1'), line: 4, column: 5, field: 'services[0].zzzzzz', words: ['unknown key "zzzzzz"', 'expected one of: name, command'] },
  // enums, durations, sizes
  { name: 'restart.policy "sometimes"', text: yaml(...web, '    restart:', '      policy: sometimes'), line: 5, column: 15, field: 'services[0].restart.policy', words: ['"always", "on-failure" or "never"', '"sometimes"'] },
  { name: 'stop.signal "SIGFOO"', text: yaml(...web, '    stop:', '      signal: SIGFOO'), line: 5, column: 15, field: 'services[0].stop.signal', words: ['SIGTERM', '"SIGFOO"'] },
  { name: 'duration "5 parsecs"', text: yaml(...web, '    stop:', '      timeout: 5 parsecs'), line: 5, column: 16, field: 'services[0].stop.timeout', words: ['duration', '"2s"', '"5 parsecs"'] },
  { name: 'size "huge"', text: yaml(...web, '    logs:', '      max_size: huge'), line: 5, column: 17, field: 'services[0].logs.max_size', words: ['size', '"10MB"', '"huge"'] },
  { name: 'size 0', text: yaml(...web, '    logs:', '      max_size: 0'), line: 5, column: 17, field: 'services[0].logs.max_size', words: ['size', 'more than 0', 'got 0'] },
  // a service's metrics endpoint
  { name: 'metrics url that is not a URL', text: yaml(...web, '    metrics: { url: not-a-url }'), line: 4, column: 21, field: 'services[0].metrics.url', words: ['http(s) URL', '/metrics', '"not-a-url"'] },
  { name: 'metrics without a url', text: yaml(...web, '    metrics:', '      interval: 5s'), line: 5, column: 7, field: 'services[0].metrics.url', words: ['missing required key "url"'] },
  { name: 'metrics.intervall instead of interval', text: yaml(...web, '    metrics:', '      url: http://127.0.0.1:8080/metrics', '      intervall: 5s'), line: 6, column: 7, field: 'services[0].metrics.intervall', words: ['did you mean "interval"?'] },
  { name: 'metrics interval of 10 (milliseconds)', text: yaml(...web, '    metrics: { url: "http://127.0.0.1:8080/metrics", interval: 10 }'), line: 4, column: 64, field: 'services[0].metrics.interval', words: ['at least 1s', 'got 10'] },
  { name: 'metrics given as a URL string', text: yaml(...web, '    metrics: http://127.0.0.1:8080/metrics'), line: 4, column: 14, field: 'services[0].metrics', words: ['expected a metrics endpoint', 'url'] },
  // names
  { name: 'service without a name', text: yaml('services:', '  - command: [node, server.js]', '    port: 3000'), line: 2, column: 5, field: 'services[0].name', words: ['missing required key "name"'] },
  { name: 'two services of one name', text: yaml(...web, '  - name: web', '    command: [node, other.js]'), line: 4, column: 11, field: 'services[1].name', words: ['"web"', 'already used', 'line 2'] },
  { name: 'name "all", which the CLI reserves', text: yaml('services:', '  - name: all', '    command: [node, server.js]'), line: 2, column: 11, field: 'services[0].name', words: ['"all" is reserved'] },
  // dependencies
  {
    name: 'depends_on a service nobody declares',
    text: yaml('services:', '  - name: database', '    command: [postgres]', '    port: 5432', '  - name: api', '    command: [node, api.js]', '    depends_on: [databse]'),
    line: 7,
    column: 18,
    field: 'services[1].depends_on[0]',
    words: ['unknown service "databse"', 'did you mean "database"?'],
  },
  {
    name: 'depends_on cycle a -> b -> a',
    text: yaml('services:', '  - name: a', '    command: [node, a.js]', '    depends_on: [b]', '  - name: b', '    command: [node, b.js]', '    depends_on: [a]'),
    line: 4,
    column: 18,
    field: 'services[0].depends_on[0]',
    words: ['cycle', 'a -> b -> a'],
  },
  { name: 'service that depends on itself', text: yaml(...web, '    depends_on: [web]'), line: 4, column: 18, field: 'services[0].depends_on[0]', words: ['cannot depend on itself'] },
  // commands and health checks that cannot work
  { name: 'string command without shell: true', text: yaml('services:', '  - name: web', '    command: node server.js'), line: 3, column: 14, field: 'services[0].command', words: ['"shell: true"', '["node", "server.js"]'] },
  { name: 'http health check without url or port', text: yaml(...web, '    health:', '      type: http'), line: 5, column: 7, field: 'services[0].health', words: ['http health check', '"url"', '"port"'] },
  { name: 'health path without a port', text: yaml(...web, '    health:', '      path: /health'), line: 5, column: 13, field: 'services[0].health.path', words: ['"path"', '"port"', '"url"'] },
  { name: 'tcp health check without a port', text: yaml(...web, '    health:', '      type: tcp'), line: 5, column: 13, field: 'services[0].health.type', words: ['tcp health check', '"port"'] },
  { name: 'watch-only service with neither port nor health url', text: yaml('services:', '  - name: db', '    cwd: ./data'), line: 2, column: 5, field: 'services[0]', words: ['"db"', 'no "command"', '"port"', 'health "url"'] },
  // YAML syntax: pointed at the line to edit
  { name: 'key indented deeper than the one above', text: yaml('services:', '  - name: web', '     command: [node, server.js]'), line: 3, column: 6, field: '', words: ['YAML syntax', 'indented more', 'line 2'] },
  { name: 'key indented less than the ones above', text: yaml(...web, '   port: 3000'), line: 4, column: 4, field: '', words: ['YAML syntax', 'not lined up', 'same column'] },
  { name: 'unclosed flow sequence', text: yaml('services:', '  - name: web', '    command: [node, server.js', '    port: 3000'), line: 3, column: 14, field: '', words: ['YAML syntax', '"[" is never closed', '"]"'] },
  { name: 'unclosed quote', text: yaml('services:', '  - name: "web', '    command: [node, server.js]'), line: 2, column: 11, field: '', words: ['YAML syntax', 'quoted value is never closed'] },
  { name: 'tab as indentation', text: yaml('services:', '  - name: web', '\tcommand: [node, server.js]'), line: 3, column: 1, field: '', words: ['YAML syntax', 'tabs', 'spaces'] },
  { name: 'the same key twice', text: yaml(...web, '    port: 3000', '    port: 3001'), line: 5, column: 5, field: '', words: ['YAML syntax', 'duplicate key "port"', 'line 4'] },
  { name: 'a second YAML document', text: yaml('services: []', '---', 'services: []'), line: 2, column: 1, field: '', words: ['YAML syntax', 'one YAML document', '"---"'] },
  // the file's overall shape
  { name: 'empty file', text: '', line: 1, column: 1, field: '', words: ['empty', '"services:"'] },
  { name: 'file of comments only', text: yaml('# services go here'), line: 1, column: 1, field: '', words: ['empty', '"services:"'] },
  { name: 'top-level list instead of a mapping', text: yaml('- name: web', '  command: [node, server.js]'), line: 1, column: 1, field: '', words: ['mapping', '"services:"', 'got a list'] },
  { name: 'services as a mapping, not a list', text: yaml('services:', '  name: web', '  command: [node, server.js]'), line: 2, column: 3, field: 'services', words: ['list of services', '"- name: ..."'] },
  { name: 'file without services', text: yaml('version: 1'), line: 1, column: 1, field: 'services', words: ['missing required key "services"'] },
  { name: 'empty service entry', text: yaml('services:', '  -'), line: 2, column: 4, field: 'services[0]', words: ['expected a service', 'got null'] },
  // the engine's secrets a service may see
  { name: 'pass_secrets naming an ordinary variable', text: yaml(...web, '    pass_secrets: [FLY_API_TOKEN, HOME]'), line: 4, column: 35, field: 'services[0].pass_secrets[1]', words: ['"HOME"', "not one of the engine's secrets", 'FLY_API_TOKEN', 'reaches the service anyway'] },
  { name: 'pass_secrets as a word, not a list', text: yaml(...web, '    pass_secrets: FLY_API_TOKEN'), line: 4, column: 19, field: 'services[0].pass_secrets', words: ['list of variable names', '[FLY_API_TOKEN]'] },
  // aliases and nesting: what a careless edit or a hostile file does to the YAML reader
  { name: 'an alias with no anchor', text: yaml('services:', '  - name: web', '    command: *nope'), line: 3, column: 14, field: 'services[0].command', words: ['"*nope"', 'no anchor "&nope"'] },
  {
    name: 'an alias before its anchor',
    text: yaml('services:', '  - name: web', '    command: *cmd', '  - name: api', '    command: &cmd [node, api.js]'),
    line: 3,
    column: 14,
    field: 'services[0].command',
    words: ['"*cmd"', '"&cmd"', 'line 5', 'before'],
  },
  { name: 'an alias inside its own anchor', text: yaml('services:', '  - name: web', '    command: &cmd [node, *cmd]'), line: 3, column: 26, field: 'services[0].command[1]', words: ['"*cmd"', 'inside', 'loop'] },
  {
    name: 'an alias bomb ("billion laughs")',
    text: yaml(
      'x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      ...'bcdefghi'.split('').map((c, i) => `x-${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
      'services:',
      '  - name: web',
      '    command: *i',
    ),
    line: 12,
    column: 14,
    field: 'services[0].command',
    words: ['"*i"', 'expands to', 'billion laughs'],
  },
  {
    name: '2000 levels of [ (the YAML reader would run out of stack)',
    text: yaml('services:', '  - name: web', '    command: [node]', `    env: ${'['.repeat(2000)}${']'.repeat(2000)}`),
    line: 4,
    column: 71, // the 65th level: root, services, the service, then 62 brackets
    field: '',
    words: ['nested more than 64 levels deep', 'a few'],
  },
  {
    name: '200 levels of indentation',
    text: yaml('services:', '  - name: web', '    command: [node]', '    env:', ...Array.from({ length: 200 }, (_, i) => `${' '.repeat(6 + i)}a:`)),
    line: 66,
    column: 68,
    field: '',
    words: ['nested more than 64 levels deep'],
  },
  {
    name: 'aliases that nest deeper than 64 levels once expanded',
    text: yaml(
      // Each anchor nests 9 levels around the one before: *l6 is 63 levels deep.
      `x-0: &l0 ${'['.repeat(9)}1${']'.repeat(9)}`,
      ...Array.from({ length: 6 }, (_, i) => `x-${i + 1}: &l${i + 1} ${'['.repeat(9)}*l${i}${']'.repeat(9)}`),
      'services:',
      '  - name: web',
      '    command: *l6',
    ),
    line: 10,
    column: 14,
    field: '',
    words: ['"*l6"', 'nested more than 64 levels deep', 'aliases are expanded'],
  },
];

describe('a broken stack file', () => {
  it.each(cases)('$name: one message at line $line, column $column', async ({ text, line, column, field, words }) => {
    const file = writeIn(tempDir(), 'vigil.yml', text);
    const before = statSync(file).mtimeMs;

    const error = await loadStack([file]).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(StackFileError);
    const issues = (error as StackFileError).issues;
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    expect(issue).toMatchObject({ file, line, column, field });
    for (const word of words) expect(issue!.message).toContain(word);
    const where = `${file}:${line}:${column}: ${field ? `${field}: ` : ''}`;
    expect(formatIssue(issue!).slice(0, where.length)).toBe(where);
    // loading never writes to the user's file
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(statSync(file).mtimeMs).toBe(before);
  });
});
