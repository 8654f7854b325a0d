// Types for series-synth.mjs, so TypeScript benchmarks can import from it (the alert storm
// uses its seeded generator). Only what a TypeScript file imports is declared.
/** Mulberry32: small, fast, seeded; uniform in [0, 1). */
export function seeded(seed: number): () => number;
