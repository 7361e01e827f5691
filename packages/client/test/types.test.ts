// Type-level agreement between the client package and the server router of the same commit.
// `pnpm run typecheck` (tsc over test/) is what verifies this file; vitest only runs it.
import type { AppRouter } from '@chunkflow/api';
import type { AnyProcedure, inferProcedureInput, inferProcedureOutput } from '@trpc/server';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type ChunkflowClient,
  createChunkflowClient,
  type StrategyChoice,
  type StrategyName,
  strategyChoice,
} from '../src/index.ts';

type Leaf = { query: unknown } | { mutate: unknown } | { subscribe: unknown };

/** What a client offers for each procedure: how it is called, what it takes and returns. */
type ClientView<Client> = {
  [Key in keyof Client as Key extends string ? Key : never]: Client[Key] extends Leaf
    ? CallOf<Client[Key]>
    : ClientView<Client[Key]>;
};
type CallOf<Procedure> = Procedure extends { query: (input: infer Input, ...rest: never[]) => infer Result }
  ? { type: 'query'; input: Input; output: Awaited<Result> }
  : Procedure extends { mutate: (input: infer Input, ...rest: never[]) => infer Result }
    ? { type: 'mutation'; input: Input; output: Awaited<Result> }
    : Procedure extends { subscribe: (input: infer Input, ...rest: never[]) => unknown }
      ? { type: 'subscription'; input: Input; output: unknown }
      : never;

/**
 * The same, read from the router's own procedures. With superjson as the transformer, outputs
 * reach the client exactly as the procedures declare them (a Date stays a Date).
 */
type ServerView<Record> = {
  [Key in keyof Record]: Record[Key] extends AnyProcedure
    ? {
        type: Record[Key]['_def']['type'];
        input: inferProcedureInput<Record[Key]>;
        output: Record[Key]['_def']['type'] extends 'subscription'
          ? unknown
          : inferProcedureOutput<Record[Key]>;
      }
    : ServerView<Record[Key]>;
};

describe('the typed client against the router of this commit', () => {
  it('type check: offers every procedure with the router’s call type, input and output', () => {
    expectTypeOf<ClientView<ChunkflowClient>>().toEqualTypeOf<ServerView<AppRouter['_def']['record']>>();
  });

  it('type check: types the documented calls', () => {
    const client = createChunkflowClient({ url: 'http://localhost:3000', apiKey: 'key' });
    type Preview = Awaited<ReturnType<typeof client.chunking.preview.mutate>>;
    expectTypeOf<Preview['previewId']>().toEqualTypeOf<string>();
    expectTypeOf<Preview['expiresAt']>().toEqualTypeOf<Date>();
    expectTypeOf<Preview['chunks'][number]>().toHaveProperty('startOffset').toEqualTypeOf<number>();
    type Statistics = Awaited<ReturnType<typeof client.chunking.statistics.query>>;
    expectTypeOf<Statistics['lastUpdated']>().toEqualTypeOf<Date>();
    expectTypeOf(client.operations.progress.subscribe).toBeFunction();
  });

  it('type check: refuses calls the server would refuse', () => {
    const client = createChunkflowClient({ url: 'http://localhost:3000' });
    const neverCalled = () => {
      // @ts-expect-error strategy is required by chunking.preview
      void client.chunking.preview.mutate({ content: 'text' });
      // @ts-expect-error chunking.strategies is a query, not a mutation
      void client.chunking.strategies.mutate({});
      // @ts-expect-error no such procedure on the router
      void client.chunking.summarise.query({});
      // @ts-expect-error maxChunks is a number
      void client.chunking.preview.mutate({ content: 'text', strategy: 'recursive', maxChunks: '5' });
    };
    expectTypeOf(neverCalled).returns.toBeVoid();
  });

  it('type check: takes the strategy names and aliases the server knows, nothing else', () => {
    expectTypeOf<StrategyName>().toEqualTypeOf<
      | 'fixed'
      | 'fixed_size'
      | 'character'
      | 'sliding_window'
      | 'recursive'
      | 'markdown'
      | 'document_structure'
      | 'sentence'
      | 'code'
      | 'semantic'
      | 'hierarchical'
      | 'hybrid'
    >();
    const client = createChunkflowClient({ url: 'http://localhost:3000' });
    const neverCalled = () => {
      // @ts-expect-error not a strategy name
      void client.chunking.preview.mutate({ content: 'text', strategy: 'recursiv' });
      // @ts-expect-error not a strategy name
      void client.chunking.previewByHash.mutate({ contentHash: 'a'.repeat(64), strategy: 'words' });
      void client.chunking.compare.mutate({
        content: 'text',
        // @ts-expect-error not a strategy name
        strategies: [{ strategy: 'fixed' }, { strategy: 'x' }],
      });
      // @ts-expect-error not a strategy name
      void client.chunking.applyToCollection.mutate({ collectionId: 'c', strategy: 'paragraph' });
      // @ts-expect-error not a strategy name
      void client.configs.create.mutate({ name: 'preset', strategy: 'Recursive' });
      // @ts-expect-error not a strategy name
      void client.configs.update.mutate({ id: 'p', strategy: 'markdown_headers' });
    };
    expectTypeOf(neverCalled).returns.toBeVoid();
  });

  it('type check: takes the config keys of the strategy named, with their types', () => {
    const client = createChunkflowClient({ url: 'http://localhost:3000' });
    const calls = () => {
      void client.chunking.preview.mutate({
        content: 'text',
        strategy: 'document_structure',
        config: { headingLevels: [1, 2], sizeUnit: 'tokens', tokenizer: 'hf:bert-base-uncased' },
      });
      void client.chunking.applyToCollection.mutate({
        collectionId: 'c',
        strategy: 'hybrid',
        config: { language: 'ts', headingLevels: [2], separators: ['\n\n'] },
      });
      void client.chunking.preview.mutate({
        content: 'text',
        strategy: 'fixed',
        // @ts-expect-error headingLevels is the markdown strategy's key, not fixed's
        config: { headingLevels: [1] },
      });
      void client.configs.create.mutate({
        name: 'preset',
        strategy: 'recursive',
        // @ts-expect-error no strategy takes this key
        config: { chunk_size: 400 },
      });
      // @ts-expect-error no strategy takes this key (a preset's config without a strategy)
      void client.configs.update.mutate({ id: 'p', config: { chunk_size: 400 } });
      void client.chunking.preview.mutate({
        content: 'text',
        strategy: 'sentence',
        // @ts-expect-error sizeUnit is chars or tokens
        config: { sizeUnit: 'words' },
      });
      void client.chunking.preview.mutate({
        content: 'text',
        strategy: 'sentence',
        // @ts-expect-error a tokenizer is a BPE encoding or hf:<name>
        config: { tokenizer: 'gpt2' },
      });
    };
    expectTypeOf(calls).returns.toBeVoid();
  });

  it('type check: strategyChoice types a strategy named at run time, left to the server to check', () => {
    expectTypeOf(strategyChoice).toEqualTypeOf<
      (strategy: string, config?: Record<string, unknown>) => StrategyChoice
    >();
  });
});
