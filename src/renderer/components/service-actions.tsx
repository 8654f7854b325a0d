// A service's Restart / Stop / Start buttons (in its table row and on its own view), and its
// state as a coloured pill.
import type { ServiceAction, ServiceSnapshot } from '../../shared/contract.ts';
import { stateReason, stateTone } from '../format.ts';

const ACTIONS: { action: ServiceAction; label: string; enabled(s: ServiceSnapshot): boolean }[] = [
  { action: 'restart', label: 'Restart', enabled: () => true },
  { action: 'stop', label: 'Stop', enabled: (s) => s.state !== 'stopped' },
  { action: 'start', label: 'Start', enabled: (s) => s.state === 'stopped' || s.state === 'backoff' || s.state === 'crash-looping' },
];

interface Props {
  service: ServiceSnapshot;
  pending: ReadonlySet<string>;
  onAction(service: string, action: ServiceAction): void;
}

export function ServiceActions({ service, pending, onAction }: Props) {
  if (service.watchOnly) return <span className="muted">—</span>;
  const busy = ACTIONS.some(({ action }) => pending.has(`${service.name}:${action}`));
  return (
    <>
      {ACTIONS.map(({ action, label, enabled }) => (
        <button
          key={action}
          type="button"
          className={`btn btn-${action}`}
          aria-label={`${label} ${service.name}`}
          disabled={busy || !enabled(service)}
          onClick={() => onAction(service.name, action)}
        >
          {label}
        </button>
      ))}
    </>
  );
}

/** "running", or "backoff · crash" (the reason hides in a narrow window). */
export function StatePill({ service }: { service: Pick<ServiceSnapshot, 'state' | 'reason'> }) {
  const reason = stateReason(service);
  return (
    <span className={`pill tone-${stateTone(service)}`} data-field="state">
      <span className="dot" aria-hidden="true" />
      {service.state}
      {reason && <span className="state-reason"> · {reason}</span>}
    </span>
  );
}
