export * from './embedder.ts';
export * from './hashing-embedder.ts';
export * from './http-embedder.ts';
export * from './spec.ts';
