// One frame of `vigil top` at 80 and 120 columns: what is shown, what leaves first when the
// terminal narrows, and that no line is ever wider than the terminal.
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { coloured, plain } from '../../../src/cli/top/cells.ts';
import { type FrameOptions, renderFrame } from '../../../src/cli/top/layout.ts';
import { serviceTable } from '../../../src/cli/top/service-table.ts';
import { moveSelection, type TopModel, withConnection, withNotice, withRecentEvents } from '../../../src/cli/top/top-model.ts';
import { event } from '../../main/snapshots.ts';
import { NOW, service, topModel } from './top-fixtures.ts';

const frame = (model: TopModel, width: number, height: number | null = 30, more: Partial<FrameOptions> = {}) =>
  renderFrame(model, { width, height, now: NOW, refreshMs: 1000, paint: plain, keys: true, ...more });

const SPARK = /[▁▂▃▄▅▆▇█]/g;
const sparkChars = (line: string) => line.match(SPARK)?.length ?? 0;
const rowOf = (lines: string[], name: string) => lines.find((l) => stripVTControlCharacters(l).slice(1).startsWith(`${name} `)) ?? '';

function expectWithin(lines: string[], width: number): void {
  for (const line of lines) expect(stringWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(width);
}

describe('vigil top frame', () => {
  it('at 80 × 30: header, every column for short names, sparklines, footer on the last row', () => {
    const lines = frame(topModel(), 80);
    expect(lines).toHaveLength(30);
    expectWithin(lines, 80);
    expect(lines[0]).toMatch(/^Vigil 0\.1\.0 {2}engine up 1h 00m {2}auto-restart on {2}sampling 1s +\d\d:\d\d:\d\d$/);
    // Live tick (40 %) over the snapshot (37.5 %); memory from the snapshot; loopback left out.
    expect(lines[1]).toMatch(/^CPU \[\|+ +\] 40\.0% {2}MEM \[\|+ +\] 61\.2% 10G\/16G {2}SWAP {2}0\.0%$/);
    expect(lines[2]).toMatch(/^LOAD 0\.52 0\.48 0\.40 {2}DISK \[\|+ *\] 87\.5% \/data {2}NET ↓1\.1M\/s ↑33K\/s/);
    const header = lines.find((l) => l.includes('SERVICE'))!;
    expect(header.split(/\s+/).filter((w) => /^[A-Z%]+$/.test(w))).toEqual(['SERVICE', 'STATE', 'PID', 'CPU%', 'RSS', 'RST', 'UPTIME', 'HEALTH', 'AVAIL']);
    const api = rowOf(lines, 'api');
    expect(api.startsWith('>api ')).toBe(true); // the first service is selected
    expect(api).toMatch(/>api +running +4242 +60\.0 [▁-█ ]+ 150M [▁-█ ]+ +0 +1h00m +12ms +99\.9%$/);
    expect(rowOf(lines, 'worker')).toMatch(/ worker +running +4243 +2\.0 [▁-█ ]+ 150M [▁-█ ]+ +3 +1h00m +12ms +99\.9%$/);
    // Idle, then three seconds at 60 %: at 80 columns a character covers 30 s (the sparkline
    // spans about two minutes), so only the last one is full.
    const cpuSpark = api.match(/60\.0 ([▁-█ ]+) 150M/)![1]!.trimEnd();
    expect(cpuSpark).toMatch(/^▁{6,}█$/);
    // A steady RSS is a flat line in the middle.
    expect(api.match(/150M ([▁-█ ]+) /)![1]!.trimEnd()).toMatch(/^▅+$/);
    expect(lines.at(-1)).toMatch(/^q quit {2}↑↓ select {2}r restart api +refresh 1s$/);
  });

  it('at 120 columns the sparklines take the extra width and the full width is used', () => {
    const narrow = rowOf(frame(topModel(), 80), 'api');
    const wide = rowOf(frame(topModel(), 120), 'api');
    expectWithin(frame(topModel(), 120), 120);
    expect(stringWidth(wide)).toBe(120);
    expect(sparkChars(wide)).toBeGreaterThan(sparkChars(narrow) + 30);
  });

  it('cuts long names with "…" and drops columns in the documented order as the terminal narrows', () => {
    const longName = 'payments-reconciliation-worker-eu-west';
    const model = topModel([service(longName, { pid: 7 }), service('api', { pid: 8 })]);
    const input = { state: model.dashboard.state!, samples: model.samples, selected: model.selected, now: NOW, refreshMs: 1000, holdMs: 15_000, paint: plain };
    const shownAt = (width: number) => serviceTable(input, width).shown;
    expect(shownAt(160)).toEqual(['name', 'state', 'pid', 'cpu', 'cpuSpark', 'rss', 'rssSpark', 'restarts', 'uptime', 'health', 'availability']);
    expect(shownAt(80)).toEqual(['name', 'state', 'cpu', 'cpuSpark', 'rss', 'rssSpark', 'restarts', 'uptime', 'health', 'availability']);
    expect(shownAt(66)).toEqual(['name', 'state', 'cpu', 'cpuSpark', 'rss', 'rssSpark', 'restarts', 'uptime']);
    expect(shownAt(56)).toEqual(['name', 'state', 'cpu', 'cpuSpark', 'rss', 'restarts', 'uptime']);
    expect(shownAt(50)).toEqual(['name', 'state', 'cpu', 'rss', 'restarts', 'uptime']);
    expect(shownAt(40)).toEqual(['name', 'state', 'cpu', 'rss', 'restarts']);
    expect(shownAt(35)).toEqual(['name', 'state', 'cpu', 'rss']);
    expect(shownAt(30)).toEqual(['name', 'state', 'cpu']);
    expect(shownAt(20)).toEqual(['name', 'state']);
    const lines = frame(model, 80);
    expectWithin(lines, 80);
    const row = lines.find((l) => l.startsWith('>payments'))!;
    expect(row).toMatch(/^>payments-reconc… running/);
    // At 160 columns the whole name fits (up to 32 columns).
    expect(frame(model, 160).some((l) => l.startsWith('>payments-reconciliation-worker-… running'))).toBe(true);
    for (const width of [20, 30, 40, 50, 56, 66, 100]) expectWithin(frame(model, width), width);
  });

  it('wide characters count two columns: a CJK name is cut on the column, not the character', () => {
    const model = topModel([service('数据处理服务器的名字很长', { pid: 9 })]);
    const lines = frame(model, 80);
    expectWithin(lines, 80);
    const row = lines.find((l) => l.includes('running'))!;
    // 16 columns for the name at 80: seven characters (14 columns) and "…", then a space.
    expect(row).toMatch(/^>数据处理服务器… {2}running/);
  });

  it('with colour the codes are there and the visible width still fits', () => {
    const lines = frame(topModel(), 80, 30, { paint: coloured });
    expectWithin(lines, 80);
    expect(rowOf(lines, 'api')).toContain('\x1b[32mrunning');
    expect(frame(topModel(), 80).join('\n')).not.toContain('\x1b');
  });

  it('a short terminal keeps the selected service in view and says how many are hidden', () => {
    const services = Array.from({ length: 12 }, (_, i) => service(`svc${i}`, { pid: 100 + i }));
    let model = topModel(services);
    model = moveSelection(model, 9);
    const lines = frame(model, 80, 12);
    expect(lines).toHaveLength(12);
    expect(lines.some((l) => l.startsWith('>svc9 '))).toBe(true);
    expect(lines.some((l) => /… \d+ more/.test(l))).toBe(true);
    expect(lines.at(-1)).toContain('q quit');
  });

  it('tunnels, Fly.io and the latest events share the rows left', () => {
    const model = withRecentEvents(
      topModel(undefined, {
        tunnels: [
          {
            name: 'public',
            kind: 'ngrok',
            state: 'up',
            error: null,
            publicUrls: ['https://abc.ngrok.app'],
            service: null,
            address: null,
            readyConnections: null,
            expectedConnections: null,
            probe: null,
            lastSeenAt: null,
          },
        ],
        fly: {
          app: 'my-app',
          health: 'degraded',
          error: null,
          mode: 'machines-api',
          healthUrl: 'https://my-app.fly.dev/health',
          machines: [
            { id: 'e784079b', name: 'a', machineState: 'started', health: 'healthy', region: 'ams', image: null, instanceId: null, checks: [], lastRestartAt: null },
            { id: '91852d1c', name: 'b', machineState: 'started', health: 'down', region: 'cdg', image: null, instanceId: null, checks: [{ name: 'http', status: 'critical', output: '' }], lastRestartAt: null },
          ],
          lastPollAt: null,
          lastDeployAt: null,
        },
      }),
      Array.from({ length: 40 }, (_, i) => event({ id: i + 1, type: 'service.state', service: 'api', message: `event ${i + 1}` })),
    );
    const lines = frame(model, 80, 30);
    expectWithin(lines, 80);
    expect(lines).toContain('TUNNELS');
    expect(lines.some((l) => /^ public +ngrok +up +https:\/\/abc\.ngrok\.app$/.test(l))).toBe(true);
    expect(lines).toContain('FLY my-app degraded');
    expect(lines.some((l) => /^ 91852d1c +cdg +started +down +http critical$/.test(l))).toBe(true);
    // The newest events, as many as fit above the footer.
    expect(lines.at(-2)).toContain('event 40');
    expect(lines.join('\n')).not.toContain('event 1\n');
    // Printed once (not a terminal): everything, the last ten events, no footer.
    const printed = frame(model, 80, null);
    expect(printed.filter((l) => l.includes('event ')).length).toBe(10);
    expect(printed.join('\n')).not.toContain('q quit');
  });

  it('says when the engine is gone, and shows a notice in the footer while it lasts', () => {
    const gone = frame(withConnection(topModel(), 'gone'), 80);
    expect(gone[0]).toMatch(/engine gone, reconnecting…$/);
    expect(gone.at(-1)).toContain('engine gone, reconnecting…');
    const noticed = withNotice(topModel(), { text: 'restart asked: api', tone: 'ok', until: NOW + 1000 });
    expect(frame(noticed, 80).at(-1)).toMatch(/restart asked: api$/);
    expect(frame(noticed, 80, 30, { now: NOW + 2000 }).at(-1)).toMatch(/refresh 1s$/);
  });

  it('before the first samples (an engine just started) the figures are "-" and nothing breaks', () => {
    const model = topModel();
    const state = model.dashboard.state!;
    const empty = {
      ...model,
      dashboard: { ...model.dashboard, state: { ...state, metrics: { ...state.metrics, system: {}, services: {} } } },
      samples: { ...model.samples, recent: new Map(), latest: new Map() },
    };
    const lines = frame(empty, 80);
    expectWithin(lines, 80);
    expect(lines[1]).toBe('CPU [          ]     -  MEM [          ]     -');
    expect(lines[2]).toBe('LOAD -  HISTORY 12M');
    expect(rowOf(lines, 'api')).toMatch(/>api +running +4242 +- +- +0 +1h00m +- +-$/);
  });

  it('a history that cannot be written says so before disk and network', () => {
    const model = topModel();
    const state = model.dashboard.state!;
    const paused = { ...state, metrics: { ...state.metrics, history: { writing: false, reason: 'disk full', sizeBytes: 0, since: null } } };
    const lines = frame({ ...model, dashboard: { ...model.dashboard, state: paused } }, 80);
    expect(lines[2]).toMatch(/^LOAD 0\.52 0\.48 0\.40 {2}HISTORY PAUSED: disk full {2}DISK /);
  });
});
