// Temperatures on Linux from sysfs, as `sensors` (lm-sensors) reads them, without running it:
// hwmon chips (/sys/class/hwmon/hwmonN/{name, tempK_input, tempK_label}) and thermal zones
// (/sys/class/thermal/thermal_zoneN/{type, temp}); values are in millidegrees Celsius.
// Virtual machines usually have neither, and then there are no temperature series.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ProcFileReader } from './proc-file-reader.ts';
import type { TemperatureReading } from './temperature-series.ts';

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readLine(reader: ProcFileReader, file: string): string | null {
  const text = reader.text(file);
  return text === null ? null : text.trim();
}

function millidegrees(reader: ProcFileReader, file: string): number | null {
  const text = readLine(reader, file);
  if (text === null || !/^-?\d+$/.test(text)) return null; // a sensor that failed reads as an error
  const celsius = Number(text) / 1000;
  // Disconnected inputs read as absurd values (-273, 127 or 255 on some boards' spare pins).
  return celsius > -60 && celsius < 150 ? celsius : null;
}

export function readLinuxTemperatures(reader: ProcFileReader, sysClass = '/sys/class'): TemperatureReading[] {
  const readings: TemperatureReading[] = [];
  const names = new Set<string>();
  const add = (sensor: string, celsius: number | null, where: string) => {
    if (celsius === null) return;
    // Two chips of one kind (two NVMe drives) name their sensors alike: say which is which.
    const unique = names.has(sensor) ? `${sensor} (${where})` : sensor;
    names.add(unique);
    readings.push({ sensor: unique, celsius });
  };

  const hwmonDir = path.join(sysClass, 'hwmon');
  for (const chip of list(hwmonDir).sort(byNumber)) {
    const dir = path.join(hwmonDir, chip);
    const chipName = readLine(reader, path.join(dir, 'name')) ?? chip;
    for (const file of list(dir).filter((f) => /^temp\d+_input$/.test(f)).sort(byNumber)) {
      const input = file.slice(0, -'_input'.length);
      const label = readLine(reader, path.join(dir, `${input}_label`)) ?? input;
      add(`${chipName} ${label}`, millidegrees(reader, path.join(dir, file)), chip);
    }
  }

  const thermalDir = path.join(sysClass, 'thermal');
  for (const zone of list(thermalDir).filter((z) => z.startsWith('thermal_zone')).sort(byNumber)) {
    const dir = path.join(thermalDir, zone);
    add(readLine(reader, path.join(dir, 'type')) ?? zone, millidegrees(reader, path.join(dir, 'temp')), zone);
  }
  return readings;
}

/** hwmon10 after hwmon9, temp10_input after temp9_input. */
function byNumber(a: string, b: string): number {
  return Number(/\d+/.exec(a)?.[0] ?? 0) - Number(/\d+/.exec(b)?.[0] ?? 0) || a.localeCompare(b);
}
