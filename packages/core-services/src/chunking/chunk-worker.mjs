// Worker-thread entry of the chunking pool. Plain JS because worker threads start without the
// TypeScript loader: it registers tsx first, then loads the engine from source.
import { register } from 'tsx/esm/api';

register();
const { chunkAsync } = await import('@chunkflow/chunkers');

/** @param {{ text: string, config: unknown }} task */
export default async function runChunking({ text, config }) {
  // Plain objects: chunks may carry a lazy tokenCount getter, which must not cross threads unread.
  return (await chunkAsync(text, config)).map((chunk) => ({ ...chunk }));
}
