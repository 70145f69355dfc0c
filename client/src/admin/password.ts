/** No look-alikes (0/O, 1/l/I), so a password read out over the phone survives. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A starting password for an account an admin creates: 4 groups of 5 from 56 symbols (about
 * 116 bits), from the browser's CSPRNG. The person changes it on their profile page.
 */
export function generatePassword(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const chars: string[] = [];
  // Rejection sampling: 256 is not a multiple of 56; bytes ≥ 224 would favour the first symbols.
  const limit = 256 - (256 % ALPHABET.length);
  while (chars.length < 20) {
    for (const byte of random(new Uint8Array(32))) {
      if (byte < limit && chars.length < 20) chars.push(ALPHABET[byte % ALPHABET.length]!);
    }
  }
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}
