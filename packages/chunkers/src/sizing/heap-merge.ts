/**
 * Byte-pair merging of one pre-tokenizer piece in O(n log n). The tokenizer package rescans every
 * pair for the lowest rank at each merge, O(n²) in the piece's length: a 1 MB word (text without
 * spaces or punctuation) took minutes. This does the same merges in the same order (lowest rank
 * first, leftmost among equal ranks) with a heap, so the tokens are identical.
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
  // Bumped whenever a part's pair with its right neighbour changes; older heap entries are stale.
  const version = new Int32Array(count + 1);
  const heap = new PairHeap();
  const pushPair = (left: number) => {
    const right = next[left] as number;
    if (right >= count) return;
    const rank = rankOf(piece.subarray(left, next[right]));
    if (rank !== undefined) heap.push(rank, left, version[left] as number);
  };
  for (let i = 0; i < count - 1; i++) pushPair(i);

  for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) {
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

interface PairEntry {
  rank: number;
  start: number;
  version: number;
}

/** A binary min-heap of pairs by rank, then by start offset (the leftmost pair first). */
class PairHeap {
  readonly #entries: PairEntry[] = [];

  push(rank: number, start: number, version: number): void {
    const entries = this.#entries;
    entries.push({ rank, start, version });
    for (let at = entries.length - 1; at > 0; ) {
      const parent = (at - 1) >> 1;
      if (!precedes(entries[at] as PairEntry, entries[parent] as PairEntry)) break;
      [entries[at], entries[parent]] = [entries[parent] as PairEntry, entries[at] as PairEntry];
      at = parent;
    }
  }

  pop(): PairEntry | undefined {
    const entries = this.#entries;
    const top = entries[0];
    const last = entries.pop();
    if (top === undefined || last === undefined || entries.length === 0) return top;
    entries[0] = last;
    for (let at = 0; ; ) {
      const left = 2 * at + 1;
      const right = left + 1;
      let first = at;
      if (left < entries.length && precedes(entries[left] as PairEntry, entries[first] as PairEntry))
        first = left;
      if (right < entries.length && precedes(entries[right] as PairEntry, entries[first] as PairEntry))
        first = right;
      if (first === at) break;
      [entries[at], entries[first]] = [entries[first] as PairEntry, entries[at] as PairEntry];
      at = first;
    }
    return top;
  }
}

function precedes(a: PairEntry, b: PairEntry): boolean {
  return a.rank < b.rank || (a.rank === b.rank && a.start < b.start);
}
