// Temperature series, one per sensor, on any OS.
import { seriesKey } from '../../../shared/metrics.ts';
import type { SampleOut } from './sample.ts';

export interface TemperatureReading {
  sensor: string;
  celsius: number;
}

export function writeTemperatureSeries(readings: TemperatureReading[], out: SampleOut): void {
  for (const { sensor, celsius } of readings) out(seriesKey('system_temperature_celsius', { sensor }), celsius, 'gauge');
}
