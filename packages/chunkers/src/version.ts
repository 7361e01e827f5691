/**
 * Bumped whenever a change to any strategy can change its output for the same input and config,
 * so content-addressed caches of earlier results stop matching.
 */
export const ENGINE_VERSION = '3';
