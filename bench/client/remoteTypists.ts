import * as Y from 'yjs';
import { FRAGMENT, caretState, encodeAwarenessState } from '../loadgen/content.js';
import { Recorder, Session, nowUs, type ErrorLog } from '../loadgen/session.js';
import type { DocTarget } from '../types.js';

/**
 * Collaborators typing elsewhere in the document while the person in the browser types: each
 * a lean protocol client (bench/loadgen) that types one character every `intervalMs` into its
 * own paragraph, spread over the document, and publishes its caret with every keystroke, as the
 * Tiptap client does. What the browser receives is what a real session with them would bring:
 * one Yjs update and one awareness change per remote keystroke.
 */
export interface RemoteTypists {
  readonly keystrokes: number;
  stop(): Promise<void>;
}

export async function startRemoteTypists(target: DocTarget, count: number, intervalMs: number, errors: ErrorLog): Promise<RemoteTypists> {
  const recorder = new Recorder();
  const sessions = Array.from({ length: count }, (_, i) => new Session({ target, tag: 1000 + i, recorder, errors }));
  await Promise.all(sessions.map((s) => s.connect(60_000)));
  let keystrokes = 0;
  const timers = sessions.map((session, i) => {
    const paragraphs = session.doc.getXmlFragment(FRAGMENT).toArray();
    // Spread over the document, away from the browser's own paragraph (the middle one).
    const node = paragraphs[Math.floor(((i + 0.5) / (count + 1)) * paragraphs.length)];
    const text = node instanceof Y.XmlElement ? node.get(0) : undefined;
    if (!(text instanceof Y.XmlText)) throw new Error('the benchmark document has no paragraph to type into');
    let clock = 0;
    // Offsets so that the typists do not all type in the same millisecond.
    const timer = setInterval(
      () => {
        if (session.closed) return;
        session.edit(text, 'abcdefghijklmnopqrstuvwxyz '[keystrokes % 27]!);
        keystrokes++;
        clock++;
        session.sendAwareness(encodeAwarenessState(session.doc.clientID, clock, caretState(session.tag, text, text.length, nowUs(), target.identity)));
      },
      intervalMs + i,
    );
    return timer;
  });
  return {
    get keystrokes() {
      return keystrokes;
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(sessions.map((s) => s.close()));
      for (const s of sessions) s.destroy();
    },
  };
}
