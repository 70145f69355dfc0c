import { accountStoreContract } from './accountStoreContract.js';
import { MemoryMetaStore } from './memoryMetaStore.js';
import { metaStoreContract, type MetaStoreFixture } from './metaStoreContract.js';

async function memoryFixture(): Promise<MetaStoreFixture> {
  const store = new MemoryMetaStore();
  // The data lives in the object, so "reopening" hands back the same store.
  return { store, reopen: async () => store, cleanup: async () => {} };
}

metaStoreContract('MemoryMetaStore', memoryFixture);
accountStoreContract('MemoryMetaStore', memoryFixture);
