/** The API key from `Authorization: Bearer <key>`, or undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer[ ]+([^\s]+)$/i);
  return match?.[1];
}
