// Disks on Linux without `df` or `lsblk` (what systeminformation runs): mounts from
// /proc/mounts measured with statfs, and I/O from /proc/diskstats.
import { existsSync, readdirSync, statfsSync } from 'node:fs';
import path from 'node:path';
import type { DiskBytes, MountUsage } from './disk-series.ts';
import type { ProcFileReader } from './proc-file-reader.ts';

/** Filesystems on a block device (plus ZFS, whose datasets name their pool instead), minus
 * squashfs: snap images, read-only and always full. Network filesystems are left out on
 * purpose: statfs on an NFS or SMB mount whose server is gone blocks until it returns, and
 * this runs on the engine's event loop. */
function isLocalDiskMount(source: string, type: string): boolean {
  if (type === 'squashfs') return false;
  return source.startsWith('/dev/') || type === 'zfs';
}

/** /proc/mounts writes space, tab, newline and backslash in paths as octal escapes. */
function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Mount points of local disks, each device once (a bind mount shows the same device again:
 * its shortest mount point is kept). "/" is always included, so a container whose root is an
 * overlay still reports the disk it lives on. */
export function listLinuxDiskMounts(reader: ProcFileReader, file = '/proc/mounts'): string[] {
  const text = reader.text(file) ?? '';
  const byDevice = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [source, mountPoint, type] = line.split(' ');
    if (!source || !mountPoint || !type || !isLocalDiskMount(source, type)) continue;
    const mount = unescapeMountPath(mountPoint);
    const known = byDevice.get(source);
    if (known === undefined || mount.length < known.length) byDevice.set(source, mount);
  }
  const mounts = new Set(byDevice.values());
  mounts.add('/');
  return [...mounts].sort();
}

/** Size and use of the filesystem at `mount`, or null when it cannot be measured. */
export function measureMount(mount: string): MountUsage | null {
  try {
    const s = statfsSync(mount);
    const size = s.blocks * s.bsize;
    const used = (s.blocks - s.bfree) * s.bsize;
    const usable = used + s.bavail * s.bsize;
    return { mount, sizeBytes: size, usedBytes: used, usedPercent: usable > 0 ? (used / usable) * 100 : 0 };
  } catch {
    return null; // unmounted since it was listed, or not ours to see
  }
}

/** Whole physical disks: block devices backed by hardware have a `device` link in sysfs;
 * partitions are not listed there, and loop, ram, zram, device-mapper and md devices have
 * none, so nothing is counted twice. */
export function listLinuxPhysicalDisks(sysBlock = '/sys/block'): Set<string> {
  try {
    return new Set(readdirSync(sysBlock).filter((name) => existsSync(path.join(sysBlock, name, 'device'))));
  } catch {
    return new Set();
  }
}

/** Sectors in /proc/diskstats are 512 bytes whatever the device's own sector size. */
const SECTOR = 512;

/** Bytes read and written since boot, summed over `disks`. Columns after the name: reads,
 * reads merged, sectors read, ms reading, writes, writes merged, sectors written, ... */
export function readLinuxDiskBytes(reader: ProcFileReader, disks: Set<string>, file = '/proc/diskstats'): DiskBytes | null {
  const text = reader.text(file);
  if (text === null) return null;
  let read = 0;
  let written = 0;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !disks.has(fields[2]!)) continue;
    read += Number(fields[5]) * SECTOR;
    written += Number(fields[9]) * SECTOR;
  }
  return { readBytes: read, writtenBytes: written };
}
