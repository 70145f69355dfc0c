export * from './ids.js';
export * from './documents.js';
export * from './groups.js';
export * from './errors.js';
export * from './roles.js';
export * from './accounts.js';
