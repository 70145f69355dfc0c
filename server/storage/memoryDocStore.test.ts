import { docStoreContract } from './docStoreContract.js';
import { MemoryDocStore } from './memoryDocStore.js';

docStoreContract('MemoryDocStore', async () => {
  const data = new Map<string, Uint8Array[]>();
  return {
    store: new MemoryDocStore({ data }),
    reopen: async () => new MemoryDocStore({ data }),
    cleanup: async () => undefined,
  };
});
