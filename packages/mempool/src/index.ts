export type { ByteBudget } from './byte-budget.ts';
export {
  AcquireAbortedError,
  AcquireTimeoutError,
  LeaseReleasedError,
  LeaseTooLargeError,
} from './errors.ts';
export { BufferLease } from './lease.ts';
export {
  MemoryPool,
  type MemoryPoolOptions,
  type MemoryPoolStats,
  type MemoryPoolTuning,
} from './memory-pool.ts';
export type { AcquireOptions } from './pending-acquire.ts';
export { SharedByteBudget } from './shared-byte-budget.ts';
