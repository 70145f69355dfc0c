/**
 * A deep copy of metadata: plain objects, arrays and primitives, which is all a MetaStore holds
 * (it is JSON on disk, validated on read; inserted values are copied in the same way).
 *
 * Why not `structuredClone`: it serialises and deserialises through V8's value serializer, which
 * costs ~5–10× a direct walk for the small records the hot paths return (a session, a user, a
 * membership, one document's metadata: several of them per WebSocket upgrade), and the whole file
 * is copied into a draft on every write batch. Anything that is not a plain object or array (a
 * Date, a Map, a class instance: never stored today) still goes through `structuredClone`, so the
 * result is a faithful copy either way. `undefined` properties are kept, as `structuredClone`
 * keeps them.
 */
export function copyData<T>(value: T): T {
  return copyValue(value) as T;
}

function copyValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = copyValue(value[i]);
    return copy;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyValue((value as Record<string, unknown>)[key]);
  return copy;
}
