// A small usage bar for the header, as htop draws them: "[|||||     ]". ASCII on purpose: it
// reads the same in every font and without colour.

/** `width` columns in all, brackets included; null (no value) draws an empty bar. */
export function meter(percent: number | null, width: number): string {
  const inner = Math.max(1, width - 2);
  const share = percent === null || !Number.isFinite(percent) ? 0 : Math.min(100, Math.max(0, percent)) / 100;
  const filled = Math.round(share * inner);
  return `[${'|'.repeat(filled)}${' '.repeat(inner - filled)}]`;
}
