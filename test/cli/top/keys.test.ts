import { describe, expect, it } from 'vitest';
import { actionForKey } from '../../../src/cli/top/keys.ts';

describe('vigil top keys', () => {
  it('q and Ctrl-C quit; arrows and j/k select; r restarts; Ctrl-L repaints', () => {
    expect(actionForKey({ name: 'q' })).toEqual({ kind: 'quit' });
    expect(actionForKey({ name: 'c', ctrl: true })).toEqual({ kind: 'quit' });
    expect(actionForKey({ name: 'up' })).toEqual({ kind: 'select', delta: -1 });
    expect(actionForKey({ name: 'j' })).toEqual({ kind: 'select', delta: 1 });
    expect(actionForKey({ name: 'pagedown' })).toEqual({ kind: 'select', delta: 10 });
    expect(actionForKey({ name: 'r' })).toEqual({ kind: 'restart' });
    expect(actionForKey({ name: 'l', ctrl: true })).toEqual({ kind: 'repaint' });
  });

  it('ignores everything else, Shift-R and Alt-q included', () => {
    expect(actionForKey({ name: 'r', shift: true })).toBeNull();
    expect(actionForKey({ name: 'q', meta: true })).toBeNull();
    expect(actionForKey({ name: 'x' })).toBeNull();
    expect(actionForKey({ name: 'escape' })).toBeNull();
    expect(actionForKey(undefined)).toBeNull();
  });
});
