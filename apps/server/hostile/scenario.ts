import type { ChunkflowClient } from '@chunkflow/client';
import type { Answer, HostileApi } from './api.ts';
import type { HangingEmbedder } from './hanging-embedder.ts';
import type { ServerMetrics } from './measure.ts';
import type { HostileTarget } from './target.ts';

export type SuiteMode = 'short' | 'full';

/** What an attack ended in, judged against what a hardened server must answer. */
export interface Outcome {
  passed: boolean;
  /** The answer in brief: `200`, `400 INVALID_CONFIG`, `429×12 401×288`… */
  answer: string;
  /** What was required. */
  expected: string;
  /** The time of the answer that matters (the attack's own request), when there is one. */
  answerMs?: number;
  detail?: string;
}

/** What a scenario may use: the target, an API client per tenant, the suite's mode. */
export interface AttackContext {
  target: HostileTarget;
  /** The server's own metrics (scraping them mid-attack keeps the event-loop figures whole). */
  metrics: ServerMetrics;
  /** The bootstrap tenant's raw HTTP client (attacks) and typed client (set-up and checks). */
  api: HostileApi;
  client: ChunkflowClient;
  /** The clients of one of the suite's extra tenants. */
  tenant(name: string): { api: HostileApi; client: ChunkflowClient };
  mode: SuiteMode;
  /** How long an operation may take to settle before the scenario counts it as stuck. */
  settleWithinMs: number;
  /** The embedder that accepts connections and never answers (its URL allowed by the server). */
  hangingEmbedder: HangingEmbedder;
}

export interface HostileScenario {
  name: string;
  /** The review finding it reproduces (`F1`…), or `new` for classes found while building the suite. */
  finding: string;
  size(mode: SuiteMode): unknown;
  /** Set-up that is not part of the attack (run before the server is watched); returns its run. */
  prepare(context: AttackContext): Promise<() => Promise<Outcome>>;
}

/** A scenario with its sizes as parameters: the review's in full mode, smaller ones in short mode. */
export function defineScenario<Size>(definition: {
  name: string;
  finding: string;
  sizes: Record<SuiteMode, Size>;
  run(context: AttackContext, size: Size): Promise<Outcome>;
}): HostileScenario {
  return definePreparedScenario({
    ...definition,
    prepare: async () => undefined,
    run: (context, size) => definition.run(context, size),
  });
}

/**
 * A scenario whose set-up (e.g. data the attack then rewrites) is made before the server is
 * watched, so the figures are the attack's alone.
 */
export function definePreparedScenario<Size, Prepared>(definition: {
  name: string;
  finding: string;
  sizes: Record<SuiteMode, Size>;
  prepare(context: AttackContext, size: Size): Promise<Prepared>;
  run(context: AttackContext, size: Size, prepared: Prepared): Promise<Outcome>;
}): HostileScenario {
  return {
    name: definition.name,
    finding: definition.finding,
    size: (mode) => definition.sizes[mode],
    async prepare(context) {
      const size = definition.sizes[context.mode];
      const prepared = await definition.prepare(context, size);
      return () => definition.run(context, size, prepared);
    },
  };
}

/** `400 INVALID_CONFIG`, `200`, or why there was no answer. */
export function describeAnswer(answer: Answer): string {
  if (answer.status === 0) return `no answer (${answer.failure})`;
  return answer.code === undefined ? String(answer.status) : `${answer.status} ${answer.code}`;
}

/** A typed refusal: 4xx in the error envelope, with its code and the request's correlation id. */
export function isTypedRefusal(answer: Answer): boolean {
  return (
    answer.status >= 400 &&
    answer.status < 500 &&
    answer.code !== undefined &&
    answer.correlationId !== undefined
  );
}

/** Either served (2xx) or refused in the envelope (typed 4xx); never a 5xx, never silence. */
export function servedOrRefused(answer: Answer, detail?: string): Outcome {
  const served = answer.status >= 200 && answer.status < 300;
  return {
    passed: served || isTypedRefusal(answer),
    answer: describeAnswer(answer),
    expected: '2xx, or typed 4xx',
    answerMs: answer.ms,
    ...(detail === undefined ? {} : { detail }),
  };
}

/** Refused in the envelope (typed 4xx), optionally with one of the given codes. */
export function typedRefusal(answer: Answer, codes?: readonly string[]): Outcome {
  const codeFits = codes === undefined || (answer.code !== undefined && codes.includes(answer.code));
  return {
    passed: isTypedRefusal(answer) && codeFits,
    answer: describeAnswer(answer),
    expected: codes === undefined ? 'typed 4xx' : `typed 4xx ${codes.join('|')}`,
    answerMs: answer.ms,
    ...(answer.correlationId === undefined && answer.status >= 400 ? { detail: 'no correlationId' } : {}),
  };
}

/** `201×40 429×10`: how many answers of each kind a flood got. */
export function tally(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const answer of answers) {
    const kind = answer.status === 0 ? 'none' : String(answer.status);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, count]) => `${kind}×${count}`).join(' ');
}

/** `work` for every item, at most `concurrency` at a time, results in order. */
export async function inParallel<Item, Result>(
  items: readonly Item[],
  concurrency: number,
  work: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as Item);
    }
  });
  await Promise.all(lanes);
  return results;
}
