import { category, DEFAULT_THRESHOLD, priority } from '../../server/stakeholders/stakeholder-rules';

describe('priority', () => {
  it('is önem × etki, from 1 to 25', () => {
    expect(priority(1, 1)).toBe(1);
    expect(priority(3, 4)).toBe(12);
    expect(priority(5, 5)).toBe(25);
  });
});

describe('category', () => {
  it('cuts the 2×2 matrix at 3 by default, 3 and above counting as high', () => {
    expect(DEFAULT_THRESHOLD).toBe(3);
    expect(category(2, 2)).toBe('izle');
    expect(category(2, 3)).toBe('bilgilendir');
    expect(category(3, 2)).toBe('cikarlarini_gozet');
    expect(category(3, 3)).toBe('birlikte_calis');
    expect(category(1, 5)).toBe('bilgilendir');
    expect(category(5, 1)).toBe('cikarlarini_gozet');
    expect(category(5, 5)).toBe('birlikte_calis');
  });

  it('moves the boundaries with the threshold', () => {
    expect(category(3, 3, 4)).toBe('izle');
    expect(category(4, 3, 4)).toBe('cikarlarini_gozet');
    expect(category(3, 4, 4)).toBe('bilgilendir');
    expect(category(4, 4, 4)).toBe('birlikte_calis');
    expect(category(2, 2, 2)).toBe('birlikte_calis');
    expect(category(4, 4, 5)).toBe('izle');
  });
});
