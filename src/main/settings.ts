// The app's own settings in electron-store (userData/settings.json): window bounds, the stack
// files the app opens, and a mirror of the engine's auto-restart switch (the engine keeps the
// real one in VIGIL_HOME, so `vigil serve` and the app agree).
import Store from 'electron-store';
import type { StateSnapshot } from '../shared/contract.ts';
import type { Rect } from './window-bounds.ts';

export interface AppSettings {
  windowBounds: Rect | null;
  /** Stack files to open when none is given on the command line. */
  stackFiles: string[];
  /** The engine's global auto-restart switch as last seen (null: never seen). */
  autoRestart: boolean | null;
  /** Secrets for the engine, encrypted with safeStorage (see secret-store.ts): base64 ciphertext only. */
  secrets: Record<string, string>;
}

export type SettingsStore = Store<AppSettings>;

export function setupSettings(): SettingsStore {
  return new Store<AppSettings>({
    name: 'settings',
    defaults: { windowBounds: null, stackFiles: [], autoRestart: null, secrets: {} },
    // A hand-edited file with a wrong type must not take the app down: start from defaults.
    clearInvalidConfig: true,
    // It holds the secrets' ciphertext and the stack files the user opens: theirs alone.
    configFileMode: 0o600,
  });
}

/** Keeps the auto-restart mirror in step with the engine's snapshots. */
export function mirrorAutoRestart(store: SettingsStore, onLive: (listener: (state: StateSnapshot) => void) => void): void {
  onLive((state) => {
    if (store.get('autoRestart') !== state.autoRestart) store.set('autoRestart', state.autoRestart);
  });
}
