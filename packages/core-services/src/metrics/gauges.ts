/** One sample of a gauge registered by another component: a value, optionally labelled. */
export interface GaugeSample {
  labels?: Record<string, string>;
  value: number;
}

export type GaugeCollector = () => number | GaugeSample[] | Promise<number | GaugeSample[]>;
