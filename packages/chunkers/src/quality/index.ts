export * from './evaluate.ts';
export * from './metrics.ts';
export type { CharRange } from './ranges.ts';
