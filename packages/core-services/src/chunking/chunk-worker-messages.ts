/** What a resident pool's thread posts once it has started and loaded the default tokenizer. */
export const THREAD_WARM = 'chunk-thread-warm';
