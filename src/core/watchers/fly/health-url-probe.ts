// Without a token Vigil can only ask the app itself: one GET of its health URL. An answer means
// Fly's edge was reached, so a bad status is "down"; no answer at all is "unreachable", which may
// be Vigil's own network and must not be reported as the app being down.
import { formatDuration } from '../../kit/units.ts';

export interface HealthUrlResult {
  health: 'healthy' | 'down' | 'unreachable';
  detail: string;
}

export async function probeHealthUrl(url: string, timeoutMs: number, signal?: AbortSignal, doFetch: typeof fetch = fetch): Promise<HealthUrlResult> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
  try {
    const response = await doFetch(url, { method: 'GET', signal: combined, headers: { Accept: '*/*' } });
    // The body is not needed; draining it under the same deadline frees the connection.
    await response.arrayBuffer();
    if (response.status >= 200 && response.status < 300) return { health: 'healthy', detail: `${url} answered ${response.status}` };
    return { health: 'down', detail: `${url} answered ${response.status}` };
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timeout.aborted) return { health: 'unreachable', detail: `${url} did not answer within ${formatDuration(timeoutMs)}` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { health: 'unreachable', detail: `could not reach ${url} (${cause?.code ?? cause?.message ?? (error as Error).message})` };
  }
}
