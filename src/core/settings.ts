// The user's runtime switches, remembered across restarts of Vigil: the global auto-restart
// switch and per-service overrides. (In the app these mirror electron-store; the engine keeps
// its own copy so that headless mode remembers them too.)
import { readJsonFile, writeJsonFile } from './kit/json-file.ts';

interface SettingsData {
  autoRestart: boolean;
  serviceAutoRestart: Record<string, boolean>;
}

export class Settings {
  private readonly file: string;
  private data: SettingsData;

  constructor(file: string) {
    this.file = file;
    const loaded = readJsonFile<Partial<SettingsData>>(file, {});
    this.data = {
      autoRestart: typeof loaded.autoRestart === 'boolean' ? loaded.autoRestart : true,
      serviceAutoRestart: typeof loaded.serviceAutoRestart === 'object' && loaded.serviceAutoRestart ? loaded.serviceAutoRestart : {},
    };
  }

  get globalAutoRestart(): boolean {
    return this.data.autoRestart;
  }

  override(service: string): boolean | null {
    return this.data.serviceAutoRestart[service] ?? null;
  }

  /** The switch that applies to a service: its override if set, else the global one. */
  autoRestart(service: string): boolean {
    return this.override(service) ?? this.data.autoRestart;
  }

  setGlobal(enabled: boolean): void {
    this.data.autoRestart = enabled;
    this.save();
  }

  setOverride(service: string, enabled: boolean | null): void {
    if (enabled === null) delete this.data.serviceAutoRestart[service];
    else this.data.serviceAutoRestart[service] = enabled;
    this.save();
  }

  private save(): void {
    writeJsonFile(this.file, this.data);
  }
}
