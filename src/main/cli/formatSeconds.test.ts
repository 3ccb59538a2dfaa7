import { describe, expect, it } from 'vitest';
import { formatSeconds } from './formatSeconds';

describe('formatSeconds', () => {
  it('rounds before splitting into minutes, so a time just under a minute never reads "60s" or "1m60s"', () => {
    expect(formatSeconds(59.4)).toBe('59s');
    expect(formatSeconds(59.6)).toBe('1m00s');
    expect(formatSeconds(119.7)).toBe('2m00s');
    expect(formatSeconds(125)).toBe('2m05s');
    expect(formatSeconds(3599.5)).toBe('60m00s');
    expect(formatSeconds(null)).toBe('?');
    expect(formatSeconds(Infinity)).toBe('?');
  });
});
