// Waits (in real time, polling) for something asynchronous to have happened: a request answered,
// a timer scheduled after it. Not a timing assertion: it only fails by the test's own timeout.
export async function waitUntil(condition: () => boolean, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
