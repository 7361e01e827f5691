import { ConflictError } from '@chunkflow/errors';
import { isUniqueViolation } from '../errors.ts';

/** Runs a write, turning a unique violation into a ConflictError with a message for clients. */
export async function conflictOnDuplicate<T>(write: () => Promise<T>, message: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(message, { cause: error });
    throw error;
  }
}
