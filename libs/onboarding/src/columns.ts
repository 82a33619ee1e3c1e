import { foldForMatch } from '@tiersight/place-engine';
import { OnboardingError, OnboardingErrorCode, type OnboardingProblem } from './onboarding.error';

/** The fields of a supplier list the review reads. */
export const LIST_FIELDS = ['name', 'address', 'country', 'city', 'postalCode', 'admin1', 'sector', 'parts', 'supplierRef'] as const;
export type ListField = (typeof LIST_FIELDS)[number];

/** A field → header mapping given with the upload (headers as the file writes them). */
export type ExplicitMapping = Partial<Record<ListField, string>>;

/**
 * Header names per field, in English, Spanish, French, German, Italian,
 * Portuguese, Vietnamese, Chinese and Japanese, compared folded (case, accents
 * and punctuation out). A header equal to one wins over one that contains one.
 */
export const HEADER_SYNONYMS: Record<ListField, readonly string[]> = {
  name: synonyms(
    'name|facility name|facility|factory name|factory|supplier name|supplier|company name|company|vendor name|vendor|site name|site|plant name|plant|' +
      'manufacturer|nombre|nombre de la fabrica|nombre del proveedor|razon social|proveedor|fabrica|empresa|nom|nom de l’usine|raison sociale|' +
      'fournisseur|usine|entreprise|firmenname|firma|lieferant|werk|fabrik|nome|fornitore|ragione sociale|fabbrica|azienda|fornecedor|' +
      'nome da fabrica|ten nha may|ten cong ty|nha cung cap|名称|工厂名称|工厂|供应商|供应商名称|公司名称|工場名|会社名|仕入先',
  ),
  address: synonyms(
    'address|facility address|factory address|site address|street address|full address|address line 1|address 1|street|direccion|domicilio|' +
      'adresse|anschrift|strasse|indirizzo|endereco|morada|dia chi|地址|工厂地址|住所',
  ),
  country: synonyms('country|country name|country code|country region|nation|pais|pays|land|staat|paese|nazione|quoc gia|国家|国家 地区|国|国名'),
  city: synonyms('city|town|municipality|ciudad|localidad|municipio|ville|commune|stadt|ort|citta|comune|cidade|thanh pho|城市|市|市区町村'),
  postalCode: synonyms(
    'postal code|postcode|post code|zip|zip code|zipcode|postal|codigo postal|cp|code postal|plz|postleitzahl|cap|cep|ma buu chinh|邮编|邮政编码|郵便番号',
  ),
  admin1: synonyms(
    'state|province|region|state province|state or province|prefecture|estado|provincia|departamento|region administrativa|bundesland|regione|' +
      'tinh|省|省份|州|都道府県',
  ),
  sector: synonyms('sector|industry|sector product type|product type|category|sector industria|secteur|branche|settore|setor|nganh|行业|業種'),
  parts: synonyms(
    'parts|part|products|product|components|component|items|commodity|commodities|materials|productos|piezas|produits|pieces|produkte|teile|' +
      'prodotti|produtos|san pham|产品|零件|部品|製品',
  ),
  supplierRef: synonyms(
    'supplier id|supplier code|supplier number|supplier no|supplier ref|supplier reference|vendor id|vendor code|vendor number|vendor no|id|ref|' +
      'reference|code|codigo proveedor|id proveedor|code fournisseur|reference fournisseur|lieferantennummer|codice fornitore|codigo fornecedor|' +
      'ma nha cung cap|供应商编号|供应商代码|仕入先コード',
  ),
};

/**
 * Name headers that name a facility rather than a company. In a supplier's
 * list of its own sites (`facilityNameFirst`), the first column with one of
 * these headers is the name, so a "supplier" or "company" column beside it is
 * left unmapped instead of naming every site after the supplier.
 */
export const FACILITY_NAME_HEADERS: readonly string[] = synonyms(
  'facility name|facility|site name|site|plant name|plant|factory name|factory|nombre de la fabrica|fabrica|nom de l’usine|usine|werk|fabrik|' +
    'fabbrica|nome da fabrica|ten nha may|工厂名称|工厂|工場名',
);

/** How the header row is read besides an explicit mapping. */
export interface MappingOptions {
  /** a facility column (FACILITY_NAME_HEADERS) wins the name over a supplier or company column */
  facilityNameFirst?: boolean;
}

/** The column each field is read from (index into the header row), and the headers nothing reads. */
export interface ColumnMapping {
  columns: Partial<Record<ListField, number>>;
  /** headers as written, field → header, for the review */
  headers: Partial<Record<ListField, string>>;
  unmapped: string[];
}

function synonyms(list: string): readonly string[] {
  return list.split('|');
}

const fold = (header: string) => foldForMatch(header).replace(/\s+/g, ' ').trim();

const FACILITY_NAMES = new Set(FACILITY_NAME_HEADERS.map(fold));

const SYNONYMS = new Map<string, ListField>();
for (const field of LIST_FIELDS) for (const synonym of HEADER_SYNONYMS[field]) SYNONYMS.set(fold(synonym), field);

/**
 * Maps the header row to the list fields: the explicit mapping first (every
 * header it names must exist), then each remaining header equal to a synonym,
 * then each containing one as whole words (the longest synonym wins; "Facility
 * name (English)" is the name). A field is read from one column: the first
 * that claims it. Throws InvalidMapping for a bad explicit mapping and
 * UnreadableFile when no column holds the facility name.
 */
export function mapColumns(headerRow: readonly string[], explicit: ExplicitMapping = {}, options: MappingOptions = {}): ColumnMapping {
  const columns: Partial<Record<ListField, number>> = {};
  const problems: OnboardingProblem[] = [];
  const taken = new Set<number>();
  const folded = headerRow.map((h) => fold(h ?? ''));
  for (const [field, header] of Object.entries(explicit) as [ListField, string][]) {
    const index = folded.indexOf(fold(header));
    if (index < 0) problems.push({ field, message: `${field}: the file has no column "${header}" (headers: ${headerRow.join(', ')})` });
    else if (taken.has(index)) problems.push({ field, message: `${field}: column "${header}" is already mapped to another field` });
    else {
      columns[field] = index;
      taken.add(index);
    }
  }
  if (problems.length > 0) throw new OnboardingError(OnboardingErrorCode.InvalidMapping, problems.map((p) => p.message).join('; '), { errors: problems });
  const claim = (field: ListField | undefined, index: number) => {
    if (field === undefined || columns[field] !== undefined || taken.has(index)) return;
    columns[field] = index;
    taken.add(index);
  };
  if (options.facilityNameFirst) {
    const facility = folded.findIndex((header) => FACILITY_NAMES.has(header));
    if (facility >= 0) claim('name', facility);
  }
  folded.forEach((header, index) => claim(SYNONYMS.get(header), index));
  // Then headers that contain a synonym, the longest match first ("Facility name (English)" before "Facility ID").
  const contained = folded.flatMap((header, index) => {
    const best = containedSynonym(header);
    return best ? [{ ...best, index }] : [];
  });
  contained.sort((x, y) => y.length - x.length || x.index - y.index).forEach((c) => claim(c.field, c.index));
  if (columns.name === undefined) {
    throw new OnboardingError(
      OnboardingErrorCode.UnreadableFile,
      `no column holds the facility name (headers: ${headerRow.join(', ') || 'none'}); name it "name" or give a mapping such as {"name": "<header>"}`,
      { errors: [{ field: 'name', message: 'no name column' }] },
    );
  }
  const headers: Partial<Record<ListField, string>> = {};
  for (const [field, index] of Object.entries(columns) as [ListField, number][]) headers[field] = headerRow[index];
  return { columns, headers, unmapped: headerRow.filter((h, i) => !taken.has(i) && (h ?? '').trim() !== '') };
}

/** The longest synonym the header contains as whole words, and its field (synonyms under four characters need an exact header). */
function containedSynonym(header: string): { field: ListField; length: number } | undefined {
  let best: { field: ListField; length: number } | undefined;
  const padded = ` ${header} `;
  for (const [synonym, field] of SYNONYMS) {
    if (synonym.length < 4 || !padded.includes(` ${synonym} `)) continue;
    if (!best || synonym.length > best.length) best = { field, length: synonym.length };
  }
  return best;
}

/** Reads an explicit mapping sent as JSON text; refuses unknown fields and non-string headers. */
export function parseMapping(json: string | undefined): ExplicitMapping {
  if (json === undefined || json.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new OnboardingError(OnboardingErrorCode.InvalidMapping, 'mapping must be a JSON object from field to header, e.g. {"name": "Facility"}');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new OnboardingError(OnboardingErrorCode.InvalidMapping, 'mapping must be a JSON object from field to header, e.g. {"name": "Facility"}');
  }
  const problems: OnboardingProblem[] = [];
  const mapping: ExplicitMapping = {};
  for (const [field, header] of Object.entries(raw)) {
    if (!(LIST_FIELDS as readonly string[]).includes(field)) problems.push({ field, message: `${field}: unknown field; expected ${LIST_FIELDS.join(', ')}` });
    else if (typeof header !== 'string' || header.trim() === '' || header.length > 200)
      problems.push({ field, message: `${field}: the header must be a non-empty string` });
    else mapping[field as ListField] = header;
  }
  if (problems.length > 0) throw new OnboardingError(OnboardingErrorCode.InvalidMapping, problems.map((p) => p.message).join('; '), { errors: problems });
  return mapping;
}
