import { generateNetwork } from '@tiersight/demo-network';
import { checkReferences, checkShapes } from '@tiersight/graph';

/**
 * The generated networks against the import's own validation. Here rather than
 * in libs/demo-network, whose layering allows only @tiersight/contracts.
 */
describe('demo networks and the import validation of @tiersight/graph', () => {
  it.each(['demo', 'small'] as const)('%s passes the import validation into an empty graph', (size) => {
    const { rows, errors } = checkShapes(generateNetwork({ size, seed: 42 }));
    expect(errors).toEqual([]);
    const empty = { suppliers: new Set<string>(), sites: new Set<string>(), skus: new Set<string>(), parts: new Set<string>(), incoming: [] };
    expect(checkReferences(rows, empty)).toEqual([]);
  });
});
