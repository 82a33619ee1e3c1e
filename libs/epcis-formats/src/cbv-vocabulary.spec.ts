import { cbvValueProblem, expandCbvValue, expandCurie, STANDARD_PREFIXES } from './cbv-vocabulary';

describe('CBV vocabulary', () => {
  it.each([
    ['bizStep', 'shipping', 'https://ref.gs1.org/cbv/BizStep-shipping'],
    ['bizStep', 'urn:epcglobal:cbv:bizstep:shipping', 'https://ref.gs1.org/cbv/BizStep-shipping'],
    ['bizStep', 'cbv:BizStep-shipping', 'https://ref.gs1.org/cbv/BizStep-shipping'],
    ['bizStep', 'https://ref.gs1.org/cbv/BizStep-shipping', 'https://ref.gs1.org/cbv/BizStep-shipping'],
    ['bizStep', 'https://example.com/steps/blending', 'https://example.com/steps/blending'],
    ['disposition', 'in_transit', 'https://ref.gs1.org/cbv/Disp-in_transit'],
    ['bizTransactionType', 'desadv', 'https://ref.gs1.org/cbv/BTT-desadv'],
    ['sourceDestType', 'owning_party', 'https://ref.gs1.org/cbv/SDT-owning_party'],
    ['errorReason', 'urn:epcglobal:cbv:er:incorrect_data', 'https://ref.gs1.org/cbv/ER-incorrect_data'],
    ['component', 'latitude', 'https://ref.gs1.org/cbv/Comp-latitude'],
    ['measurementType', 'Temperature', 'https://gs1.org/voc/Temperature'],
    ['sensorAlertType', 'ALARM_CONDITION', 'https://gs1.org/voc/ALARM_CONDITION'],
  ] as const)('%s %s → %s', (vocabulary, value, expanded) => {
    expect(expandCbvValue(vocabulary, value)).toBe(expanded);
  });

  it('takes its word lists from the vendored schema', () => {
    expect(cbvValueProblem('bizStep', 'sensor_reporting')).toBeUndefined();
    expect(cbvValueProblem('disposition', 'needs_replacement')).toBeUndefined();
    expect(cbvValueProblem('bizStep', 'in_transit')).toMatch(/not a CBV business step/);
  });

  it('expands only known prefixes', () => {
    expect(expandCurie('gs1:Temperature', STANDARD_PREFIXES)).toBe('https://gs1.org/voc/Temperature');
    expect(expandCurie('urn:epc:id:sgtin:0614141.107346.2017', STANDARD_PREFIXES)).toBe('urn:epc:id:sgtin:0614141.107346.2017');
    expect(expandCurie('https://ns.example.com/x', { https: 'nope' })).toBe('https://ns.example.com/x');
  });
});
