// The processes this engine started, on disk, so that an engine started after a crash can
// adopt them instead of starting the stack twice.
import { readJsonFile, writeJsonFile } from '../kit/json-file.ts';
import type { DefinitionFingerprint } from './definition-fingerprint.ts';

export interface ProcessRecord {
  pid: number;
  /** The argv Vigil spawned: the live process must still show it to count as this one. */
  argv: string[];
  cwd: string;
  port: number | null;
  startedAt: string;
  /** The definition it was started from, as digests (see definition-fingerprint.ts). Missing
   * in records an older Vigil wrote: those are judged by argv, cwd and port alone. */
  definition?: DefinitionFingerprint;
}

export class ProcessRecords {
  private readonly file: string;
  private readonly records: Record<string, ProcessRecord>;

  constructor(file: string) {
    this.file = file;
    this.records = readJsonFile<Record<string, ProcessRecord>>(file, {});
  }

  get(service: string): ProcessRecord | undefined {
    return this.records[service];
  }

  set(service: string, record: ProcessRecord): void {
    this.records[service] = record;
    this.save();
  }

  delete(service: string): void {
    if (!(service in this.records)) return;
    delete this.records[service];
    this.save();
  }

  private save(): void {
    try {
      writeJsonFile(this.file, this.records);
    } catch {
      // Losing the record only costs adoption after a crash; supervision goes on.
    }
  }
}
