/**
 * A size-bounded map that forgets the least recently used entry first. Built on `Map`'s
 * insertion order: a touch is a delete and a re-insert, eviction takes the first key. O(1) each.
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly maxSize: number) {
    if (!Number.isInteger(maxSize) || maxSize <= 0) {
      throw new RangeError(`LruMap: maxSize must be a positive whole number, got ${maxSize}`);
    }
  }

  get size(): number {
    return this.map.size;
  }

  /** Read and mark as recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** Read without changing the order. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** Insert or replace as most recently used; evicts the oldest entries past the bound. */
  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxSize) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** The least recently used entry, without touching it. */
  oldest(): [K, V] | undefined {
    const first = this.map.entries().next();
    return first.done ? undefined : first.value;
  }

  clear(): void {
    this.map.clear();
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }
}
