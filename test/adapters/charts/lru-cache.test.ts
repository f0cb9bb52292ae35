import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../src/adapters/charts/lru-cache.js';

describe('LruCache', () => {
  it('evicts the least recently used entry, where a read counts as a use', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('forgets a deleted entry and refuses a size below one', () => {
    const cache = new LruCache<string, number>(1);
    cache.set('a', 1);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
