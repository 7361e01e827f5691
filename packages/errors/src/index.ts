export * from './application-error.ts';
export * from './codes.ts';
export * from './correlation.ts';
export * from './translator.ts';
