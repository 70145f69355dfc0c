import { describe, expect, it } from 'vitest';
import { SavedAcks } from './savedAcks.js';

/** A promise settled by hand, like one write of the store. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise reaction run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SavedAcks', () => {
  it('SAVE-1: messages made durable by one write get one acknowledgement, for the highest number', async () => {
    const sent: number[] = [];
    const acks = new SavedAcks((seq) => sent.push(seq));
    const write = deferred();
    acks.track(write.promise);
    acks.track(write.promise);
    acks.track(write.promise);
    await settle();
    expect(sent).toEqual([]);
    write.resolve();
    await settle();
    expect(sent).toEqual([3]);
  });

  it('SAVE-3: a message durable before an earlier one waits for it (an update parked for missing dependencies)', async () => {
    const sent: number[] = [];
    const acks = new SavedAcks((seq) => sent.push(seq));
    const parked = deferred();
    const later = deferred();
    const last = deferred();
    acks.track(parked.promise); // 1: waits for its dependencies
    acks.track(later.promise); // 2
    acks.track(last.promise); // 3
    later.resolve();
    last.resolve();
    await settle();
    expect(sent).toEqual([]); // 2 and 3 are durable, 1 is not: nothing may be acknowledged
    parked.resolve();
    await settle();
    expect(sent).toEqual([3]);
  });

  it('SAVE-1: acknowledgements follow the writes in order, each once', async () => {
    const sent: number[] = [];
    const acks = new SavedAcks((seq) => sent.push(seq));
    const first = deferred();
    const second = deferred();
    acks.track(first.promise);
    acks.track(second.promise);
    first.resolve();
    await settle();
    expect(sent).toEqual([1]);
    second.resolve();
    await settle();
    expect(sent).toEqual([1, 2]);
    acks.track(Promise.resolve()); // e.g. a Step2 that changed nothing, on an idle store
    await settle();
    expect(sent).toEqual([1, 2, 3]);
  });

  it('SAVE-3: a message whose write failed is never acknowledged, nor any after it', async () => {
    const sent: number[] = [];
    const acks = new SavedAcks((seq) => sent.push(seq));
    const failed = deferred();
    acks.track(Promise.resolve());
    acks.track(failed.promise);
    acks.track(Promise.resolve());
    failed.reject(new Error('store closed'));
    await settle();
    expect(sent).toEqual([1]);
  });
});
