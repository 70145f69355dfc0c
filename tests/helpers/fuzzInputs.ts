import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MessageType, SyncMessageType } from '../../shared/protocol/index.js';
import { appendParagraph } from './collabClients.js';
import { syncFrame } from './frames.js';

/**
 * Hostile input for the protocol fuzz tests (FUZZ-n in docs/SPEC.md), generated from a seed so
 * that a failing run can be repeated exactly (`FUZZ_SEED=…`).
 */

/**
 * The decode-bomb shapes of yjs issue 687 (from yjs's tests/limits.tests.js, which fixed them in
 * the V2 reader and `mergeUpdates`) and the garbage of yjs issue 479. Each one made some Yjs
 * decoder loop forever or exhaust memory; our server reads only V1 updates and never merges
 * untrusted ones, and must refuse every one of them quickly.
 */
export const DECODE_BOMBS: ReadonlyArray<[name: string, bytes: Uint8Array]> = [
  ['687: V2 merge with 4,398,046,511,101 structs', Uint8Array.from([0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 2, 0, 0, 22, 2, 0, 0, 1, 253, 255, 255, 255, 255, 127, 0, 0])],
  ['687: V1 merge with 265,828 updates', Uint8Array.from([228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0, 0, 0, 1, 1, 0, 254, 184, 194, 233, 173, 135, 217, 18, 0, 0, 1, 1, 255, 237, 246])],
  ['687: V2 merge with 7,658,324,286 updates', Uint8Array.from([228, 149, 0, 0, 1, 24, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 237, 1, 190, 130, 227, 195, 28, 1, 2, 228, 149, 0, 0, 1, 24, 0, 0, 1, 24, 0, 0, 1, 0, 1, 237, 0])],
  ['687: GC item of length 553,253', Uint8Array.from([143, 1, 128, 0, 0, 0, 1, 170, 1, 0, 1, 2, 0, 0, 22, 2, 0, 229, 196, 67, 20, 231, 166, 139, 147, 174, 181, 253, 93, 232, 38, 154, 138, 89, 0, 49, 213, 15, 18, 1, 48, 0, 0, 0])],
  ['687: V2 apply with 267,854,847 structs', Uint8Array.from([0, 1, 35, 0, 0, 0, 1, 2, 129, 0, 0, 16, 0, 199, 220, 0, 196, 122, 128, 0, 65, 171, 234, 214, 0, 1, 0, 0, 1, 0, 0, 132, 0, 0, 16, 255, 199, 220, 255, 0, 0, 0])],
  ['479: "garbagedoc" (lib0 readVarUint loop)', new Uint8Array(Buffer.from('garbagedoc', 'base64'))],
];

/** A V1 update of `structs` one-byte GC structs: valid, tiny per struct, costly to apply. */
export function manyStructsUpdate(structs: number, claimed = structs): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, claimed);
  encoding.writeVarUint(encoder, 4242);
  encoding.writeVarUint(encoder, 0);
  for (let i = 0; i < structs; i++) {
    encoding.writeUint8(encoder, 0);
    encoding.writeVarUint(encoder, 1);
  }
  encoding.writeVarUint(encoder, 0);
  return encoding.toUint8Array(encoder);
}

/** A V1 update whose delete set has `ranges` entries. */
export function manyDeletionsUpdate(ranges: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, 777);
  encoding.writeVarUint(encoder, ranges);
  for (let i = 0; i < ranges; i++) {
    encoding.writeVarUint(encoder, 2 * i);
    encoding.writeVarUint(encoder, 1);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Real updates of every kind of content Yjs encodes in V1: text with formatting and embeds, XML
 * elements with attributes, XML text and hooks, arrays of every `Any` value, maps holding types,
 * deletions, and garbage-collected structs.
 */
export function sampleUpdates(): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const doc = new Y.Doc();
  doc.on('update', (update: Uint8Array) => updates.push(update));
  appendParagraph(doc, 'Hello, expert group');
  const text = doc.getText('text');
  text.insert(0, 'bold and plain', { bold: true });
  text.format(0, 4, { italic: { nested: [1, 2] } });
  text.insertEmbed(3, { image: 'https://example.org/a.png' });
  const fragment = doc.getXmlFragment('xml');
  const element = new Y.XmlElement('heading');
  element.setAttribute('level', '2');
  fragment.insert(0, [element, new Y.XmlText('loose text')]);
  doc.getMap('hooks').set('hook', new Y.XmlHook('hook'));
  const array = doc.getArray('any');
  array.insert(0, [[undefined, null, BigInt(12345678901234)], 42, -7, 3.25, 2 ** 40, 1.5e300, true, false, 'text', { a: { b: [1, 'x', null] } }, [[[]]], new Uint8Array([1, 2, 3])]);
  const map = doc.getMap('map');
  map.set('nested', new Y.Map());
  map.set('list', new Y.Array());
  map.set('value', { deep: true });
  text.delete(2, 5);
  array.delete(0, 3);
  // Characters of 2, 3 and 4 UTF-8 bytes (the last two UTF-16 units): clocks count UTF-16 units,
  // and the next insert refers to the item after them by clock.
  text.insert(1, 'ü€🎉');
  text.insert(5, 'after the emoji');
  // A second client typing into the same places: origins across clients, split items, deletions.
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  other.getText('text').insert(3, 'concurrent ');
  other.getText('text').delete(0, 2);
  other.getXmlFragment('default').delete(0, 1);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
  updates.push(Y.encodeStateAsUpdate(doc));
  updates.push(Y.encodeStateAsUpdate(other, Y.encodeStateVector(new Y.Doc())));
  other.destroy();
  return updates;
}

/** Counts what the scan counts, from Yjs's own decoding: structs, deletions and `Any` values. */
export function expectedOperations(update: Uint8Array): number {
  const { structs, ds } = Y.decodeUpdate(update);
  let count = structs.length;
  for (const ranges of ds.clients.values()) count += ranges.length;
  const values = (value: unknown): number => {
    if (Array.isArray(value)) return 1 + value.reduce((sum: number, item: unknown) => sum + values(item), 0);
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
      return 1 + Object.values(value).reduce((sum: number, item: unknown) => sum + values(item), 0);
    }
    return 1;
  };
  for (const struct of structs) {
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentAny) {
      for (const value of struct.content.arr) count += values(value);
    }
  }
  return count;
}

/** One byte-level change: flip, insert, delete, overwrite with 0xff runs, or truncate. */
export function mutate(gen: prng.PRNG, bytes: Uint8Array): Uint8Array {
  const copy = Array.from(bytes);
  const edits = prng.int31(gen, 1, 4);
  for (let e = 0; e < edits; e++) {
    const at = copy.length === 0 ? 0 : prng.int31(gen, 0, copy.length - 1);
    switch (prng.int31(gen, 0, 5)) {
      case 0:
        if (copy.length > 0) copy[at] = (copy[at]! ^ (1 << prng.int31(gen, 0, 7))) & 0xff;
        break;
      case 1:
        copy.splice(at, 0, prng.uint32(gen, 0, 255));
        break;
      case 2:
        copy.splice(at, 1);
        break;
      case 3:
        // A huge varint where a length or count is expected.
        copy.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0x0f);
        break;
      case 4:
        copy.length = at;
        break;
      default:
        if (copy.length > 0) copy[at] = prng.uint32(gen, 0, 255);
    }
  }
  return Uint8Array.from(copy);
}

/** `[type][varUint8Array body]`, for awareness-shaped frames. */
function wrapped(type: number, body: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint8Array(encoder, body);
  return encoding.toUint8Array(encoder);
}

export interface FuzzFrame {
  /** What kind of abuse, for the failure message and the tally. */
  kind: string;
  bytes: Uint8Array;
}

/** Valid frames of every message type, the starting points of the mutations. */
export function validFrames(): Uint8Array[] {
  const doc = new Y.Doc();
  appendParagraph(doc, 'a paragraph to mutate');
  const awareness = new Awareness(doc);
  awareness.setLocalState({ user: { name: 'Fuzz', color: '#000000' }, cursor: { anchor: 1, head: 4 } });
  const update = Y.encodeStateAsUpdate(doc);
  const frames = [
    syncFrame(SyncMessageType.Step1, Y.encodeStateVector(doc)),
    syncFrame(SyncMessageType.Step2, update),
    syncFrame(SyncMessageType.Update, update),
    wrapped(MessageType.Awareness, encodeAwarenessUpdate(awareness, [doc.clientID])),
    Uint8Array.from([MessageType.QueryAwareness]),
    wrapped(MessageType.Auth, Uint8Array.from([0, 4, 110, 111, 112, 101])),
  ];
  awareness.destroy();
  return frames;
}

/**
 * `count` hostile frames from `seed`: random bytes, mutated valid frames of every type, valid
 * framing around garbage and around mutated updates, truncations, huge length prefixes, unknown
 * types, and the decode bombs in Step2/Update frames.
 */
export function fuzzFrames(seed: number, count: number): FuzzFrame[] {
  const gen = prng.create(seed);
  const bases = validFrames();
  const updates = sampleUpdates();
  const frames: FuzzFrame[] = [];
  for (const [name, bomb] of DECODE_BOMBS) {
    frames.push({ kind: `decode bomb in Step2 (${name})`, bytes: syncFrame(SyncMessageType.Step2, bomb) });
    frames.push({ kind: `decode bomb in Update (${name})`, bytes: syncFrame(SyncMessageType.Update, bomb) });
  }
  while (frames.length < count) {
    const pick = prng.int31(gen, 0, 6);
    if (pick === 0) {
      frames.push({ kind: 'random bytes', bytes: prng.uint8Array(gen, prng.int31(gen, 0, 64)) });
    } else if (pick === 1 || pick === 2) {
      const base = prng.oneOf(gen, bases);
      frames.push({ kind: `mutated frame of type ${base[0]}`, bytes: mutate(gen, base) });
    } else if (pick === 3) {
      const syncType = prng.oneOf(gen, [SyncMessageType.Step2, SyncMessageType.Update]);
      frames.push({ kind: 'valid framing around garbage', bytes: syncFrame(syncType, prng.uint8Array(gen, prng.int31(gen, 1, 48))) });
    } else if (pick === 4) {
      const syncType = prng.oneOf(gen, [SyncMessageType.Step2, SyncMessageType.Update]);
      frames.push({ kind: 'valid framing around a mutated update', bytes: syncFrame(syncType, mutate(gen, prng.oneOf(gen, updates))) });
    } else if (pick === 5) {
      const base = prng.oneOf(gen, bases);
      frames.push({ kind: 'truncated frame', bytes: base.slice(0, prng.int31(gen, 0, Math.max(0, base.length - 1))) });
    } else {
      // A length prefix far beyond the frame, or a type nobody defined.
      const type = prng.oneOf(gen, [MessageType.Sync, MessageType.Awareness, MessageType.Auth, 4, 99, 101, 0x7fffffff]);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, type);
      if (type === MessageType.Sync) encoding.writeVarUint(encoder, prng.int31(gen, 0, 9));
      encoding.writeVarUint(encoder, prng.uint53(gen, 64, Number.MAX_SAFE_INTEGER));
      encoding.writeUint8Array(encoder, prng.uint8Array(gen, prng.int31(gen, 0, 16)));
      frames.push({ kind: 'huge length prefix or unknown type', bytes: encoding.toUint8Array(encoder) });
    }
  }
  return frames;
}
