// State that outlives one RuleSet. Each edit of the stack file builds a new RuleSet; a rule
// whose settings did not change carries on with the state the old one had built (a threshold's
// pending time and hysteresis, an anomaly baseline learned over hours, a leak's window), instead
// of starting over on every unrelated edit.
//
// Stores are keyed by a fingerprint: the rule's name and its settings, as JSON. Same settings,
// same store; changed settings, a new one (a baseline learned with another half-life, or a
// tracker with other levels, would be wrong).

export class RuleMemory {
  private readonly stores = new Map<string, Map<string, unknown>>();
  private readonly byRule = new Map<string, Set<string>>();
  private previous: RuleMemory | null;

  constructor(previous: RuleMemory | null = null) {
    this.previous = previous;
  }

  /** The store of a rule with these settings: the previous RuleSet's, when it had the same. */
  store<T>(rule: string, settings: unknown): Map<string, T> {
    const fingerprint = `${rule}|${JSON.stringify(settings)}`;
    let store = this.stores.get(fingerprint) ?? this.previous?.stores.get(fingerprint);
    if (!store) store = new Map();
    this.stores.set(fingerprint, store);
    const prints = this.byRule.get(rule) ?? new Set();
    prints.add(fingerprint);
    this.byRule.set(rule, prints);
    return store as Map<string, T>;
  }

  /** Every store `rule` had in `older` is carried on here: its open alerts continue. */
  carries(rule: string, older: RuleMemory): boolean {
    const prints = older.byRule.get(rule);
    if (!prints) return false;
    for (const print of prints) if (this.stores.get(print) !== older.stores.get(print)) return false;
    return true;
  }

  /** The previous memory is needed only while the new RuleSet is built. */
  release(): void {
    this.previous = null;
  }
}
