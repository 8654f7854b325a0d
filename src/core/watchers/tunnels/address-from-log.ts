// When Vigil runs the tunnel's agent itself, the agent says in its own output where its API
// listens, which beats guessing ports (EXTERNAL-APIS.md):
//   ngrok (--log=stdout):  msg="starting web service" obj=web addr=127.0.0.1:4041 allow_hosts=[]
//   cloudflared:           Starting metrics server on 127.0.0.1:20241/metrics

const NGROK_WEB = /starting web service.*\baddr=(\S+)/;
const CLOUDFLARED_METRICS = /Starting metrics server on (\S+?)(?:\/metrics)?\s*$/;

/** The newest address the agent announced in `lines` (newest last), or null. */
export function addressFromLog(kind: 'ngrok' | 'cloudflared', lines: string[]): string | null {
  const pattern = kind === 'ngrok' ? NGROK_WEB : CLOUDFLARED_METRICS;
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = pattern.exec(lines[i]!);
    if (match) return `http://${match[1]!.replace(/^https?:\/\//, '')}`;
  }
  return null;
}
