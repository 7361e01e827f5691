import { setImmediate } from 'node:timers/promises';

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** Lets queued callbacks run `count` event-loop turns; time never matters, only ordering. */
export async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await setImmediate();
}

/** Whether a promise has settled after pending callbacks ran, without waiting for it. */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await turns(2);
  return settled;
}
