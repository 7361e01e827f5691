/** A refusal of a REST call, read from the `{ error: { code, message, correlationId } }` envelope. */
export class RestError extends Error {
  readonly code: string;
  readonly correlationId: string | undefined;

  constructor(code: string, message: string, correlationId: string | undefined) {
    super(message);
    this.code = code;
    this.correlationId = correlationId;
  }
}

/** The types the upload route converts; what a browser cannot name is sent for the server to detect. */
export const ACCEPTED_FILES = '.pdf,.docx,.html,.htm,.md,.markdown,.txt,text/*,.ts,.js,.py,.json';

/**
 * Sends a file as it is to the streaming upload route, which converts PDF, DOCX and HTML to text
 * with pages and headings (a file read as text here would lose them).
 */
export async function uploadFile(apiKey: string, collectionId: string, file: File): Promise<void> {
  const response = await fetch(
    `/api/v2/collections/${encodeURIComponent(collectionId)}/documents/upload?name=${encodeURIComponent(file.name)}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': file.type || 'application/octet-stream' },
      body: file,
    },
  );
  if (response.ok) return;
  const answer = (await response.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string; correlationId?: string };
  };
  throw new RestError(
    answer.error?.code ?? `HTTP_${response.status}`,
    answer.error?.message ?? response.statusText,
    answer.error?.correlationId,
  );
}
