import { figureDifferences } from './summary-differences';

describe('figureDifferences', () => {
  it('names each figure the API served differently from the generator, and only those', () => {
    expect(
      figureDifferences([
        ['claims', 150_000, 150_000],
        ['paidAmountCents', 12_345, 12_346],
      ]),
    ).toEqual(['paidAmountCents: served 12345, expected 12346']);
  });

  it('is empty when every figure agrees', () => {
    expect(figureDifferences([['claims', 0, 0]])).toEqual([]);
  });
});
