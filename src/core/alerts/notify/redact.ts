// Keeps channel secrets (webhook URLs, routing keys, SMTP passwords, HMAC keys) out of every
// text Vigil shows or stores: error messages, the delivery log, events, the snapshot. Vendors
// echo parts of a request back in their errors, so each secret is also removed in the forms it
// may come back in: URL-encoded, and for a URL, its path and query on their own (the token part
// of https://hooks.slack.com/services/T0/B0/XXXX is the path).

export const REDACTED = '[redacted]';

/** Short values would redact ordinary words; real secrets are long. */
const MIN_SECRET_LENGTH = 6;

function variants(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret)]);
  try {
    const url = new URL(secret);
    const tail = `${url.pathname}${url.search}`;
    if (tail.length >= MIN_SECRET_LENGTH && tail !== '/') out.add(tail);
    for (const part of url.pathname.split('/')) if (part.length >= 16) out.add(part);
    if (url.password) out.add(url.password);
  } catch {
    // not a URL: the value itself is enough
  }
  return [...out].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** A function that removes the given secrets from a text. */
export function secretRedactor(secrets: ReadonlyArray<string | null | undefined>): (text: string) => string {
  const all = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length > 0).flatMap(variants))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of all) out = out.split(secret).join(REDACTED);
    return out;
  };
}

/** A one-line excerpt of a receiver's answer for an error message, redacted and cut short. */
export function answerExcerpt(body: string, redact: (text: string) => string, max = 300): string {
  const line = redact(body).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
