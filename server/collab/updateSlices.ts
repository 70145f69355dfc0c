import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** How much of a document one slice may carry (see cutUpdate). */
export interface SliceLimits {
  /** Structs per slice: integration costs per struct. */
  maxStructs: number;
  /** Encoded bytes per slice: parsing (strings above all) costs per byte. */
  maxBytes: number;
}

/**
 * About 1 ms of `Y.applyUpdate` each once the JIT is warm, 10–15 ms at the 90th percentile while
 * it is still cold or a scavenge falls into it (2.7 MB bench document, 2 busy cores): small
 * enough that the scheduler's per-turn budget is rarely overrun by much.
 */
export const DEFAULT_SLICE_LIMITS: SliceLimits = { maxStructs: 500, maxBytes: 16 * 1024 };

/** What a loading room needs to answer sync before its Y.Doc is built. */
export interface SyncPlan {
  /** State vector of the stored state: the room's Step1 while it is being built. */
  stateVector: Uint8Array;
  /** The stored records merged into one update, when there was more than one (else null: the record is it). */
  merged: Uint8Array | null;
}

/** What a loading room needs to serve sync and to build its Y.Doc (Room.load). */
export interface LoadPlan extends SyncPlan {
  /**
   * The stored state as V1 updates that, applied in order to an empty Y.Doc, give the same
   * document as applying it at once: the structs in causal order, then the delete set alone.
   */
  slices: Uint8Array[];
}

/**
 * Decodes the stored records once and cuts them into a LoadPlan. Pure: runs in the load worker or
 * in-process. `onSync` gets the sync part as soon as it is known, before the (longer) cutting.
 */
export function planLoad(records: readonly Uint8Array[], limits: SliceLimits = DEFAULT_SLICE_LIMITS, onSync?: (sync: SyncPlan) => void): LoadPlan {
  const merged = records.length > 1 ? Y.mergeUpdates(records as Uint8Array[]) : null;
  const update = merged ?? records[0] ?? emptyUpdate();
  const { structs, ds } = Y.decodeUpdate(update);
  const byClient = groupByClient(structs);
  const state = new Map<number, number>();
  for (const [client, list] of byClient) {
    const last = list[list.length - 1]!;
    state.set(client, last.id.clock + last.length);
  }
  const sync: SyncPlan = { stateVector: Y.encodeStateVector(state), merged };
  onSync?.(sync);
  return { ...sync, slices: [...cutStructs(byClient, limits), encodeDeleteSet(ds)] };
}

type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Emits every struct after the structs it depends on (its origin, right origin and parent when
 * they are in this update), so that no slice leaves Yjs with pending structs to retry, and cuts
 * the stream into slices within `limits`. Within one client the order is the clock order (which
 * the encoding requires and which is causal anyway); across clients a struct whose dependency is
 * further down another client's list waits until that list has been emitted up to it.
 *
 * Depth-first with an explicit stack: at most one struct per client is waiting at any time (the
 * next one of its client), so the stack never holds more than the number of clients. A cycle can
 * only come from corrupt input; the rest is then put into one last slice, where Yjs does
 * whatever applying the whole update at once would have done.
 */
function cutStructs(byClient: Map<number, Struct[]>, limits: SliceLimits): Uint8Array[] {
  const next = new Map<number, number>(); // client -> index of its next struct to emit
  for (const client of byClient.keys()) next.set(client, 0);
  const slices: Uint8Array[] = [];
  let slice = new SliceBuilder();
  const emit = (client: number): void => {
    const index = next.get(client)!;
    const struct = byClient.get(client)![index]!;
    next.set(client, index + 1);
    slice.add(client, struct);
    if (slice.structs >= limits.maxStructs || slice.bytes >= limits.maxBytes) {
      slices.push(slice.encode());
      slice = new SliceBuilder();
    }
  };
  /** The client whose next struct must be emitted before `struct`, or null when none. */
  const blockingClient = (struct: Struct): number | null => {
    if (!(struct instanceof Y.Item)) return null;
    for (const dep of [struct.origin, struct.rightOrigin, struct.parent instanceof Y.ID ? struct.parent : null]) {
      if (dep === null) continue;
      const list = byClient.get(dep.client);
      if (list === undefined) continue; // not in this update: Yjs resolves it (or parks it) as it would anyway
      const index = next.get(dep.client)!;
      if (index < list.length && dep.clock >= list[index]!.id.clock) return dep.client;
    }
    return null;
  };
  const onStack = new Set<number>();
  const stack: number[] = [];
  let cycle = false;
  outer: for (const [client, list] of byClient) {
    while (next.get(client)! < list.length) {
      stack.push(client);
      onStack.add(client);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const blocking = blockingClient(byClient.get(top)![next.get(top)!]!);
        if (blocking === null) {
          emit(top);
          stack.pop();
          onStack.delete(top);
        } else if (onStack.has(blocking)) {
          cycle = true;
          break outer;
        } else {
          stack.push(blocking);
          onStack.add(blocking);
        }
      }
    }
  }
  if (cycle) {
    for (const [client, list] of byClient) {
      for (let i = next.get(client)!; i < list.length; i++) slice.add(client, list[i]!);
    }
  }
  if (slice.structs > 0) slices.push(slice.encode());
  return slices;
}

/**
 * The structs of one slice. Emission is in clock order within a client, so each client's structs
 * in a slice are one contiguous clock range: written like Yjs writes them (writeStructs).
 */
class SliceBuilder {
  private readonly byClient = new Map<number, Struct[]>();
  structs = 0;
  /** Rough encoded size, for the limit: a string's length stands for its bytes; the rest is small. */
  bytes = 0;

  add(client: number, struct: Struct): void {
    let list = this.byClient.get(client);
    if (list === undefined) {
      list = [];
      this.byClient.set(client, list);
    }
    list.push(struct);
    this.structs++;
    this.bytes += 8 + (struct instanceof Y.Item && struct.content instanceof Y.ContentString ? struct.length : 0);
  }

  encode(): Uint8Array {
    const encoder = new Y.UpdateEncoderV1();
    encoding.writeVarUint(encoder.restEncoder, this.byClient.size);
    for (const [client, structs] of this.byClient) {
      encoding.writeVarUint(encoder.restEncoder, structs.length);
      encoder.writeClient(client);
      encoding.writeVarUint(encoder.restEncoder, structs[0]!.id.clock);
      for (const struct of structs) struct.write(encoder, 0);
    }
    encoding.writeVarUint(encoder.restEncoder, 0); // no deletions: they come in the last slice
    return encoder.toUint8Array();
  }
}

/** An update with no structs and the given delete set (Yjs' writeDeleteSet, which it does not export). */
function encodeDeleteSet(ds: ReturnType<typeof Y.decodeUpdate>['ds']): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 0);
  encoding.writeVarUint(encoder.restEncoder, ds.clients.size);
  for (const [client, items] of ds.clients) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, items.length);
    for (const item of items) {
      encoder.writeDsClock(item.clock);
      encoder.writeDsLen(item.len);
    }
  }
  return encoder.toUint8Array();
}

function groupByClient(structs: Struct[]): Map<number, Struct[]> {
  const byClient = new Map<number, Struct[]>();
  for (const struct of structs) {
    let list = byClient.get(struct.id.client);
    if (list === undefined) {
      list = [];
      byClient.set(struct.id.client, list);
    }
    list.push(struct);
  }
  // decodeUpdate keeps each client's structs in clock order; merged updates too. Sorted anyway:
  // the slices rely on it and it costs nothing on sorted input.
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  return byClient;
}

function emptyUpdate(): Uint8Array {
  return new Uint8Array([0, 0]);
}
