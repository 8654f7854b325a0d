// The machine's numbers as read from /proc and /sys, checked against sources that read them
// another way: Node's os module, df, /proc/loadavg, real traffic over loopback, a real file
// written to disk. Temperatures and the mount filter also run on folders laid out like sysfs
// and /proc/mounts, since a virtual machine has no sensors and few mounts.
import { execFileSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { listLinuxDiskMounts } from '../../../src/core/metrics/samplers/linux-disks.ts';
import { LinuxSystemSource } from '../../../src/core/metrics/samplers/linux-system-source.ts';
import { readLinuxTemperatures } from '../../../src/core/metrics/samplers/linux-temperatures.ts';
import { ProcFileReader } from '../../../src/core/metrics/samplers/proc-file-reader.ts';
import { tempDir } from '../../helpers/temp-files.ts';

const onLinux = process.platform === 'linux';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the source's fast (or slow) pass and collects what it writes. */
async function pass(source: LinuxSystemSource, which: 'fast' | 'slow'): Promise<{ values: Map<string, number>; mono: number }> {
  const values = new Map<string, number>();
  const mono = performance.now();
  const time = { t: Date.now(), mono };
  if (which === 'fast') await source.sampleFast(time, (key, value) => values.set(key, value));
  else await source.sampleSlow(time, (key, value) => values.set(key, value));
  return { values, mono };
}

describe.runIf(onLinux)('the machine, read from /proc', () => {
  it('has CPU for every core, memory and load as the os module sees them', async () => {
    const source = new LinuxSystemSource();
    const first = await pass(source, 'fast');
    expect(first.values.has('system_cpu_percent')).toBe(false); // a share of time needs two readings
    await sleep(300);
    const { values } = await pass(source, 'fast');

    const cores = [...values.keys()].filter((k) => k.startsWith('system_cpu_core_percent{'));
    expect(cores).toHaveLength(os.cpus().length);
    for (const key of ['system_cpu_percent', ...cores]) {
      expect(values.get(key)).toBeGreaterThanOrEqual(0);
      expect(values.get(key)).toBeLessThanOrEqual(100);
    }
    expect(values.get('system_memory_total_bytes')).toBe(os.totalmem());
    // os.freemem() is MemAvailable too, read a moment apart.
    expect(Math.abs(values.get('system_memory_used_bytes')! - (os.totalmem() - os.freemem()))).toBeLessThan(os.totalmem() * 0.02);
    expect(values.get('system_memory_percent')).toBeCloseTo((values.get('system_memory_used_bytes')! / os.totalmem()) * 100, 6);
    const [one, five, fifteen] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
    expect(values.get('system_load1')).toBeCloseTo(one!, 1);
    expect(values.get('system_load5')).toBeCloseTo(five!, 1);
    expect(values.get('system_load15')).toBeCloseTo(fifteen!, 1);
    expect(values.has('system_swap_used_bytes')).toBe(true);
  });

  it('counts bytes through loopback per interface', async () => {
    const source = new LinuxSystemSource();
    const payload = Buffer.alloc(8 * 1024 * 1024, 7);
    const server = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const before = await pass(source, 'fast');
      expect(before.values.has('system_network_rx_bytes_per_second{interface="lo"}')).toBe(false);
      const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
      await new Promise<void>((resolve) => client.end(payload, resolve));
      await sleep(100);
      const after = await pass(source, 'fast');
      const seconds = (after.mono - before.mono) / 1000;
      // What went out over lo also came in over it: at least the payload both ways.
      expect(after.values.get('system_network_rx_bytes_per_second{interface="lo"}')! * seconds).toBeGreaterThanOrEqual(payload.length);
      expect(after.values.get('system_network_tx_bytes_per_second{interface="lo"}')! * seconds).toBeGreaterThanOrEqual(payload.length);
      const interfaces = readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2).filter(Boolean).map((l) => l.split(':')[0]!.trim());
      for (const name of interfaces) expect(after.values.has(`system_network_rx_bytes_per_second{interface="${name}"}`)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('measures the root filesystem as df does', async () => {
    const { values } = await pass(new LinuxSystemSource(), 'slow');
    const [size, used, percent] = execFileSync('df', ['-B1', '--output=size,used,pcent', '/'], { encoding: 'utf8' }).split('\n')[1]!.trim().split(/\s+/);
    expect(values.get('system_disk_size_bytes{mount="/"}')).toBe(Number(size));
    // Other tests write files meanwhile: within 1 % of the disk.
    expect(Math.abs(values.get('system_disk_used_bytes{mount="/"}')! - Number(used))).toBeLessThan(Number(size) * 0.01);
    // df rounds the percentage up.
    expect(Math.abs(values.get('system_disk_used_percent{mount="/"}')! - Number.parseInt(percent!, 10))).toBeLessThanOrEqual(1);
  });

  it('counts bytes written to a physical disk', async () => {
    // A folder on a real disk: the temp folder, unless that is in memory (tmpfs).
    const TMPFS = 0x01021994;
    const base = statfsSync(os.tmpdir()).type === TMPFS ? process.cwd() : os.tmpdir();
    const dir = tempDir(base);
    const source = new LinuxSystemSource();
    const before = await pass(source, 'slow');
    const fd = openSync(path.join(dir, 'written.bin'), 'w');
    const chunk = Buffer.alloc(1024 * 1024, 1);
    for (let i = 0; i < 16; i++) writeSync(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    const after = await pass(source, 'slow');
    const seconds = (after.mono - before.mono) / 1000;
    expect(after.values.get('system_disk_write_bytes_per_second')! * seconds).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    expect(after.values.get('system_disk_read_bytes_per_second')).toBeGreaterThanOrEqual(0);
  });

  it('reads temperatures from hwmon chips and thermal zones, and none where there are none', () => {
    const sys = tempDir();
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(sys, file)), { recursive: true });
      writeFileSync(path.join(sys, file), `${text}\n`);
    };
    write('hwmon/hwmon0/name', 'coretemp');
    write('hwmon/hwmon0/temp1_input', '45000');
    write('hwmon/hwmon0/temp1_label', 'Package id 0');
    write('hwmon/hwmon0/temp2_input', '47500');
    write('hwmon/hwmon1/name', 'nvme');
    write('hwmon/hwmon1/temp1_input', '38850');
    write('hwmon/hwmon1/temp1_label', 'Composite');
    write('hwmon/hwmon2/name', 'nvme');
    write('hwmon/hwmon2/temp1_input', '41000');
    write('hwmon/hwmon2/temp1_label', 'Composite');
    write('hwmon/hwmon3/name', 'spare');
    write('hwmon/hwmon3/temp1_input', '-273000'); // an unconnected input
    write('thermal/thermal_zone0/type', 'x86_pkg_temp');
    write('thermal/thermal_zone0/temp', '46000');
    write('thermal/cooling_device0/type', 'Processor');

    const reader = new ProcFileReader();
    expect(readLinuxTemperatures(reader, sys)).toEqual([
      { sensor: 'coretemp Package id 0', celsius: 45 },
      { sensor: 'coretemp temp2', celsius: 47.5 },
      { sensor: 'nvme Composite', celsius: 38.85 },
      { sensor: 'nvme Composite (hwmon2)', celsius: 41 },
      { sensor: 'x86_pkg_temp', celsius: 46 },
    ]);
    expect(readLinuxTemperatures(reader, tempDir())).toEqual([]);
    // This machine's own sysfs: whatever it has, read without a throw.
    expect(Array.isArray(readLinuxTemperatures(reader))).toBe(true);
  });

  it('lists the mounts of local disks once each, with their real paths', () => {
    const mounts = path.join(tempDir(), 'mounts');
    writeFileSync(
      mounts,
      [
        'proc /proc proc rw,relatime 0 0',
        'tmpfs /run tmpfs rw 0 0',
        '/dev/nvme0n1p2 /home ext4 rw 0 0',
        '/dev/nvme0n1p2 /var/lib/docker/bind ext4 rw 0 0',
        '/dev/sdb1 /mnt/my\\040disk vfat rw 0 0',
        '/dev/loop3 /snap/core/123 squashfs ro 0 0',
        'server:/export /mnt/nfs nfs4 rw 0 0',
        'tank/data /tank/data zfs rw 0 0',
        '',
      ].join('\n'),
    );
    expect(listLinuxDiskMounts(new ProcFileReader(), mounts)).toEqual(['/', '/home', '/mnt/my disk', '/tank/data']);
  });
});
