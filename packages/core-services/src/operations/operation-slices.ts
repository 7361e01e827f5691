/**
 * How an operation's plan is cut into slices: `sliceCount` slices of about `sliceDocuments`
 * documents each, fixed when it starts (the count is stored as the length of its slice progress,
 * so every process cuts the same plan the same way whatever its own settings).
 */
export function sliceCount(documentsTotal: number, sliceDocuments: number): number {
  return Math.ceil(documentsTotal / sliceDocuments);
}

/** Plan positions [start, end) of slice `slice` of `slices` over `documentsTotal` documents. */
export function sliceBounds(
  documentsTotal: number,
  slices: number,
  slice: number,
): { start: number; end: number } {
  return {
    start: Math.floor((slice * documentsTotal) / slices),
    end: Math.floor(((slice + 1) * documentsTotal) / slices),
  };
}

/**
 * The slices' progress of an operation that ran before slices existed: it finished its first
 * `documentsDone` documents one after the other, so those are done and nothing after them is.
 */
export function progressOfDonePrefix(
  documentsTotal: number,
  slices: number,
  documentsDone: number,
): number[] {
  return Array.from({ length: slices }, (_, slice) => {
    const { start, end } = sliceBounds(documentsTotal, slices, slice);
    return Math.min(Math.max(documentsDone - start, 0), end - start);
  });
}
