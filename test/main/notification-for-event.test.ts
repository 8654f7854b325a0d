import { describe, expect, it } from 'vitest';
import { notificationForEvent } from '../../src/main/notification-for-event.ts';
import { event, service, snapshot } from './snapshots.ts';

const RESTART = [{ id: 'restart', text: 'Restart' }];

describe('notificationForEvent', () => {
  it('turns a crash into a notification with a Restart button', () => {
    const payload = notificationForEvent(event({ type: 'service.exit', service: 'api', message: 'exited with code 1 after 3s', exitCode: 1, signal: null }));
    expect(payload).toEqual({ kind: 'crash', title: 'api crashed', body: 'api exited with code 1 after 3s.', service: 'api', urgency: 'normal', actions: RESTART });
  });

  it('says whether auto-restart is dealing with the crash', () => {
    const e = event({ type: 'service.exit', service: 'api', message: 'was killed by SIGKILL after 1m 02s', signal: 'SIGKILL' });
    expect(notificationForEvent(e, snapshot([service('api', { autoRestart: true })]))?.body).toBe('api was killed by SIGKILL after 1m 02s. Vigil is restarting it.');
    expect(notificationForEvent(e, snapshot([service('api', { autoRestart: false })]))?.body).toBe('api was killed by SIGKILL after 1m 02s. Auto-restart is off.');
  });

  it('words a crash from its exit code or signal when the message is empty', () => {
    expect(notificationForEvent(event({ type: 'service.exit', service: 'api', message: '', signal: 'SIGSEGV', exitCode: null }))?.body).toBe('api was killed by SIGSEGV.');
  });

  it('raises a crash loop as critical', () => {
    const payload = notificationForEvent(
      event({ type: 'service.state', service: 'api', from: 'backoff', to: 'crash-looping', reason: 'crash', message: 'failed 5 times within 1m; Vigil tries again in 30s' }),
    );
    expect(payload).toEqual({ kind: 'crash-loop', title: 'api keeps crashing', body: 'failed 5 times within 1m; Vigil tries again in 30s', service: 'api', urgency: 'critical', actions: RESTART });
  });

  it('reports a service turning unhealthy', () => {
    const payload = notificationForEvent(
      event({ type: 'service.state', service: 'api', from: 'running', to: 'unhealthy', reason: 'hang', message: 'health check failed 3 times in a row: timeout' }),
    );
    expect(payload).toMatchObject({ title: 'api is unhealthy', body: 'health check failed 3 times in a row: timeout', actions: RESTART });
  });

  it('stays quiet about everything else', () => {
    const quiet = [
      event({ type: 'service.state', from: 'starting', to: 'running', message: 'running' }),
      event({ type: 'service.state', from: 'running', to: 'stopped', reason: 'user', message: 'stopped' }),
      event({ type: 'service.state', from: 'running', to: 'backoff', reason: 'crash', message: 'restarting in 100ms' }),
      event({ type: 'service.state', from: 'crash-looping', to: 'crash-looping', message: 'still' }),
      event({ type: 'service.adopted', message: 'adopted pid 4' }),
      event({ type: 'config.applied', service: null, message: 'loaded 2 services' }),
      event({ type: 'config.error', service: null, message: 'vigil.yml:3: bad' }),
      event({ type: 'settings.changed', service: null, message: 'auto-restart off' }),
    ];
    for (const e of quiet) expect(notificationForEvent(e)).toBeNull();
  });
});
