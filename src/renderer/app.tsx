import { useMemo } from 'react';
import { ChartThemeContext, useSystemChartTheme } from './charts/chart-theme.ts';
import type { EngineClient } from './client/engine-client.ts';
import { LiveHub } from './client/live-hub.ts';
import { AutoRestartSwitch } from './components/auto-restart-switch.tsx';
import { formatDuration } from './format.ts';
import { historyPausedText } from './metrics/history-status.ts';
import { useSeriesKeys } from './metrics/use-series-keys.ts';
import { useDashboard, useNow } from './use-dashboard.ts';
import { useRoute } from './use-route.ts';
import { Overview } from './views/overview.tsx';
import { ServiceView } from './views/service-view.tsx';

const CONNECTION_TEXT = { open: 'Live', connecting: 'Connecting…', closed: 'Reconnecting…' } as const;

export function App({ client }: { client: EngineClient }) {
  const live = useMemo(() => new LiveHub(client), [client]);
  const dashboard = useDashboard(client, live);
  const now = useNow();
  const route = useRoute(window);
  const theme = useSystemChartTheme(window);
  const keys = useSeriesKeys(client, live);
  const known = useMemo(() => (keys ? new Set(keys) : null), [keys]);
  const { state } = dashboard;
  const brokenFiles = state?.files.filter((f) => f.error !== null) ?? [];
  const historyPaused = historyPausedText(state?.metrics.history);

  return (
    <ChartThemeContext.Provider value={theme}>
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
              Running the <strong>demo stack</strong>: no <code>vigil.yml</code> was found. Write one (or <code>vigil import Procfile</code>) to supervise your
              own services.
            </div>
          )}
          {historyPaused && (
            <div className="notice notice-warn" role="status" data-testid="history-status">
              {historyPaused}
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

          {route.view === 'service' ? (
            <ServiceView key={route.service} service={route.service} rangeId={route.range} client={client} live={live} known={known} state={state} events={dashboard.events} pending={dashboard.pending} onAction={dashboard.act} />
          ) : (
            <Overview client={client} live={live} keys={keys} known={known} dashboard={dashboard} state={state} now={now} />
          )}
        </main>
      </div>
    </ChartThemeContext.Provider>
  );
}
