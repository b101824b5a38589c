import { describe, expect, it } from 'vitest';
import { otherConsoles } from '../src/facilitate/consoles';

describe('the other consoles', () => {
  it('leaves this console out once and names a key link holder', () => {
    expect(otherConsoles(['', 'Anna', 'Bo'], 'Anna', 'via key')).toEqual(['via key', 'Bo']);
    expect(otherConsoles(['', 'Anna'], null, 'via key')).toEqual(['Anna']);
    expect(otherConsoles(['Anna'], 'Anna', 'via key')).toEqual([]);
  });
});
