/** The Y.XmlFragment that holds a document's body (Tiptap Collaboration's default field). */
export const DOCUMENT_FRAGMENT = 'default';
