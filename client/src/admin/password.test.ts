import { describe, expect, it } from 'vitest';
import { passwordSchema } from '../../../shared/domain/index.js';
import { generatePassword } from './password.js';

describe('generatePassword', () => {
  it('makes passwords the server accepts, without look-alike characters', () => {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}$/);
      expect(password).not.toMatch(/[01lIO]/);
      expect(passwordSchema.safeParse(password).success).toBe(true);
    }
  });

  it('skips biased bytes', () => {
    let call = 0;
    // First batch: only bytes the sampler must reject; then zeros ('a').
    const password = generatePassword((bytes) => bytes.fill(call++ === 0 ? 255 : 0));
    expect(password).toBe('aaaaa-aaaaa-aaaaa-aaaaa');
  });
});
