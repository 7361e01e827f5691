import {
  type ConversionInput,
  type ConversionLimits,
  type ConvertedDocument,
  convertDocument,
} from '@chunkflow/converters';

/** The converters' budgets out of the conversion settings (CONVERSION_MAX_*). */
export function conversionLimitsOf(settings: ConversionLimits): ConversionLimits {
  const { maxPages, maxOutputChars, maxInflatedBytes, maxCompressionRatio, maxNestingDepth } = settings;
  return { maxPages, maxOutputChars, maxInflatedBytes, maxCompressionRatio, maxNestingDepth };
}

export interface ConvertOptions {
  /** Aborting it abandons the conversion (its thread, if it has one, is terminated). */
  signal?: AbortSignal | undefined;
}

/**
 * Turns an uploaded file into the text every strategy chunks, with its provenance (see
 * @chunkflow/converters). The composition root decides where: inline, or on threads of their own.
 */
export interface DocumentConverter {
  /** May take `input.bytes` over (a thread's converter moves them rather than copy them). */
  convert(input: ConversionInput, options?: ConvertOptions): Promise<ConvertedDocument>;
  close(): Promise<void>;
}

/** Converts on the calling thread: for tests, and for text a thread would only copy. */
export class InlineConverter implements DocumentConverter {
  readonly #limits: ConversionLimits;

  constructor(limits: ConversionLimits) {
    this.#limits = limits;
  }

  async convert(input: ConversionInput, { signal }: ConvertOptions = {}): Promise<ConvertedDocument> {
    signal?.throwIfAborted();
    return convertDocument(input, this.#limits);
  }

  async close(): Promise<void> {}
}
