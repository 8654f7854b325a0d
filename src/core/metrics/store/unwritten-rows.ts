// Rows waiting for the next commit. A commit takes them all; if its transaction rolls back
// (disk full, file locked) they go back in front of any that came meanwhile, in order.
export class UnwrittenRows<T> {
  private pending: T[] = [];
  private taken: T[] = [];

  push(row: T): void {
    this.pending.push(row);
  }

  /** Drops the oldest beyond `max`; how many went. */
  cap(max: number): number {
    const over = this.pending.length - max;
    if (over <= 0) return 0;
    this.pending.splice(0, over);
    return over;
  }

  get length(): number {
    return this.pending.length;
  }

  /** Every row, committed or not yet: those of a commit in progress, then the rest. */
  all(): readonly T[] {
    return this.taken.length === 0 ? this.pending : [...this.taken, ...this.pending];
  }

  /** For the commit transaction: the rows to write. */
  take(): readonly T[] {
    this.taken = this.pending;
    this.pending = [];
    return this.taken;
  }

  /** After the transaction: committed, or rolled back (then the rows wait for the next one). */
  settle(committed: boolean): void {
    if (!committed) this.pending = [...this.taken, ...this.pending];
    this.taken = [];
  }
}
