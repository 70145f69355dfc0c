import type { Awareness } from 'y-protocols/awareness';

/** The awareness field y-tiptap's cursor plugin publishes the local selection in. */
export const CURSOR_FIELD = 'cursor';

/**
 * The document's awareness as a read-only editor should see it: everything passes through
 * (others' states and carets are drawn, our `user` is published so others see us as an
 * avatar), except that our own `cursor` field is never set.
 *
 * Why: CollaborationCaret's cursor plugin (y-tiptap `yCursorPlugin`) writes the local selection
 * into `cursor` whenever the editor has focus, and every other client draws a named caret from
 * that field. A reader cannot type, so a caret of theirs in the text would tell the writers
 * someone is about to change that passage. A non-editable ProseMirror view rarely has focus,
 * but selecting text or a keyboard focus can still give it one; filtering the field is certain.
 */
export function withoutLocalCursor(awareness: Awareness): Awareness {
  if (awareness.getLocalState()?.[CURSOR_FIELD] != null) awareness.setLocalStateField(CURSOR_FIELD, null);
  const setLocalStateField = (field: string, value: unknown): void => {
    if (field === CURSOR_FIELD) return;
    awareness.setLocalStateField(field, value);
  };
  return new Proxy(awareness, {
    get(target, property) {
      if (property === 'setLocalStateField') return setLocalStateField;
      const value: unknown = Reflect.get(target, property, target);
      // Methods run against the real awareness (its private fields and observers live there).
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
