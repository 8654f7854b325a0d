// The keys of `vigil top`, as Node's readline reports a key press (raw mode): q or Ctrl-C to
// quit, the arrows (or j/k) to move the selection, r to restart the selected service, Ctrl-L
// to repaint the whole screen.

export type TopAction = { kind: 'quit' } | { kind: 'select'; delta: number } | { kind: 'restart' } | { kind: 'repaint' };

/** What readline's 'keypress' event passes as its second argument. */
export interface KeyPress {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  sequence?: string;
}

export function actionForKey(key: KeyPress | undefined): TopAction | null {
  if (!key) return null;
  if (key.ctrl) {
    if (key.name === 'c' || key.name === 'd') return { kind: 'quit' };
    if (key.name === 'l') return { kind: 'repaint' };
    return null;
  }
  if (key.meta) return null;
  switch (key.name) {
    case 'q':
      return { kind: 'quit' };
    case 'up':
    case 'k':
      return { kind: 'select', delta: -1 };
    case 'down':
    case 'j':
      return { kind: 'select', delta: 1 };
    case 'pageup':
      return { kind: 'select', delta: -10 };
    case 'pagedown':
      return { kind: 'select', delta: 10 };
    case 'r':
      return key.shift ? null : { kind: 'restart' };
    default:
      return null;
  }
}
