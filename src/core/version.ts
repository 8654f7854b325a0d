// Kept by hand in step with package.json (a test checks), so that the bundle needs no JSON import.
export const VERSION = '0.1.0';
