/** tRPC's HTTP wire format with the superjson transformer, as `@chunkflow/client` sends it. */
export interface WireRequest {
  method: 'GET' | 'POST';
  path: string;
  /** As UTF-8 bytes: a text body would be encoded again for every request that sends it. */
  body?: Buffer;
}

export function mutationRequest(procedure: string, input: unknown): WireRequest {
  return { method: 'POST', path: `/trpc/${procedure}`, body: Buffer.from(JSON.stringify({ json: input })) };
}

export function queryRequest(procedure: string, input: unknown): WireRequest {
  return {
    method: 'GET',
    path: `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
  };
}

/** The `data` of a successful single (non-batched) tRPC response. */
export function resultData<Data>(body: unknown): Data {
  return (body as { result: { data: { json: Data } } }).result.data.json;
}
