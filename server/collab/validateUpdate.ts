/**
 * Checking an untrusted Yjs update (V1 encoding, the only one the sync protocol carries) before
 * it is applied, in one pass over the bytes that builds nothing (docs/SECURITY.md, "Decoding
 * untrusted updates"):
 *
 * - It reads the whole grammar, structs and delete set, so a malformed update is refused before
 *   Yjs sees it. That matters because Yjs integrates the structs before it reads the delete set:
 *   a bad tail would otherwise leave half an update in the document. (Errors Yjs raises while
 *   reading the structs — bad UTF-8, bad JSON — come before it integrates anything.)
 * - It refuses what Yjs assumes and does not check, where a violation makes it throw halfway
 *   through integrating: references to a later item of the same client, empty structs and empty
 *   deleted ranges (found by the seeded mutation test, FUZZ-2).
 * - It counts structs, deleted ranges and values, and refuses more than `maxOperations`:
 *   applying costs main-thread time in proportion (a 15 MiB update of 8 million one-byte "GC"
 *   structs takes about 3 s to decode and 3 s to apply, with 1 GB of memory), which the frame
 *   size limit alone does not prevent.
 *
 * Every loop consumes at least one byte per iteration or throws at the end of the input, so the
 * scan is linear in the frame size. It follows yjs 13's V1 reader (`lazyStructReaderGenerator`,
 * `readItemContent`, `readDeleteSet`, lib0 `readAny`); where it is stricter (sub-documents,
 * nesting depth, trailing bytes) the update is not one our document model can hold.
 */

/** The update is well-formed but holds more than the allowed number of operations. */
export class UpdateTooLargeError extends Error {
  readonly code = 'UPDATE_TOO_LARGE';
}

/** Nesting of `Any` values (objects in arrays in objects…) the scan follows; ours are flat. */
export const MAX_VALUE_DEPTH = 64;

const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const BITS5 = 31;
const SKIP_STRUCT = 10;
/** Type refs with a key after them: YXmlElement (node name) and YXmlHook. */
const XML_ELEMENT = 3;
const XML_HOOK = 5;
const LAST_TYPE_REF = 6;

class Scanner {
  private pos = 0;
  operations = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxOperations: number,
  ) {}

  count(): void {
    if (++this.operations > this.maxOperations) {
      throw new UpdateTooLargeError(`update holds more than ${this.maxOperations} structs, deletions and values`);
    }
  }

  byte(): number {
    const value = this.bytes[this.pos];
    if (value === undefined) throw new RangeError('unexpected end of update');
    this.pos++;
    return value;
  }

  /** lib0 `readVarUint`: 7 bits per byte, refused beyond 2^53. */
  uint(): number {
    let value = 0;
    let multiplier = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * multiplier;
      if (b < BIT8) return value;
      multiplier *= 128;
      if (value > Number.MAX_SAFE_INTEGER) throw new RangeError('integer out of range');
    }
  }

  /** lib0 `readVarInt`: the first byte holds a continuation bit, a sign bit and 6 bits. */
  varInt(): void {
    let b = this.byte();
    while (b & BIT8) b = this.byte();
  }

  skip(length: number): void {
    if (length > this.bytes.length - this.pos) throw new RangeError('unexpected end of update');
    this.pos += length;
  }

  /** A length-prefixed byte string (`readVarUint8Array`, `readVarString`). */
  lengthPrefixed(): void {
    this.skip(this.uint());
  }

  any(depth: number): void {
    this.count();
    if (depth > MAX_VALUE_DEPTH) throw new RangeError(`values nested deeper than ${MAX_VALUE_DEPTH}`);
    const type = this.byte();
    switch (type) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return;
      case 125:
        this.varInt();
        return;
      case 124:
        this.skip(4);
        return;
      case 123:
      case 122:
        this.skip(8);
        return;
      case 119: // string
      case 116: // Uint8Array
        this.lengthPrefixed();
        return;
      case 118: {
        const keys = this.uint();
        for (let i = 0; i < keys; i++) {
          this.lengthPrefixed();
          this.any(depth + 1);
        }
        return;
      }
      case 117: {
        const length = this.uint();
        for (let i = 0; i < length; i++) this.any(depth + 1);
        return;
      }
      default:
        throw new RangeError(`unknown value type ${type}`);
    }
  }

  /** Reads an item's content and returns its length in clock units (as Yjs counts it). */
  content(ref: number): number {
    switch (ref) {
      case 1: // deleted: a length only
        return this.uint();
      case 2: {
        // JSON: strings parsed one by one
        const length = this.uint();
        for (let i = 0; i < length; i++) {
          this.count();
          this.lengthPrefixed();
        }
        return length;
      }
      case 4: // string: one clock per UTF-16 code unit
        return this.utf16Length();
      case 3: // binary
      case 5: // embed (JSON)
        this.lengthPrefixed();
        return 1;
      case 6: // format: key and JSON value
        this.lengthPrefixed();
        this.lengthPrefixed();
        return 1;
      case 7: {
        const typeRef = this.uint();
        if (typeRef > LAST_TYPE_REF) throw new RangeError(`unknown type ${typeRef}`);
        if (typeRef === XML_ELEMENT || typeRef === XML_HOOK) this.lengthPrefixed();
        return 1;
      }
      case 8: {
        const length = this.uint();
        for (let i = 0; i < length; i++) this.any(0);
        return length;
      }
      case 9:
        // Yjs would construct a Y.Doc from client-supplied options; our model has no sub-documents.
        throw new RangeError('sub-documents are not part of the document model');
      default:
        throw new RangeError(`unknown content type ${ref}`);
    }
  }

  structs(): void {
    const clients = this.uint();
    for (let c = 0; c < clients; c++) {
      const structs = this.uint();
      const client = this.uint();
      let clock = this.uint();
      for (let s = 0; s < structs; s++) {
        this.count();
        const info = this.byte();
        if (info === SKIP_STRUCT || (info & BITS5) === 0) {
          clock += this.length(); // Skip or GC: a length only
          continue;
        }
        // Yjs assumes (without checking) that an item refers to items of its own client only
        // with earlier clocks, since those were created first; a later one makes it throw halfway
        // through integrating the update. So that is refused here.
        if (info & BIT8) this.reference(client, clock); // origin
        if (info & BIT7) this.reference(client, clock); // right origin
        if ((info & (BIT7 | BIT8)) === 0) {
          // No origins: the parent is named (a root type's key) or given by id.
          if (this.uint() === 1) this.lengthPrefixed();
          else this.reference(client, clock);
          if (info & BIT6) this.lengthPrefixed(); // parentSub (a map key)
        }
        const length = this.content(info & BITS5);
        if (length === 0) throw new RangeError('an empty item');
        clock += length;
      }
    }
  }

  deleteSet(): void {
    const clients = this.uint();
    for (let c = 0; c < clients; c++) {
      this.uint(); // client id
      const ranges = this.uint();
      for (let r = 0; r < ranges; r++) {
        this.count();
        this.uint(); // clock
        this.length();
      }
    }
  }

  /** Every Yjs encoder ends an update with its delete set; more bytes mean it is not one. */
  end(): void {
    if (this.pos !== this.bytes.length) throw new RangeError(`${this.bytes.length - this.pos} bytes after the update's delete set`);
  }

  /**
   * The length of a struct or deleted range. Yjs never writes an empty one, and its lookups
   * (binary search by clock) and its V2 re-encoding of pending deletions throw on them.
   */
  private length(): number {
    const length = this.uint();
    if (length === 0) throw new RangeError('an empty struct or deleted range');
    return length;
  }

  /** An id an item refers to; of its own client it must be older than the item itself. */
  private reference(ownClient: number, ownClock: number): void {
    const client = this.uint();
    const clock = this.uint();
    if (client === ownClient && clock >= ownClock) throw new RangeError('an item refers to a later item of its own client');
  }

  /**
   * The length of a UTF-8 string in UTF-16 code units, read without decoding it: one per
   * character, two for characters outside the Basic Multilingual Plane (4-byte sequences).
   * Invalid UTF-8 is refused later by Yjs's own (fatal) decoder.
   */
  private utf16Length(): number {
    const length = this.uint();
    if (length > this.bytes.length - this.pos) throw new RangeError('unexpected end of update');
    let units = 0;
    for (let i = this.pos; i < this.pos + length; i++) {
      const b = this.bytes[i]!;
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    this.pos += length;
    return units;
  }
}

/**
 * Counts the operations of a V1 update without decoding it into objects. Throws a RangeError on
 * malformed input and an UpdateTooLargeError past `maxOperations`. Bytes after the delete set
 * are refused (Yjs would ignore them; no Yjs encoder writes any), which also refuses most other
 * encodings that happen to start like a short V1 update, such as the V2 decode bombs of yjs
 * issue 687.
 */
export function scanUpdate(update: Uint8Array, maxOperations = Number.POSITIVE_INFINITY): number {
  const scanner = new Scanner(update, maxOperations);
  scanner.structs();
  scanner.deleteSet();
  scanner.end();
  return scanner.operations;
}

/**
 * Refuses an untrusted update unless it is well-formed and holds at most `maxOperations`
 * structs, deletions and values. Throws on bad input (UpdateTooLargeError for too many).
 */
export function validateUpdate(update: Uint8Array, maxOperations = Number.POSITIVE_INFINITY): void {
  scanUpdate(update, maxOperations);
}
