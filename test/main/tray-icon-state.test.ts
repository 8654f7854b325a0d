import { describe, expect, it } from 'vitest';
import { serviceIconState, trayIconFile, trayIconState, trayTooltip } from '../../src/main/tray-icon-state.ts';
import { service, snapshot } from './snapshots.ts';

describe('trayIconState', () => {
  it('is ok when every service runs', () => {
    expect(trayIconState(snapshot([service('a'), service('b')]))).toBe('ok');
  });

  it('is ok for an empty stack and for services the user stopped or removed', () => {
    expect(trayIconState(snapshot([]))).toBe('ok');
    expect(trayIconState(snapshot([service('a', { state: 'stopped', reason: 'user', pid: null }), service('b', { state: 'stopped', reason: 'removed' })]))).toBe('ok');
  });

  it.each([
    ['starting', null],
    ['backoff', 'crash'],
    ['unhealthy', 'hang'],
    ['stopped', 'dependency'],
    ['stopped', 'not-found'],
  ] as const)('is a warning when a service is %s (%s)', (state, reason) => {
    expect(trayIconState(snapshot([service('a'), service('b', { state, reason })]))).toBe('warning');
  });

  it.each([
    ['crash-looping', 'crash'],
    ['stopped', 'exit'],
    ['stopped', 'spawn-failed'],
    ['stopped', 'port-in-use'],
  ] as const)('is an error when a service is %s (%s)', (state, reason) => {
    expect(trayIconState(snapshot([service('a'), service('b', { state, reason })]))).toBe('error');
  });

  it('takes the worst service', () => {
    const state = snapshot([service('a', { state: 'unhealthy', reason: 'hang' }), service('b', { state: 'crash-looping', reason: 'crash' }), service('c')]);
    expect(trayIconState(state)).toBe('error');
  });

  it('warns about a stack file edit that could not be applied', () => {
    expect(trayIconState(snapshot([service('a')], { files: [{ file: '/stack/vigil.yml', error: 'line 3: bad' }] }))).toBe('warning');
  });

  it('follows the engine: starting is a warning, failed an error, whatever the last snapshot said', () => {
    expect(trayIconState(null, { status: 'starting' })).toBe('warning');
    expect(trayIconState(snapshot([service('a')]), { status: 'failed', error: 'port taken' })).toBe('error');
  });

  it('maps one service on its own', () => {
    expect(serviceIconState(service('a', { state: 'stopped', reason: 'user' }))).toBe('ok');
    expect(serviceIconState(service('a', { state: 'stopped', reason: null }))).toBe('warning');
  });
});

describe('trayIconFile', () => {
  it('uses template images on macOS and coloured ones elsewhere', () => {
    expect(trayIconFile('ok', 'darwin')).toBe('tray-okTemplate.png');
    expect(trayIconFile('error', 'linux')).toBe('tray-error.png');
    expect(trayIconFile('warning', 'win32')).toBe('tray-warning.png');
  });
});

describe('trayTooltip', () => {
  it('counts services by state', () => {
    const state = snapshot([service('a'), service('b'), service('c', { state: 'crash-looping', reason: 'crash' })]);
    expect(trayTooltip(state)).toBe('Vigil: 2 running, 1 crash-looping');
  });

  it('says when the engine is starting or down', () => {
    expect(trayTooltip(null, { status: 'starting' })).toBe('Vigil: starting…');
    expect(trayTooltip(null, { status: 'failed', error: 'port 7357 is taken' })).toBe('Vigil: the engine is down (port 7357 is taken)');
    expect(trayTooltip(snapshot([]))).toBe('Vigil: no services');
  });
});
