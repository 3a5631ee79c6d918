/**
 * Composite keys, one string per distinct key. The fold builds the same few
 * thousand keys for every event of a batch (a payer, a month, an HCPCS code
 * under each family and dimension); built anew each time, every key was a
 * fresh string to allocate, flatten and hash on its way into the batch's
 * maps. Interned, a key is three lookups by strings whose hashes V8 keeps,
 * and the batch's maps see the same string again.
 *
 * Bounded: after `capacity` distinct keys it starts over (a provider group
 * or a diagnosis code dimension can hold many values over a long run). A
 * key built after that is equal to the one before, only not the same string.
 */
export class InternedKeys {
  private readonly keys = new Map<string, Map<string, Map<string, string>>>();
  private size = 0;

  constructor(
    private readonly join: (first: string, second: string, third: string) => string,
    private readonly capacity: number,
  ) {}

  of(first: string, second: string, third: string): string {
    let bySecond = this.keys.get(first);
    if (bySecond === undefined) {
      bySecond = new Map();
      this.keys.set(first, bySecond);
    }
    let byThird = bySecond.get(second);
    if (byThird === undefined) {
      byThird = new Map();
      bySecond.set(second, byThird);
    }
    const known = byThird.get(third);
    if (known !== undefined) return known;
    if (this.size >= this.capacity) {
      this.keys.clear();
      this.size = 0;
      return this.of(first, second, third);
    }
    const key = this.join(first, second, third);
    byThird.set(third, key);
    this.size += 1;
    return key;
  }
}
