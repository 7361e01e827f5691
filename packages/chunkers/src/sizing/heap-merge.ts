import TinyQueue from 'tinyqueue';

/** A candidate merge: the pair starting at `start`, as it was when its part had `version`. */
interface PairEntry {
  rank: number;
  start: number;
  version: number;
}

/** Lowest rank first; among equal ranks, the leftmost pair (the package's order). */
const byRankThenStart = (a: PairEntry, b: PairEntry) => a.rank - b.rank || a.start - b.start;

/**
 * Byte-pair merging of one pre-tokenizer piece in O(n log n). The tokenizer package rescans every
 * pair for the lowest rank at each merge, O(n²) in the piece's length: a 1 MB word (text without
 * spaces or punctuation) took minutes. This does the same merges in the same order (lowest rank
 * first, leftmost among equal ranks) with a priority queue, so the tokens are identical.
 */
export function bytePairMergeByHeap(
  piece: Uint8Array,
  rankOf: (bytes: Uint8Array) => number | undefined,
): number[] {
  const count = piece.length;
  // Parts as a linked list over their start offsets; part i spans [i, next[i]).
  const next = new Int32Array(count + 1);
  const previous = new Int32Array(count + 1);
  for (let i = 0; i <= count; i++) {
    next[i] = i + 1;
    previous[i] = i - 1;
  }
  // Bumped whenever a part's pair with its right neighbour changes; older queue entries are stale.
  const version = new Int32Array(count + 1);
  const queue = new TinyQueue<PairEntry>([], byRankThenStart);
  const pushPair = (left: number) => {
    const right = next[left] as number;
    if (right >= count) return;
    const rank = rankOf(piece.subarray(left, next[right]));
    if (rank !== undefined) queue.push({ rank, start: left, version: version[left] as number });
  };
  for (let i = 0; i < count - 1; i++) pushPair(i);

  for (let entry = queue.pop(); entry !== undefined; entry = queue.pop()) {
    const left = entry.start;
    if (entry.version !== version[left]) continue;
    const right = next[left] as number;
    const after = next[right] as number;
    next[left] = after;
    previous[after] = left;
    version[right] = -1; // merged away: its entries are stale for good
    version[left] = (version[left] as number) + 1;
    pushPair(left);
    const before = previous[left] as number;
    if (before >= 0) {
      version[before] = (version[before] as number) + 1;
      pushPair(before);
    }
  }

  const tokens: number[] = [];
  for (let start = 0; start < count; start = next[start] as number) {
    const rank = rankOf(piece.subarray(start, next[start]));
    if (rank === undefined) throw new Error('byte-pair merge left a part outside the vocabulary');
    tokens.push(rank);
  }
  return tokens;
}
