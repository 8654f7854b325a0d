import type { ServiceAction, ServiceSnapshot, ServiceUsage } from '../../shared/contract.ts';
import { Sparkline } from '../charts/sparkline.tsx';
import { formatDuration, uptimeMs } from '../format.ts';
import { serviceSparkLines } from '../metrics/chart-specs.ts';
import type { MetricsFeed } from '../metrics/metrics-feed.ts';
import { formatAvailability } from '../metrics/units.ts';
import { routeHref } from '../route.ts';
import { ServiceActions, StatePill } from './service-actions.tsx';

interface Props {
  services: ServiceSnapshot[];
  now: number;
  pending: ReadonlySet<string>;
  onAction(service: string, action: ServiceAction): void;
  /** The overview's metrics: each row's CPU and memory sparklines. */
  feed?: MetricsFeed | null;
  /** The snapshot's usage per service (availability). */
  usage?: Readonly<Record<string, ServiceUsage>>;
}

/** A service using under 5 % CPU or 64 MiB draws low in its cell rather than filling it. */
const CPU_FLOOR = 5;
const RSS_FLOOR = 64 * 1024 * 1024;

function ServiceRow({ service, now, pending, onAction, feed, usage }: { service: ServiceSnapshot; usage: ServiceUsage | undefined } & Omit<Props, 'services' | 'usage'>) {
  const uptime = uptimeMs(service, now);
  const spark = serviceSparkLines(service.name);
  const availability = usage?.availability;
  return (
    <tr data-service={service.name} data-state={service.state}>
      <td className="name">
        <a className="service-name" href={routeHref({ view: 'service', service: service.name, range: null })} title={`${service.name}: charts and restarts`}>
          {service.name}
        </a>
        {service.watchOnly && <span className="tag">watch only</span>}
        {service.adopted && <span className="tag" title="Started by an earlier Vigil; its output is not captured">adopted</span>}
        {!service.autoRestart && <span className="tag" title="Auto-restart is off for this service">no auto-restart</span>}
      </td>
      <td>
        <StatePill service={service} />
      </td>
      <td className="spark-cell" data-field="cpu">
        {feed ? <Sparkline feed={feed} lineId={spark.cpu.id} unit="percent" floor={CPU_FLOOR} label={`${service.name} CPU`} color={0} /> : '—'}
      </td>
      <td className="spark-cell" data-field="memory">
        {feed ? <Sparkline feed={feed} lineId={spark.rss.id} unit="bytes" floor={RSS_FLOOR} label={`${service.name} memory`} color={1} /> : '—'}
      </td>
      <td className="num col-availability" data-field="availability" title="Share of the time it was up and healthy, over the last 24 hours / 7 days">
        {formatAvailability(availability?.day ?? null)} <span className="muted">/ {formatAvailability(availability?.week ?? null)}</span>
      </td>
      <td className="num col-pid" data-field="pid">
        {service.pid ?? '—'}
      </td>
      <td className="num col-port" data-field="port">
        {service.port ?? '—'}
      </td>
      <td className="num col-restarts" data-field="restarts">
        {service.restarts}
      </td>
      <td className="num col-uptime" data-field="uptime">
        {uptime === null ? '—' : formatDuration(uptime)}
      </td>
      <td className="error col-error" data-field="error" title={service.error ?? undefined}>
        {service.error ?? ''}
      </td>
      <td className="actions">
        <ServiceActions service={service} pending={pending} onAction={onAction} />
      </td>
    </tr>
  );
}

export function ServiceTable({ services, now, pending, onAction, feed = null, usage = {} }: Props) {
  if (services.length === 0) return <p className="empty">No services in the stack.</p>;
  return (
    <div className="table-wrap">
      <table className="services">
        <thead>
          <tr>
            <th>Service</th>
            <th>State</th>
            <th>CPU</th>
            <th>Memory</th>
            <th className="num col-availability" title="Up and healthy over the last 24 hours / 7 days">
              Avail. 24 h / 7 d
            </th>
            <th className="num col-pid">PID</th>
            <th className="num col-port">Port</th>
            <th className="num col-restarts">Restarts</th>
            <th className="num col-uptime">Uptime</th>
            <th className="col-error">Error</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {services.map((service) => (
            <ServiceRow key={service.name} service={service} now={now} pending={pending} onAction={onAction} feed={feed} usage={usage[service.name]} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
