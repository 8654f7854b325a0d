import { expect, test } from 'vitest';
import { addressFromLog } from '../../../src/core/watchers/tunnels/address-from-log.ts';

test('ngrok announces its web address in its logfmt output; the newest line wins', () => {
  const lines = [
    't=2024-01-01T00:00:00+0000 lvl=info msg="starting web service" obj=web addr=127.0.0.1:4040 allow_hosts=[]',
    'something else',
    't=2024-01-01T00:01:00+0000 lvl=info msg="starting web service" obj=web addr=127.0.0.1:4041 allow_hosts=[]',
  ];
  expect(addressFromLog('ngrok', lines)).toBe('http://127.0.0.1:4041');
  expect(addressFromLog('ngrok', ['no address here'])).toBeNull();
});

test('cloudflared announces its metrics server', () => {
  const lines = ['2024-12-01T00:00:00Z INF Starting metrics server on 127.0.0.1:20243/metrics'];
  expect(addressFromLog('cloudflared', lines)).toBe('http://127.0.0.1:20243');
});
