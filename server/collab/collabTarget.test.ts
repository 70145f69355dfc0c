import { describe, expect, it } from 'vitest';
import { isValidId } from '../../shared/domain/ids.js';
import { parseCollabTarget } from './collabTarget.js';

describe('parseCollabTarget', () => {
  it('reads the document id and the ack flag of /collab/<id>[?ack=1]', () => {
    expect(parseCollabTarget('/collab/abc123')).toEqual({ docId: 'abc123', wantsAck: false });
    expect(parseCollabTarget('/collab/abc123?ack=1')).toEqual({ docId: 'abc123', wantsAck: true });
    expect(parseCollabTarget('/collab/abc123?x=2&ack=1')).toEqual({ docId: 'abc123', wantsAck: true });
    expect(parseCollabTarget('/collab/abc123?ack=0')).toEqual({ docId: 'abc123', wantsAck: false });
    expect(parseCollabTarget('/collab/abc123?')).toEqual({ docId: 'abc123', wantsAck: false });
  });

  it('is null outside the collaboration prefix', () => {
    expect(parseCollabTarget('/')).toBeNull();
    expect(parseCollabTarget('/api/documents')).toBeNull();
    expect(parseCollabTarget('/collab')).toBeNull();
    expect(parseCollabTarget('/Collab/abc')).toBeNull();
    expect(parseCollabTarget('?/collab/abc')).toBeNull();
  });

  it('takes the path as sent: dot segments, slashes and encoded bytes never yield a valid id', () => {
    for (const target of ['/collab/../meta', '/collab/./abc', '/collab/a/b', '/collab/a%2Fb', '/collab/%2e%2e', '/collab/', '/collab/abc#x']) {
      const parsed = parseCollabTarget(target);
      expect(parsed).not.toBeNull();
      expect(isValidId(parsed!.docId), target).toBe(false);
    }
  });
});
