import { describe, expect, it } from 'vitest';
import { SCRYPT_PARAMS, burnPasswordCheck, generatePassword, hashPassword, verifyPassword } from './passwords.js';

describe('password hashing', () => {
  it('AUTH-10: hashes are self-describing scrypt strings with a fresh 16-byte salt each time', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    const [scheme, N, r, p, salt, hash] = a.split('$');
    expect(scheme).toBe('scrypt');
    expect([Number(N), Number(r), Number(p)]).toEqual([SCRYPT_PARAMS.N, SCRYPT_PARAMS.r, SCRYPT_PARAMS.p]);
    expect(SCRYPT_PARAMS.N).toBe(2 ** 15);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
  });

  it('AUTH-10: verification accepts the password and refuses anything else, including malformed hashes', async () => {
    const stored = await hashPassword('pässwörd with ümlauts');
    expect(await verifyPassword('pässwörd with ümlauts', stored)).toBe(true);
    // NFKC: the same text typed with combining characters is the same password.
    expect(await verifyPassword('pa\u0308sswo\u0308rd with u\u0308mlauts', stored)).toBe(true);
    expect(await verifyPassword('pässwörd with umlauts', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    for (const bad of ['', 'plain', 'scrypt$1$8$1$c2FsdA$aGFzaA', 'scrypt$32768$8$1$$', `scrypt$${2 ** 24}$8$1$c2FsdGNoYXJz$aGFzaGhhc2hoYXNoaGFzaA`, 'bcrypt$x$y$z$w$v']) {
      expect(await verifyPassword('x', bad), bad).toBe(false);
    }
  });

  it('AUTH-10: the unknown-account check does the same scrypt work and always fails', async () => {
    expect(await burnPasswordCheck('anything')).toBe(false);
  });

  it('AUTH-10: generated passwords are long, from an unambiguous alphabet, and different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
      seen.add(password);
    }
    expect(seen.size).toBe(50);
  });
});
