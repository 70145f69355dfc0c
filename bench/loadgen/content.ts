import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * Document content shaped like Tiptap's (the editor Roundtable ships): the ProseMirror document
 * lives in `doc.getXmlFragment('default')`, each paragraph is a `Y.XmlElement('paragraph')`
 * holding one `Y.XmlText`. Benchmarks on a flat Y.Text would miss the cost of nested types.
 */

export const FRAGMENT = 'default';

/** Appends `count` paragraphs, each with `text` (repeated filler), in one transaction. */
export function appendParagraphs(doc: Y.Doc, count: number, text: (index: number) => string, origin?: unknown): void {
  doc.transact(() => {
    const fragment = doc.getXmlFragment(FRAGMENT);
    const paragraphs: Y.XmlElement[] = [];
    for (let i = 0; i < count; i++) paragraphs.push(new Y.XmlElement('paragraph'));
    fragment.insert(fragment.length, paragraphs);
    paragraphs.forEach((paragraph, i) => {
      const body = new Y.XmlText();
      paragraph.insert(0, [body]);
      const content = text(i);
      if (content.length > 0) body.insert(0, content);
    });
  }, origin);
}

/**
 * The text of the last `count` paragraphs (the ones a benchmark seeded at the end; Roundtable's
 * own document template may precede them). Returns fewer when the document has fewer.
 */
export function lastParagraphTexts(doc: Y.Doc, count: number): Y.XmlText[] {
  const fragment = doc.getXmlFragment(FRAGMENT);
  const out: Y.XmlText[] = [];
  for (let i = fragment.length - 1; i >= 0 && out.length < count; i--) {
    const node = fragment.get(i);
    if (node instanceof Y.XmlElement && node.nodeName === 'paragraph') {
      const first = node.get(0);
      if (first instanceof Y.XmlText) out.unshift(first);
    }
  }
  return out;
}

/** Number of top-level paragraphs. */
export function paragraphCount(doc: Y.Doc): number {
  let n = 0;
  doc.getXmlFragment(FRAGMENT).forEach((node) => {
    if (node instanceof Y.XmlElement && node.nodeName === 'paragraph') n++;
  });
  return n;
}

// ---------------------------------------------------------------------------------------------
// Send-time markers. The time an edit was made travels *inside* the edit: every inserted string
// (and every awareness state) contains `~T<sender>.<microseconds>~`. Yjs writes string content
// and awareness JSON as raw UTF-8, so receivers find markers with a byte search, without
// decoding or applying the update (which would cost the load generator more than the server).
// A server that merges several updates into one message delivers several markers: each counts.
// ---------------------------------------------------------------------------------------------

const TILDE = 0x7e;
const T = 0x54;
const DOT = 0x2e;

export function marker(sender: number, micros: number): string {
  return `~T${sender}.${Math.round(micros)}~`;
}

/**
 * Calls `found(sender, micros)` for every well-formed marker in `bytes`. Malformed candidates
 * (a `~T` that happens to occur in binary data) are skipped. Bounded by the byte length.
 */
export function scanMarkers(bytes: Uint8Array, found: (sender: number, micros: number) => void): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  let pos = buf.indexOf('~T', 0, 'latin1');
  while (pos >= 0) {
    let i = pos + 2;
    let sender = 0;
    let digits = 0;
    while (i < buf.length && buf[i]! >= 0x30 && buf[i]! <= 0x39 && digits < 10) {
      sender = sender * 10 + (buf[i]! - 0x30);
      i++;
      digits++;
    }
    let ok = digits > 0 && buf[i] === DOT;
    let micros = 0;
    if (ok) {
      i++;
      digits = 0;
      while (i < buf.length && buf[i]! >= 0x30 && buf[i]! <= 0x39 && digits < 16) {
        micros = micros * 10 + (buf[i]! - 0x30);
        i++;
        digits++;
      }
      ok = digits > 0 && buf[i] === TILDE;
    }
    if (ok) {
      found(sender, micros);
      n++;
      pos = buf.indexOf('~T', i + 1, 'latin1');
    } else {
      pos = buf.indexOf('~T', pos + 1, 'latin1');
    }
  }
  return n;
}

// Kept exported for the unit test: the marker bytes are plain ASCII.
export const MARKER_PREFIX = Uint8Array.of(TILDE, T);

// ---------------------------------------------------------------------------------------------
// Awareness (presence), encoded by hand in the y-protocols format
// `[varUint n]{[varUint clientID][varUint clock][varString JSON state]}` so that 100 simulated
// clients do not need 100 Awareness instances (each with its own timer).
// ---------------------------------------------------------------------------------------------

export function encodeAwarenessState(clientID: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientID);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

const COLORS = ['#958DF1', '#F98181', '#FBBC88', '#FAF594', '#70CFF8', '#94FADB', '#B9F18D'];

/**
 * A cursor state as Tiptap's CollaborationCaret publishes it: the user, and anchor/head as
 * JSON-encoded relative positions into the paragraph text. `identity` is the signed-in account
 * (Roundtable, which stamps `user` from the session and replaces anything else there; the real
 * client publishes exactly that), else an invented name and colour. The marker rides in a field
 * of its own, which every server relays untouched.
 */
export function caretState(
  sender: number,
  text: Y.XmlText,
  index: number,
  micros: number,
  identity?: { id: string; name: string; color: string },
): unknown {
  const at = Math.max(0, Math.min(index, text.length));
  const anchor = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, at));
  const head = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, Math.min(text.length, at + 3)));
  const user = identity ? { id: identity.id, name: identity.name, color: identity.color } : { name: `Bench user ${sender}`, color: COLORS[sender % COLORS.length] };
  return { user, cursor: { anchor, head }, sent: marker(sender, micros) };
}

// ---------------------------------------------------------------------------------------------
// Convergence: Yjs may encode the same state with structs in a different order, so two clients'
// `encodeStateAsUpdate` bytes are not comparable. Two replicas are considered converged when
// their state vectors (as sorted client->clock pairs) and their rendered content are identical.
// ---------------------------------------------------------------------------------------------

export function stateKey(doc: Y.Doc): string {
  const sv = [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort((a, b) => a[0] - b[0]);
  return `${sv.map(([client, clock]) => `${client}:${clock}`).join(',')}|${doc.getXmlFragment(FRAGMENT).toString()}`;
}
