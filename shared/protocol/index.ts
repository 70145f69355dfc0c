export * from './messageTypes.js';
export * from './closeCodes.js';
export * from './classify.js';
export * from './saved.js';
export * from './encode.js';
