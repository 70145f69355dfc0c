import type { AnyExtension } from '@tiptap/core';
import { StarterKit } from '@tiptap/starter-kit';

/** Protocols a link may use; anything else (javascript:, data:, vbscript: …) is not a link. */
export const ALLOWED_LINK_PROTOCOLS = ['http', 'https', 'mailto'] as const;

/**
 * The document model: the one extension list that the client editor, the server's seeding and
 * rendering, and the tests all use, so what is exported is what was edited.
 *
 * Undo/redo is off here because collaborative editing replaces it with Yjs's UndoManager (via
 * the Collaboration extension), which only undoes the local user's own changes.
 */
export function documentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      link: {
        openOnClick: false,
        autolink: true,
        // No `protocols` list: linkify already knows http(s) and mailto, and registering them
        // again logs "already initialized" for every editor after the first. `isAllowedUri`
        // below is what enforces the allow-list.
        defaultProtocol: 'https',
        isAllowedUri: (url, ctx) => {
          const match = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
          if (!match) return ctx.defaultValidate(url);
          const protocol = match[1]!.toLowerCase();
          return (ALLOWED_LINK_PROTOCOLS as readonly string[]).includes(protocol) && ctx.defaultValidate(url);
        },
      },
    }),
  ];
}

// Defined apart from the extensions so that code which only needs the name (the server's content
// encoder) does not load Tiptap.
export { DOCUMENT_FRAGMENT } from './fragment.js';
