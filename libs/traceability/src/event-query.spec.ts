import { decodeEventCursor, encodeEventCursor, eventFilter } from './event-query';
import { listQuery } from './epcis-event.repository';
import { TraceabilityError } from './traceability.error';

describe('EPCIS query parameters', () => {
  it('reads values into the forms events are stored in', () => {
    const filter = eventFilter({
      eventType: 'ObjectEvent,TransformationEvent',
      GE_eventTime: '2024-05-01T02:00:00+02:00',
      EQ_bizStep: 'shipping|https://ref.gs1.org/cbv/BizStep-receiving',
      EQ_readPoint: 'urn:epc:id:sgln:4012345.00001.0',
      MATCH_epc: 'urn:epc:id:sgtin:4012345.011111.1001',
      MATCH_anyEPCClass: 'urn:epc:class:lgtin:4012345.012345.LOT-1',
    });
    expect(filter).toMatchObject({
      eventTypes: ['ObjectEvent', 'TransformationEvent'],
      eventTimeFrom: Date.parse('2024-05-01T00:00:00Z'),
      bizSteps: ['https://ref.gs1.org/cbv/BizStep-shipping', 'https://ref.gs1.org/cbv/BizStep-receiving'],
      readPoints: ['https://id.gs1.org/414/4012345000016'],
      lots: [
        { ids: ['https://id.gs1.org/01/04012345111118/21/1001'], roles: ['observed', 'child'], byClass: false },
        { ids: ['https://id.gs1.org/01/04012345123456/10/LOT-1'], roles: ['observed', 'child', 'input', 'output'], byClass: true },
      ],
    });
  });

  it.each([
    [{ GE_eventTime: '2024-05-01' }, 'GE_eventTime'],
    [{ LT_eventTime: '2024-05-01T00:00:00' }, 'LT_eventTime'],
    [{ eventType: 'ShippingEvent' }, 'eventType'],
    [{ EQ_action: 'CREATE' }, 'EQ_action'],
    [{ MATCH_epc: 'https://id.gs1.org/01/04012345111119/21/1' }, 'MATCH_epc'],
    [{ EQ_bizStep: ' , ' }, 'EQ_bizStep'],
  ])('refuses %p naming %s', (params, field) => {
    expect(() => eventFilter(params)).toThrow(TraceabilityError);
    try {
      eventFilter(params);
    } catch (error) {
      expect((error as TraceabilityError).details?.errors?.[0].field).toBe(field);
    }
  });

  it('round-trips its cursor and refuses one it did not issue', () => {
    const hash = `ni:///sha-256;${'a'.repeat(64)}?ver=CBV2.0`;
    expect(decodeEventCursor(encodeEventCursor(1714557600000, hash))).toEqual({ eventTimeMs: 1714557600000, eventHash: hash });
    expect(() => decodeEventCursor('bm9wZQ')).toThrow(TraceabilityError);
    expect(decodeEventCursor(undefined)).toBeNull();
  });

  it('puts each given condition in the query, as a parameter, and starts from the lots when one is named', () => {
    const none = listQuery(eventFilter({}), false, false);
    expect(none).not.toContain('WHERE');
    const all = listQuery(eventFilter({ EQ_bizStep: 'shipping', MATCH_epc: 'urn:epc:id:sgtin:4012345.011111.1001' }), true, true);
    expect(all).toMatch(/^MATCH \(l0:Lot\) WHERE l0.id IN \$lots\[0\]\.ids/);
    expect(all).toContain('e.bizStep IN $f.bizSteps');
    expect(all).toContain('site.supplierId = $supplierId');
    expect(all).toContain('$after.eventHash');
    expect(all).not.toMatch(/shipping|4012345/);
  });
});
