import { BacktestErrorCode } from './backtest.error';
import { resolveRequest } from './backtest-request';

const limits = { BACKTEST_MAX_RANGE_DAYS: 31, BACKTEST_MAX_DOCUMENTS: 2 };
const codeOf = (body: object) => {
  try {
    resolveRequest(body as never, limits);
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('backtest requests', () => {
  it('normalises a good request', () => {
    expect(resolveRequest({ from: '2023-10-01T00:00:00Z', to: '2023-10-31T00:00:00+02:00', source: 'history' }, limits)).toEqual({
      from: '2023-10-01T00:00:00.000Z',
      to: '2023-10-30T22:00:00.000Z',
      source: 'history',
      documents: [],
    });
    expect(
      resolveRequest({ from: '2023-10-01T00:00:00Z', to: '2023-10-02T00:00:00Z', documents: [{ format: 'cap', content: '<alert/>', name: 'a.xml' }] }, limits)
        .documents,
    ).toEqual([{ format: 'cap', name: 'a.xml', bytes: 8, receivedAt: null }]);
  });

  it.each([
    ['a date without a time', { from: '2023-10-01', to: '2023-10-02T00:00:00Z', source: 'history' }, BacktestErrorCode.InvalidRange],
    ['not a date', { from: 'yesterday', to: '2023-10-02T00:00:00Z', source: 'history' }, BacktestErrorCode.InvalidRange],
    ['to before from', { from: '2023-10-02T00:00:00Z', to: '2023-10-01T00:00:00Z', source: 'history' }, BacktestErrorCode.InvalidRange],
    ['an empty range', { from: '2023-10-02T00:00:00Z', to: '2023-10-02T00:00:00Z', source: 'history' }, BacktestErrorCode.InvalidRange],
    ['a range too long', { from: '2023-10-01T00:00:00Z', to: '2023-11-02T00:00:00Z', source: 'history' }, BacktestErrorCode.InvalidRange],
    ['neither source nor documents', { from: '2023-10-01T00:00:00Z', to: '2023-10-02T00:00:00Z' }, BacktestErrorCode.InvalidRequest],
    [
      'both source and documents',
      { from: '2023-10-01T00:00:00Z', to: '2023-10-02T00:00:00Z', source: 'history', documents: [{ format: 'cap', content: 'x' }] },
      BacktestErrorCode.InvalidRequest,
    ],
    ['no documents', { from: '2023-10-01T00:00:00Z', to: '2023-10-02T00:00:00Z', documents: [] }, BacktestErrorCode.InvalidRequest],
    [
      'too many documents',
      { from: '2023-10-01T00:00:00Z', to: '2023-10-02T00:00:00Z', documents: [1, 2, 3].map(() => ({ format: 'cap', content: 'x' })) },
      BacktestErrorCode.InvalidRequest,
    ],
    [
      'a bad receivedAt',
      { from: '2023-10-01T00:00:00Z', to: '2023-10-02T00:00:00Z', documents: [{ format: 'cap', content: 'x', receivedAt: 'soon' }] },
      BacktestErrorCode.InvalidRequest,
    ],
    [
      'a document over its format limit',
      { from: '2023-10-01T00:00:00Z', to: '2023-10-02T00:00:00Z', documents: [{ format: 'cap', content: 'x'.repeat(10 * 1024 * 1024 + 1) }] },
      BacktestErrorCode.DocumentTooLarge,
    ],
  ])('refuses %s', (_what, body, code) => {
    expect(codeOf(body)).toBe(code);
  });
});
