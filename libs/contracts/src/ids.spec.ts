import { validateSync } from 'class-validator';
import { ENTITY_ID_PATTERN, ENTITY_ID_RULE, IsEntityId, isEntityId, MAX_ENTITY_ID_LENGTH } from './ids';

class Target {
  @IsEntityId()
  id: unknown;

  @IsEntityId({ each: true })
  ids: unknown[] = [];
}

const errorsFor = (id: unknown, ids: unknown[] = []) => {
  const t = new Target();
  t.id = id;
  t.ids = ids;
  return validateSync(t).flatMap((e) => Object.values(e.constraints ?? {}));
};

describe('ENTITY_ID_PATTERN', () => {
  it.each(['SUP-1', 'SITE-9', 'a', '7', 'usgs:us7000abcd', 'cap:urn:oid:2.49.0.1.840.0/x_y', 'Ветер-1', 'météo', '工場3', 'a/../x'])('accepts %s', (id) => {
    expect(ENTITY_ID_PATTERN.test(id)).toBe(true);
    expect(isEntityId(id)).toBe(true);
  });

  it.each(['', '../x', '/etc/passwd', '.hidden', '-x', '_x', ':x', 'a b', "a' OR 1=1", 'a\nb', 'a\u0000', 'x@y', 'x#y', 'x?y', 'x\\y', 'a%2F'])(
    'refuses %j',
    (id) => {
      expect(ENTITY_ID_PATTERN.test(id)).toBe(false);
      expect(isEntityId(id)).toBe(false);
    },
  );

  it('is the same rule the import, the API and the feeds always applied', () => {
    expect(ENTITY_ID_PATTERN.source).toBe(/^[\p{L}\p{N}][\p{L}\p{N}._:\-/]*$/u.source);
    expect(ENTITY_ID_PATTERN.flags).toBe('u');
  });

  it('isEntityId caps the length', () => {
    expect(isEntityId('a'.repeat(MAX_ENTITY_ID_LENGTH))).toBe(true);
    expect(isEntityId('a'.repeat(MAX_ENTITY_ID_LENGTH + 1))).toBe(false);
  });
});

describe('IsEntityId', () => {
  it('passes a valid id and each valid entry', () => {
    expect(errorsFor('SKU-1', ['SKU-2', 'Ветер-1'])).toEqual([]);
  });

  it('names the property in its message', () => {
    expect(errorsFor('../x')).toEqual([`id ${ENTITY_ID_RULE}`]);
    expect(errorsFor('')).toEqual([`id ${ENTITY_ID_RULE}`]);
    expect(errorsFor(7)).toEqual([`id ${ENTITY_ID_RULE}`]);
  });

  it('checks every entry of a list', () => {
    expect(errorsFor('ok', ['fine', '../x'])).toEqual([`ids ${ENTITY_ID_RULE}`]);
  });

  it('keeps a message given by the caller', () => {
    class Custom {
      @IsEntityId({ message: 'ref is not an id' })
      ref = '../x';
    }
    expect(validateSync(new Custom()).flatMap((e) => Object.values(e.constraints ?? {}))).toEqual(['ref is not an id']);
  });
});
