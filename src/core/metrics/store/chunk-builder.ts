// The open ("head") chunk of one series in one tier: the newest samples, kept as plain
// columns in memory until there are enough of them to close into a chunk of their own.
import { decodeChunk, encodeChunk } from './chunk-codec.ts';

export class ChunkBuilder {
  columns: Float64Array[];
  count = 0;
  private capacity: number;

  constructor(width: number, capacity: number) {
    this.capacity = capacity;
    this.columns = Array.from({ length: width }, () => new Float64Array(capacity));
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  get firstTime(): number {
    return this.columns[0]![0]!;
  }

  get lastTime(): number {
    return this.columns[0]![this.count - 1]!;
  }

  push2(t: number, value: number): void {
    const i = this.count++;
    this.columns[0]![i] = t;
    this.columns[1]![i] = value;
  }

  push(row: readonly number[]): void {
    const i = this.count++;
    for (let c = 0; c < this.columns.length; c++) this.columns[c]![i] = row[c]!;
  }

  encode(): Uint8Array {
    return encodeChunk(this.columns, this.count);
  }

  /** Refills from a stored head chunk (after a restart). A head stored by a build with
   * bigger chunks is kept whole: it is full, and closes at the next sample. */
  load(bytes: Uint8Array): void {
    const { count, columns } = decodeChunk(bytes);
    if (columns.length !== this.columns.length) throw new Error(`stored head has ${columns.length} columns, expected ${this.columns.length}`);
    if (count > this.capacity) {
      this.columns = columns;
      this.capacity = count;
    } else {
      for (let c = 0; c < columns.length; c++) this.columns[c]!.set(columns[c]!);
    }
    this.count = count;
  }

  clear(): void {
    this.count = 0;
  }
}
