import { UnprocessableEntityException } from '@nestjs/common';
import { toScenarioImpact } from './scenario-impacts';

describe('a scenario impact as the body gives it', () => {
  it('refuses what is not an object (null, a number, a list) with the place it was found, never a crash', () => {
    for (const raw of [null, 3, 'siteIds', [{ siteIds: ['S'] }]]) {
      expect(() => toScenarioImpact(raw, 2, 'scenario.impacts')).toThrow(UnprocessableEntityException);
      try {
        toScenarioImpact(raw, 2, 'scenario.impacts');
      } catch (error) {
        expect((error as UnprocessableEntityException).message).toBe('scenario.impacts[2]: an impact must be an object');
      }
    }
  });

  it('reads an impact on sites, and refuses one naming two kinds', () => {
    expect(toScenarioImpact({ siteIds: ['S-1'], x: 1, days: 5 }, 0)).toMatchObject({ siteIds: ['S-1'], x: 1, days: 5 });
    expect(() => toScenarioImpact({ siteIds: ['S-1'], supplierIds: ['SUP-1'], x: 1, days: 5 }, 0)).toThrow(
      'impacts[0]: give exactly one of siteIds, supplierIds, geometry',
    );
  });
});
