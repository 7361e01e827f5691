import type { ProgressEvent } from '@chunkflow/core-services';
import { followSubscription } from '../test/support/sse.ts';
import type { LatencyRecorder } from './latency-recorder.ts';
import type { ApplyUsers } from './scenarios.ts';
import type { LoadTarget } from './target.ts';
import { mutationRequest, resultData } from './trpc-wire.ts';

export const APPLY_COMPLETION = 'apply → completed (SSE)';
/** An operation not finished by then counts as a failure rather than stalling the run. */
const OPERATION_TIMEOUT_MS = 120_000;

/** Whether a user starts another round (0 for the first). */
export type KeepApplying = (round: number) => boolean;

/**
 * One user: apply, follow progress over SSE until the operation ends, repeat while `keepApplying`.
 * Records the apply call and the whole apply-to-completed time.
 */
async function applyRounds(
  target: LoadTarget,
  plan: ApplyUsers,
  collectionId: string,
  recorder: LatencyRecorder,
  keepApplying: KeepApplying,
): Promise<void> {
  const request = mutationRequest('chunking.applyToCollection', {
    collectionId,
    strategy: plan.strategy,
    config: plan.config,
  });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${target.apiKey}` };
  for (let round = 0; keepApplying(round); round += 1) {
    const started = performance.now();
    try {
      const response = await fetch(`${target.url}${request.path}`, {
        method: request.method,
        body: request.body?.toString() ?? null,
        headers,
      });
      const body: unknown = await response.json();
      recorder.response('chunking.applyToCollection', response.status, performance.now() - started);
      if (!response.ok) continue;
      const { operationId } = resultData<{ operationId: string }>(body);
      let last: ProgressEvent | undefined;
      for await (const event of followSubscription<ProgressEvent>(
        target.url,
        'operations.progress',
        { operationId },
        { apiKey: target.apiKey, signal: AbortSignal.timeout(OPERATION_TIMEOUT_MS) },
      )) {
        last = event.data;
      }
      recorder.response(
        APPLY_COMPLETION,
        last?.type === 'completed' ? 200 : 500,
        performance.now() - started,
      );
    } catch (error) {
      recorder.transportError(APPLY_COMPLETION, (error as Error).name);
    }
  }
}

export function runApplyUsers(
  target: LoadTarget,
  plan: ApplyUsers,
  recorder: LatencyRecorder,
  keepApplying: KeepApplying,
): Promise<void> {
  const users = plan.collectionIds.map((collectionId) =>
    applyRounds(target, plan, collectionId, recorder, keepApplying),
  );
  return Promise.all(users).then(() => undefined);
}
