import { REST_BASE_PATH } from '@chunkflow/api';

const TRPC_PREFIX = '/trpc/';
const API_PREFIXES = [TRPC_PREFIX, `${REST_BASE_PATH}/`];

/** Whether the URL names a procedure (tRPC or REST), rather than a page, health or metrics. */
export function isApiPath(url: string): boolean {
  return API_PREFIXES.some((prefix) => url.startsWith(prefix));
}

/** Whether the URL names a tRPC procedure (answered in tRPC's response shape). */
export function isTrpcPath(url: string): boolean {
  return url.startsWith(TRPC_PREFIX);
}
