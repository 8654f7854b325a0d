// The user's runtime switches, remembered across restarts of Vigil: the global auto-restart
// switch and per-service overrides. (In the app these mirror electron-store; the engine keeps
// its own copy so that headless mode remembers them too.) Also what the user sets by hand in
// the same file: the metrics history's retention and the sampling rates ("metrics", see
// metrics/metrics-settings.ts), read once at start.
import { readJsonFile, writeJsonFile } from './kit/json-file.ts';
import { type MetricsSettings, parseMetricsSettings } from './metrics/metrics-settings.ts';

interface SettingsData {
  autoRestart: boolean;
  serviceAutoRestart: Record<string, boolean>;
}

export class Settings {
  private readonly file: string;
  private data: SettingsData;
  /** What the file held, so that saving the switches keeps the user's other settings. */
  private readonly loaded: Record<string, unknown>;
  readonly metrics: MetricsSettings;

  /** Throws SettingsError for a bad metrics setting (with the file and the field). */
  constructor(file: string) {
    this.file = file;
    const read = readJsonFile<unknown>(file, {});
    const loaded = (typeof read === 'object' && read !== null && !Array.isArray(read) ? read : {}) as Partial<SettingsData> & Record<string, unknown>;
    this.loaded = loaded;
    this.metrics = parseMetricsSettings(loaded.metrics, file);
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
    writeJsonFile(this.file, { ...this.loaded, ...this.data });
  }
}
