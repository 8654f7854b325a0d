import type { ServiceAction, ServiceSnapshot } from '../../shared/contract.ts';
import { formatDuration, stateLabel, stateTone, uptimeMs } from '../format.ts';

interface Props {
  services: ServiceSnapshot[];
  now: number;
  pending: ReadonlySet<string>;
  onAction(service: string, action: ServiceAction): void;
}

const ACTIONS: { action: ServiceAction; label: string; enabled(s: ServiceSnapshot): boolean }[] = [
  { action: 'restart', label: 'Restart', enabled: () => true },
  { action: 'stop', label: 'Stop', enabled: (s) => s.state !== 'stopped' },
  { action: 'start', label: 'Start', enabled: (s) => s.state === 'stopped' || s.state === 'backoff' || s.state === 'crash-looping' },
];

function ServiceRow({ service, now, pending, onAction }: { service: ServiceSnapshot } & Omit<Props, 'services'>) {
  const tone = stateTone(service);
  const uptime = uptimeMs(service, now);
  const busy = ACTIONS.some(({ action }) => pending.has(`${service.name}:${action}`));
  return (
    <tr data-service={service.name} data-state={service.state}>
      <td className="name">
        <span className="service-name">{service.name}</span>
        {service.watchOnly && <span className="tag">watch only</span>}
        {service.adopted && <span className="tag" title="Started by an earlier Vigil; its output is not captured">adopted</span>}
        {!service.autoRestart && <span className="tag" title="Auto-restart is off for this service">no auto-restart</span>}
      </td>
      <td>
        <span className={`pill tone-${tone}`} data-field="state">
          <span className="dot" aria-hidden="true" />
          {stateLabel(service)}
        </span>
      </td>
      <td className="num" data-field="pid">
        {service.pid ?? '—'}
      </td>
      <td className="num" data-field="port">
        {service.port ?? '—'}
      </td>
      <td className="num" data-field="restarts">
        {service.restarts}
      </td>
      <td className="num" data-field="uptime">
        {uptime === null ? '—' : formatDuration(uptime)}
      </td>
      <td className="error" data-field="error" title={service.error ?? undefined}>
        {service.error ?? ''}
      </td>
      <td className="actions">
        {service.watchOnly ? (
          <span className="muted">—</span>
        ) : (
          ACTIONS.map(({ action, label, enabled }) => (
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
          ))
        )}
      </td>
    </tr>
  );
}

export function ServiceTable({ services, now, pending, onAction }: Props) {
  if (services.length === 0) return <p className="empty">No services in the stack.</p>;
  return (
    <div className="table-wrap">
      <table className="services">
        <thead>
          <tr>
            <th>Service</th>
            <th>State</th>
            <th className="num">PID</th>
            <th className="num">Port</th>
            <th className="num">Restarts</th>
            <th className="num">Uptime</th>
            <th>Error</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {services.map((service) => (
            <ServiceRow key={service.name} service={service} now={now} pending={pending} onAction={onAction} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
