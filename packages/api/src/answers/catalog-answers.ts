import type { StrategyDescription } from '@chunkflow/core-services';
import type { RequestContext } from '../context.ts';
import { strategiesOutputSchema } from '../schemas/chunking.ts';
import { PreparedAnswer } from './prepared-answer.ts';
import { ServedAnswer } from './served-answer.ts';

/** The catalogue is fixed for the life of the process: its answer is prepared once. */
const prepared = new WeakMap<StrategyDescription[], PreparedAnswer<never>>();

export const catalogAnswers = {
  strategies: (ctx: RequestContext) => {
    const catalogue = ctx.services.chunking.strategies();
    let answer = prepared.get(catalogue.strategies);
    if (!answer) {
      answer = PreparedAnswer.of(strategiesOutputSchema, catalogue, []);
      prepared.set(catalogue.strategies, answer);
    }
    return new ServedAnswer(answer, {});
  },
};
