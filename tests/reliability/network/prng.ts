/**
 * A small seeded generator (mulberry32) so every random decision of a reliability run is
 * reproducible from one printed number. Not cryptographic; 32 bits of state are plenty to
 * explore schedules, and the code is short enough to read at a glance.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** A random element; throws on an empty array, which is always a bug in the caller. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick() from an empty array');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Picks a key by relative weight, e.g. `{ edit: 3, deliver: 5 }`; zero weights never win. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      if (weight <= 0) continue;
      roll -= weight;
      if (roll < 0) return key;
    }
    const last = entries.filter(([, weight]) => weight > 0).at(-1);
    if (!last) throw new Error('weighted() with no positive weight');
    return last[0];
  }

  /** Lowercase letters, for text edits. */
  word(minLength: number, maxLength: number): string {
    let text = '';
    const length = this.int(minLength, maxLength);
    for (let i = 0; i < length; i++) text += String.fromCharCode(97 + this.int(0, 25));
    return text;
  }
}
