import { describe, expect, it } from 'vitest';
import { CloseCode, CloseReason } from '../../../shared/protocol/index.js';
import { finalCloseMessage } from './closeMessages.js';

describe('finalCloseMessage', () => {
  it('STATUS-28: every final close code the server sends is explained in words, never as a bare number', () => {
    const finalCodes = (Object.keys(CloseReason).map(Number) as CloseCode[]).filter((code) => code >= 4400 && code < 4500);
    expect(finalCodes).toContain(CloseCode.RateLimited);
    for (const code of finalCodes) {
      for (const unsaved of [false, true]) {
        const { title, body } = finalCloseMessage(code, CloseReason[code], unsaved);
        expect(title.length).toBeGreaterThan(0);
        // The generic fallback quotes the code and reason; a known code must not need it.
        expect(body).not.toContain(String(code));
        expect(body).not.toContain(CloseReason[code]);
        if (unsaved) expect(body).toContain('kept only in this browser');
      }
    }
  });

  it('STATUS-28: an unknown code still says which one it was', () => {
    expect(finalCloseMessage(4499, 'SOMETHING_NEW', false).body).toContain('4499 SOMETHING_NEW');
  });
});
