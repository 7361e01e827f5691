/** A line of the body, or the length of one too long to hold (its bytes were skipped). */
export type BodyLine = { bytes: Buffer } | { tooLongBytes: number };

const NEWLINE = 0x0a;

/**
 * Splits a streamed body into its lines (`\n`, a `\r` before it dropped), holding at most
 * `maxLineBytes` of the current line: a longer one is skipped to its end as it arrives and
 * reported by its length, so memory stays bounded whatever is sent. Blank lines are dropped.
 */
export async function* bodyLines(
  body: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<BodyLine, void, undefined> {
  let pieces: Buffer[] = [];
  let length = 0;
  // Set once the current line has outgrown the limit: its bytes are counted, not kept.
  let skipping = false;
  const take = (piece: Buffer) => {
    length += piece.byteLength;
    if (skipping) return;
    if (length > maxLineBytes) {
      skipping = true;
      pieces = [];
    } else pieces.push(piece);
  };
  const finish = (): BodyLine | undefined => {
    const line: BodyLine | undefined = skipping
      ? { tooLongBytes: length }
      : length > 0
        ? { bytes: withoutCarriageReturn(Buffer.concat(pieces, length)) }
        : undefined;
    pieces = [];
    length = 0;
    skipping = false;
    return line && 'bytes' in line && isBlank(line.bytes) ? undefined : line;
  };
  for await (const chunk of body) {
    const piece = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let newline = piece.indexOf(NEWLINE); newline !== -1; newline = piece.indexOf(NEWLINE, start)) {
      take(piece.subarray(start, newline));
      const line = finish();
      if (line) yield line;
      start = newline + 1;
    }
    // The rest is copied: the body may reuse its buffer once this piece is consumed.
    if (start < piece.byteLength) take(Buffer.from(piece.subarray(start)));
  }
  const last = finish();
  if (last) yield last;
}

function withoutCarriageReturn(bytes: Buffer): Buffer {
  return bytes.at(-1) === 0x0d ? bytes.subarray(0, -1) : bytes;
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
