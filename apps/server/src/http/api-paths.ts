import { REST_BASE_PATH } from '@chunkflow/api';

const API_PREFIXES = ['/trpc/', `${REST_BASE_PATH}/`];

/** Whether the URL names a procedure (tRPC or REST), rather than a page, health or metrics. */
export function isApiPath(url: string): boolean {
  return API_PREFIXES.some((prefix) => url.startsWith(prefix));
}
