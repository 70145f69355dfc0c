export { CollabServer, type CollabServerOptions } from './CollabServer.js';
