// The facade the engine drives, with the real sources of this machine: one tick carries the
// machine, each service's tree and the supervisor's numbers, hands every value to the history
// store with its kind, and survives a source that throws.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { detectTreeMethod } from '../../../src/core/metrics/samplers/linux-process-tree.ts';
import { MetricsSampler } from '../../../src/core/metrics/samplers/metrics-sampler.ts';
import { PortableSystemSource } from '../../../src/core/metrics/samplers/portable-system-source.ts';
import { supervisorSeries } from '../../../src/core/metrics/samplers/supervisor-series.ts';
import type { SeriesKind } from '../../../src/shared/metrics.ts';
import { tempDir } from '../../helpers/temp-files.ts';

const onLinux = process.platform === 'linux';
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('the metrics sampler', () => {
  it('samples the machine, a service tree and the supervisor in one tick', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    cleanups.push(() => child.kill('SIGKILL'));
    const stored: { key: string; t: number; value: number; kind: SeriesKind }[] = [];
    const sampler = new MetricsSampler({
      onSample: (key, t, value, kind) => stored.push({ key, t, value, kind }),
      supervisorStats: () => [{ name: 'web', restarts: 2, uptimeMs: 12_500, healthLatencyMs: 3.5 }],
    });
    sampler.setServices([{ name: 'web', pid: child.pid!, adopted: false, metrics: null }]);

    const first = await sampler.tickNow();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const tick = await sampler.tickNow();

    expect(tick.t % 1000).toBe(0);
    expect(tick.values).toMatchObject({
      'service_processes{service="web"}': 1,
      'service_restarts_total{service="web"}': 2,
      'service_uptime_seconds{service="web"}': 12.5,
      'service_health_latency_ms{service="web"}': 3.5,
      system_memory_total_bytes: os.totalmem(),
    });
    expect(tick.values['service_cpu_percent{service="web"}']).toBeGreaterThanOrEqual(0);
    // Disks: read at the first tick, then at the next multiple of 10 s.
    expect(first.values['system_disk_size_bytes{mount="/"}']).toBeGreaterThan(0);
    const slowAgain = tick.t >= Math.floor(first.t / 10_000) * 10_000 + 10_000;
    expect(tick.values['system_disk_size_bytes{mount="/"}'] !== undefined).toBe(slowAgain);
    expect(sampler.latest().values['system_disk_size_bytes{mount="/"}']).toBeGreaterThan(0);
    // The store got every value of the tick, stamped with the tick's time.
    const atTick = stored.filter((s) => s.t === tick.t);
    expect(Object.fromEntries(atTick.map((s) => [s.key, s.value]))).toEqual(tick.values);
    expect(atTick.find((s) => s.key === 'service_restarts_total{service="web"}')?.kind).toBe('counter');
    expect(atTick.find((s) => s.key === 'system_cpu_percent')?.kind).toBe('gauge');
    expect(sampler.pidsOf('web')).toEqual([child.pid]);
  });

  it('reports a failing source once and keeps sampling the others', async () => {
    const errors: string[] = [];
    const sampler = new MetricsSampler({
      system: {
        description: 'broken',
        sampleFast: () => {
          throw new Error('/proc is not mounted');
        },
        sampleSlow: async () => {
          throw new Error('statfs hung up');
        },
      },
      supervisorStats: () => [{ name: 'web', restarts: 0, uptimeMs: null, healthLatencyMs: null }],
      onError: (message) => errors.push(message),
      onTick: () => {
        throw new Error('a client went away');
      },
    });

    await sampler.tickNow();
    const tick = await sampler.tickNow();

    expect(tick.values).toEqual({ 'service_restarts_total{service="web"}': 0 });
    expect(errors).toEqual([
      'sampling system failed: /proc is not mounted',
      'sampling disks and temperatures failed: statfs hung up',
      'a live metrics listener failed: a client went away',
    ]);
  });

  it('builds the supervisor series only from the numbers it has', () => {
    expect(supervisorSeries({ name: 'api', restarts: 4, uptimeMs: null, healthLatencyMs: null })).toEqual([{ key: 'service_restarts_total{service="api"}', value: 4, kind: 'counter' }]);
    expect(supervisorSeries({ name: 'api', restarts: 0, uptimeMs: 1500, healthLatencyMs: 12 }).map((s) => s.key)).toEqual([
      'service_restarts_total{service="api"}',
      'service_uptime_seconds{service="api"}',
      'service_health_latency_ms{service="api"}',
    ]);
  });

  it.runIf(onLinux)('falls back to scanning /proc where the kernel has no children files', () => {
    expect(detectTreeMethod(tempDir())).toBe('proc-scan');
  });
});

describe.runIf(onLinux)('the systeminformation path (macOS and Windows), run here on Linux', () => {
  it('reads CPU, memory, network, disks the same as /proc does', async () => {
    const source = new PortableSystemSource({ spawnIntervalMs: 0 });
    const values = new Map<string, number>();
    const out = (key: string, value: number) => values.set(key, value);
    await source.sampleFast({ t: 0, mono: performance.now() }, out);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await source.sampleFast({ t: 1000, mono: performance.now() }, out);
    await source.sampleSlow({ t: 1000, mono: performance.now() }, out);

    expect([...values.keys()].filter((k) => k.startsWith('system_cpu_core_percent{'))).toHaveLength(os.cpus().length);
    expect(values.get('system_cpu_percent')).toBeGreaterThanOrEqual(0);
    expect(values.get('system_memory_total_bytes')).toBe(os.totalmem());
    expect(values.has('system_network_rx_bytes_per_second{interface="lo"}')).toBe(true);
    expect(values.get('system_disk_size_bytes{mount="/"}')).toBeGreaterThan(0);
  });
});
