export * from './extensions.js';
export * from './schema.js';
