/**
 * Order statistics over small arrays (repetitions, samples). Nearest-rank definition: the p-th
 * percentile is the smallest value with at least p% of the values at or below it, so it is
 * always a value that was actually measured.
 */

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Median; for an even count the mean of the two middle values (the usual definition). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median of the non-null entries; null if there are none. */
export function medianOf(values: ReadonlyArray<number | null | undefined>): number | null {
  return median(values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
}

/**
 * Latency histogram with logarithmic buckets: bounded memory whatever the number of samples,
 * and every percentile within 2% of the true value (the bucket's upper edge is reported, capped
 * at the exact maximum). Values are in microseconds.
 */
export class Histogram {
  /** Growth factor between bucket edges: 2% resolution. */
  static readonly BASE = 1.02;
  /** Covers 1 µs .. ~1000 s; larger values land in the last bucket (the exact max is kept). */
  static readonly BUCKETS = Math.ceil(Math.log(1e9) / Math.log(Histogram.BASE)) + 1;

  private counts = new Float64Array(Histogram.BUCKETS);
  count = 0;
  max = 0;
  min = Infinity;
  sum = 0;

  record(valueUs: number): void {
    if (!Number.isFinite(valueUs)) return;
    const v = Math.max(0, valueUs);
    const index = v < 1 ? 0 : Math.min(Histogram.BUCKETS - 1, Math.floor(Math.log(v) / Math.log(Histogram.BASE)) + 1);
    this.counts[index]! += 1;
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
    if (v < this.min) this.min = v;
  }

  /** Upper edge of the bucket holding the p-th percentile (nearest rank), capped at max. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const upper = i === 0 ? 1 : Math.pow(Histogram.BASE, i);
        return Math.min(Math.max(upper, this.min), this.max);
      }
    }
    return this.max;
  }

  mean(): number | null {
    return this.count === 0 ? null : this.sum / this.count;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
    this.min = Math.min(this.min, other.min);
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.max = 0;
    this.min = Infinity;
    this.sum = 0;
  }
}
