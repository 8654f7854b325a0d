// The stack's tunnels and its Fly.io app, one line each, with the public URLs as links (a
// ngrok free URL changes on every agent restart, so this is where to find today's).
import type { FlySnapshot, TunnelSnapshot } from '../../shared/contract.ts';

const TONE: Record<string, string> = { up: 'ok', healthy: 'ok', degraded: 'warn', deploying: 'busy', stuck: 'warn', unknown: 'idle', unreachable: 'warn', down: 'bad' };

function Health({ value }: { value: string }) {
  return (
    <span className={`pill tone-${TONE[value] ?? 'idle'}`} data-field="health">
      {value}
    </span>
  );
}

export function OutsideStatus({ tunnels, fly }: { tunnels: TunnelSnapshot[]; fly: FlySnapshot | null }) {
  return (
    <ul className="outside">
      {tunnels.map((t) => (
        <li key={t.name} data-tunnel={t.name} data-state={t.state}>
          <strong>{t.name}</strong> <span className="muted">{t.kind}</span> <Health value={t.state} />
          {t.expectedConnections !== null && (
            <span className="muted">
              {' '}
              {t.readyConnections ?? 0}/{t.expectedConnections} connections
            </span>
          )}
          {t.publicUrls.map((url) => (
            <a key={url} href={url} target="_blank" rel="noreferrer noopener" className="public-url">
              {url}
            </a>
          ))}
          {t.error && <div className="muted error-text">{t.error}</div>}
        </li>
      ))}
      {fly && (
        <li data-fly={fly.app} data-state={fly.health}>
          <strong>Fly.io {fly.app}</strong> <Health value={fly.health} />
          {fly.mode === 'health-url' && <span className="muted"> health URL only ({fly.healthUrl})</span>}
          {fly.error && <div className="muted error-text">{fly.error}</div>}
          {fly.machines.length > 0 && (
            <ul className="machines">
              {fly.machines.map((m) => (
                <li key={m.id} data-machine={m.id}>
                  {m.name} <span className="muted">{m.region} · {m.machineState}</span> <Health value={m.health} />
                </li>
              ))}
            </ul>
          )}
        </li>
      )}
    </ul>
  );
}
