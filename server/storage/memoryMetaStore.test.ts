import { MemoryMetaStore } from './memoryMetaStore.js';
import { metaStoreContract } from './metaStoreContract.js';

metaStoreContract('MemoryMetaStore', async () => {
  const store = new MemoryMetaStore();
  // The data lives in the object, so "reopening" hands back the same store.
  return { store, reopen: async () => store, cleanup: async () => {} };
});
