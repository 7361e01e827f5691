import { type ChunkflowClient, createChunkflowClient } from '@chunkflow/client';
import { Corpus, type PreviewRequest } from './corpus.ts';
import type { LoadTarget } from './target.ts';
import { mutationRequest, queryRequest, type WireRequest } from './trpc-wire.ts';

/** One kind of request sent by its share of the connections, each as fast as answers come back. */
export interface RequestStream {
  procedure: string;
  /** Share of the scenario's connections. */
  weight: number;
  next(): WireRequest;
  /** Sorts an answer's latency by what the server did for it (e.g. computed or cached). */
  outcomeOf?(body: string): string;
}

/**
 * Users who apply a strategy to a collection and follow its progress until it completes; one
 * collection per user (a collection runs one operation at a time).
 */
export interface ApplyUsers {
  collectionIds: string[];
  strategy: string;
  config: Record<string, unknown>;
}

export interface ScenarioPlan {
  streams: RequestStream[];
  apply?: ApplyUsers;
}

export interface Scenario {
  name: string;
  description: string;
  /** Worker processes the scenario needs (apply runs on them). */
  workers: number;
  /** Creates what the scenario reads (collections, documents) and says what to send. */
  prepare(target: LoadTarget): Promise<ScenarioPlan>;
}

const CORPUS = { documents: 200, novelShare: 0.05, seed: 7 };

function previewStream(corpus: Corpus, weight: number): RequestStream {
  // Each popular request's body is encoded once: re-encoding up to 100 KB per request is
  // load-generator CPU taken from the server under test on the shared cores.
  const encoded = new WeakMap<PreviewRequest, WireRequest>();
  return {
    procedure: 'chunking.preview',
    weight,
    // A computed preview waits for its chunking and the cache's round trips; a cached one does not.
    // The field is among the last (after the chunks), and no string in the answer can hold its
    // unescaped quotes: found from the end, it costs the load generator next to nothing.
    // An answer without the field (an error) is sorted apart rather than counted as cached.
    outcomeOf: (body) => {
      const at = body.lastIndexOf('"cached":');
      if (at < 0) return 'refused';
      return body.startsWith('false', at + '"cached":'.length) ? 'computed' : 'cached';
    },
    next: () => {
      const request = corpus.nextPreview();
      let wire = encoded.get(request);
      if (wire === undefined) {
        wire = mutationRequest('chunking.preview', request);
        encoded.set(request, wire);
      }
      return wire;
    },
  };
}

async function seedCollection(
  client: ChunkflowClient,
  corpus: Corpus,
  documents: number,
  name = 'load',
): Promise<string> {
  const { id } = await client.collections.create.mutate({ name });
  for (let index = 0; index < documents; index += 1) {
    await client.documents.create.mutate({
      collectionId: id,
      name: `document-${index}.md`,
      content: corpus.documents[index] as string,
    });
  }
  return id;
}

/** The seed's protocol: 50 users previewing documents of 1–100 KB. */
export const previewHeavy: Scenario = {
  name: 'preview-heavy',
  description:
    'Every connection previews documents of 1–100 KB (log-uniform sizes cut from the repository’s own ' +
    'Markdown and TypeScript) with one of 4 strategy configs; (document, config) pairs are drawn by Zipf ' +
    'popularity over 200 documents, and 5% of previews carry a document never sent before.',
  workers: 0,
  prepare: async () => ({ streams: [previewStream(new Corpus(CORPUS), 1)] }),
};

/** The API as a team uses it: previews and comparisons, dashboards reading, operations running. */
export const mixed: Scenario = {
  name: 'mixed',
  description:
    'Previews (as in preview-heavy), compare of 3 strategies, collection statistics, document and ' +
    'operation listings, and 2 users who each apply a strategy to a 20-document collection and follow its ' +
    'progress over SSE until it completes (1 worker process).',
  workers: 1,
  async prepare(target) {
    const corpus = new Corpus(CORPUS);
    const client = createChunkflowClient({ url: target.url, apiKey: target.apiKey });
    const collectionId = await seedCollection(client, corpus, 20);
    let compared = 0;
    return {
      streams: [
        previewStream(corpus, 40),
        {
          procedure: 'chunking.compare',
          weight: 8,
          next: () => {
            compared += 1;
            return mutationRequest('chunking.compare', {
              content: corpus.documents[compared % 50],
              strategies: [
                { strategy: 'recursive', config: { chunkSize: 1000, chunkOverlap: 200 } },
                { strategy: 'markdown', config: { chunkSize: 512, sizeUnit: 'tokens' } },
                { strategy: 'sentence', config: { chunkSize: 800, chunkOverlap: 100 } },
              ],
              sampleSize: 3,
            });
          },
        },
        {
          procedure: 'chunking.statistics',
          weight: 20,
          next: () => queryRequest('chunking.statistics', { collectionId }),
        },
        {
          procedure: 'documents.list',
          weight: 15,
          next: () => queryRequest('documents.list', { collectionId, limit: 20 }),
        },
        {
          procedure: 'operations.list',
          weight: 15,
          next: () => queryRequest('operations.list', { collectionId, limit: 20 }),
        },
      ],
      apply: {
        collectionIds: [collectionId, await seedCollection(client, corpus, 20, 'load-apply')],
        strategy: 'recursive',
        config: { chunkSize: 512, chunkOverlap: 64, sizeUnit: 'tokens' },
      },
    };
  },
};

export const scenarios: Record<string, Scenario> = {
  [previewHeavy.name]: previewHeavy,
  [mixed.name]: mixed,
};
