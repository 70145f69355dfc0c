import { getSchema } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { documentExtensions } from './extensions.js';

let cached: Schema | undefined;

/** The ProseMirror schema of the document model (built once; it is immutable). */
export function documentSchema(): Schema {
  cached ??= getSchema(documentExtensions());
  return cached;
}
