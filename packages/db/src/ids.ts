const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids are UUID columns: PostgreSQL rejects anything else with a cast error, so a malformed id
 * from a client is answered as "not found" before it reaches the database.
 */
export function isId(value: string): boolean {
  return UUID.test(value);
}
