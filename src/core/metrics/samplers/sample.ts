// What every sampler hands on: one value of one series at one tick. Samplers write through a
// callback rather than returning arrays, so a tick with fifty services allocates no sample
// objects; the facade (metrics-sampler.ts) turns the calls into history and live ticks.
import type { SeriesKind } from '../../../shared/metrics.ts';
import type { Clock } from '../../kit/clock.ts';

/** Receives one value of the tick being sampled (the tick's time is the caller's). */
export type SampleOut = (key: string, value: number, kind: SeriesKind) => void;

/** Receives one sample with its time, as the history store takes it. */
export type SampleSink = (key: string, t: number, value: number, kind: SeriesKind) => void;

/** A sample as a value, for helpers that return a few of them. */
export interface Sample {
  key: string;
  value: number;
  kind: SeriesKind;
}

/** The time a tick is sampled at. `t` is the grid time the samples are stored under; `mono` is
 * a monotonic reading (performance.now()) taken when the tick actually ran: rates divide by
 * real elapsed time, not by the grid step, since a timer may fire a few ms late. */
export interface TickTime {
  t: number;
  mono: number;
}

/** Time and timers, injected so that tests drive the schedule. */
export type SamplerClock = Clock;
