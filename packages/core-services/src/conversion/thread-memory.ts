/**
 * The smallest heap a conversion thread may be given: the parsers it loads at start take ~30 MB, so
 * less would fail every conversion instead of bounding one.
 */
export const MIN_CONVERSION_MEMORY_MB = 64;
