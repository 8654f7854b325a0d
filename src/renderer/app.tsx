import type { EngineClient } from './client/engine-client.ts';
import { AutoRestartSwitch } from './components/auto-restart-switch.tsx';
import { EventList } from './components/event-list.tsx';
import { FlyTokenForm } from './components/fly-token-form.tsx';
import { OutsideStatus } from './components/outside-status.tsx';
import { ServiceTable } from './components/service-table.tsx';
import { formatDuration, summarize } from './format.ts';
import { useDashboard, useNow } from './use-dashboard.ts';

const CONNECTION_TEXT = { open: 'Live', connecting: 'Connecting…', closed: 'Reconnecting…' } as const;

export function App({ client }: { client: EngineClient }) {
  const dashboard = useDashboard(client);
  const now = useNow();
  const { state } = dashboard;
  const brokenFiles = state?.files.filter((f) => f.error !== null) ?? [];

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          <h1>Vigil</h1>
          {state && <span className="version">v{state.version}</span>}
        </div>
        <span className={`connection connection-${dashboard.connection}`} data-connection={dashboard.connection}>
          <span className="dot" aria-hidden="true" />
          {CONNECTION_TEXT[dashboard.connection]}
        </span>
        {state && (
          <span className="engine-info muted" title={state.engine.home}>
            engine pid {state.engine.pid} · up {formatDuration(now - Date.parse(state.engine.startedAt))}
          </span>
        )}
        <div className="spacer" />
        <AutoRestartSwitch checked={state?.autoRestart ?? false} disabled={!state || dashboard.pending.has('auto-restart')} onChange={dashboard.setAutoRestart} />
      </header>

      <main>
        {state?.demo && (
          <div className="notice">
            Running the <strong>demo stack</strong>: no <code>vigil.yml</code> was found. Write one (or <code>vigil import Procfile</code>) to supervise your own
            services.
          </div>
        )}
        {brokenFiles.map((f) => (
          <div key={f.file} className="alert" role="alert">
            <strong>{f.file}</strong> could not be applied; the services keep running the previous version.
            <pre>{f.error}</pre>
          </div>
        ))}
        {dashboard.error && (
          <div className="alert" role="alert" data-testid="action-error">
            <span>{dashboard.error}</span>
            <button type="button" className="btn btn-link" onClick={dashboard.dismissError}>
              Dismiss
            </button>
          </div>
        )}

        <section className="card">
          <div className="card-head">
            <h2>Services</h2>
            <span className="muted">{state ? summarize(state.services) : ''}</span>
          </div>
          {state ? (
            <ServiceTable services={state.services} now={now} pending={dashboard.pending} onAction={dashboard.act} />
          ) : (
            <p className="empty">Waiting for the engine…</p>
          )}
        </section>

        {state && (state.tunnels.length > 0 || state.fly) && (
          <section className="card">
            <div className="card-head">
              <h2>Tunnels and deployment</h2>
            </div>
            <OutsideStatus tunnels={state.tunnels} fly={state.fly} />
            {state.fly && client.flyToken && <FlyTokenForm store={client.flyToken} />}
          </section>
        )}

        <section className="card">
          <div className="card-head">
            <h2>Recent events</h2>
          </div>
          <EventList events={dashboard.events} />
        </section>
      </main>
    </div>
  );
}
