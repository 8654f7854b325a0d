// Log patterns run against every line a service prints: they must match as grep does, refuse
// what RE2 cannot run in linear time, and stay fast on the lines that make a backtracking
// engine hang.
import { describe, expect, it } from 'vitest';
import { compileLinePattern, compileValuePattern, MAX_PATTERN_CHARS, PatternError, patternProblem } from '../../../src/core/alerts/rules/safe-pattern.ts';

describe('a line pattern', () => {
  it('matches anywhere in the line, as grep does', () => {
    const errors = compileLinePattern('ERROR');
    expect(errors.test('2025-01-01 ERROR database gone')).toBe(true);
    expect(errors.test('2025-01-01 error database gone')).toBe(false);
    const status = compileLinePattern('status=5\\d\\d');
    expect(status.test('GET / status=503 in 3ms')).toBe(true);
    expect(status.test('GET / status=404 in 3ms')).toBe(false);
  });

  it('ignores case when asked, for words and for patterns alike', () => {
    expect(compileLinePattern('error', true).test('an ERROR here')).toBe(true);
    expect(compileLinePattern('time(d )?out', true).test('Request TIMED OUT')).toBe(true);
    expect(compileLinePattern('timeout|refused', true).test('connection REFUSED')).toBe(true);
  });

  it('treats a plain word literally (a dot in it is a dot only when escaped)', () => {
    expect(compileLinePattern('v1.2').test('running v1x2')).toBe(true); // "." is any character
    expect(compileLinePattern('v1\\.2').test('running v1x2')).toBe(false);
    expect(compileLinePattern('[warn]').test('w')).toBe(true); // a class, as RE2 reads it
  });

  it('refuses back-references and look-around, saying why', () => {
    for (const source of ['(a)\\1', 'foo(?=bar)', 'foo(?!bar)']) {
      expect(() => compileLinePattern(source)).toThrow(PatternError);
      expect(patternProblem(source)).toContain('linear');
    }
    expect(patternProblem('[oops')).toContain('missing closing ]');
    expect(patternProblem('')).toContain('empty');
    expect(patternProblem('x'.repeat(MAX_PATTERN_CHARS + 1))).toContain(`at most ${MAX_PATTERN_CHARS}`);
    expect(patternProblem('ERROR')).toBeNull();
  });

  it('answers (a+)+$ against a long line as fast as any other pattern: no backtracking', () => {
    const evil = compileLinePattern('(a+)+$');
    const line = `${'a'.repeat(5000)}!`;
    // JavaScript's RegExp needs about 2^5000 steps for this line; RE2 one pass. The test would
    // not finish (not merely be slow) if the pattern backtracked.
    expect(evil.test(line)).toBe(false);
    expect(evil.test('aaaa')).toBe(true);
  });
});

describe('a value pattern (a =~ label matcher)', () => {
  it('matches the whole value, as Prometheus does', () => {
    const apiOrWeb = compileValuePattern('api|web');
    expect(apiOrWeb.matches('api')).toBe(true);
    expect(apiOrWeb.matches('web')).toBe(true);
    expect(apiOrWeb.matches('api-2')).toBe(false);
    expect(compileValuePattern('api.*').matches('api-2')).toBe(true);
  });
});
