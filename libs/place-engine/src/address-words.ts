import { isHan } from './gazetteer';
import { words } from './text';

/** What the words around a name say it names. */
export type NameContext = 'street' | 'city' | 'town' | 'region' | null;

/** An address as words, and for each word whether it begins a part of the address. */
export interface AddressWords {
  tokens: string[];
  startsPart: boolean[];
}

/** Words that mark the preceding name as a street, so it is not read as a town. */
const STREET_AFTER = new Set([
  'road',
  'rd',
  'street',
  'st',
  'str',
  'strasse',
  'stasse',
  'lu',
  'avenue',
  'ave',
  'av',
  'lane',
  'ln',
  'highway',
  'hwy',
  'boulevard',
  'blvd',
  'dadao',
  'jie',
  'xiang',
  'way',
  'drive',
  'dr',
  'alley',
]);
/** Words that mark the following name as a street. */
const STREET_BEFORE = new Set([
  'jalan',
  'jl',
  'jln',
  'calle',
  'avenida',
  'avda',
  'av',
  'rue',
  'via',
  'duong',
  'pho',
  'rua',
  'carrera',
  'carretera',
  'ctra',
  'soi',
  'thanon',
  'st',
  'no',
  'blvd',
  'bd',
  'boulevard',
  'ul',
  'ulica',
  'strada',
  'str',
  'calea',
  'km',
]);
/** Words between a street's name and the street word: directions and ordinals ("Chaoyang West Road", "Huanghe 2nd Road"). */
const STREET_QUALIFIERS = new Set(['east', 'west', 'north', 'south', 'middle', 'central', 'dong', 'xi', 'nan', 'bei', 'zhong', 'nd', 'th']);
/** Short words between a street word and the street's name ("Carretera a Santa Ana", "Rue de la Paix"). */
const CONNECTORS = new Set(['a', 'de', 'del', 'la', 'le', 'to', 'el', 'do', 'da', 'di']);
/** Where a name in Chinese script ends a word: the unit character that ends it says what it names (see splitHanUnits). */
const HAN_UNIT_END = /(?<=[省市县縣区區镇鎮乡鄉村路号號]|街道|街(?!道))/u;
const HAN_CONTEXT: Record<string, NameContext> = {
  市: 'city',
  县: 'city',
  縣: 'city',
  区: 'city',
  區: 'city',
  镇: 'town',
  鎮: 'town',
  乡: 'town',
  鄉: 'town',
  村: 'town',
  省: 'region',
  路: 'street',
  街: 'street',
  号: 'street',
  號: 'street',
};
/** Words that mark the preceding name as a city, county or district: a unit the gazetteer usually has. */
const CITY_AFTER = new Set(['city', 'shi', 'county', 'xian', 'district', 'qu', 'municipality', 'thana', 'upazila', 'prefecture', 'regency', 'kabupaten']);
/** Words that mark the preceding name as a town or village: often too small for the gazetteer, so a match may be a namesake. */
const TOWN_AFTER = new Set(['town', 'zhen', 'village', 'cun', 'commune', 'ward', 'hamlet', 'township', 'cho', 'machi']);
/** Words that mark the preceding name as a province or state. */
const REGION_AFTER = new Set(['province', 'prov', 'sheng', 'state', 'division', 'region', 'department', 'departamento', 'provinsi']);
/**
 * Words of addresses that are never the name of the facility's town even where a place of that
 * name exists somewhere ("Industry", California; "Commerce", Texas).
 */
export const GENERIC = new Set(
  (
    'industrial industry industries industial zone park road street building bldg floor block village town city district county province state ' +
    'export processing development economic technology technological hi tech new old east west north south central centre center garden plaza tower room unit lot ' +
    'plot sector area estate factory company limited group avenue highway bazar bazaar market union main cross lane near opposite opp behind beside ' +
    'house complex office shed warehouse level suite apt hall gate phase stage office industrial estate free trade economy mill mills hub point port ' +
    'commerce commercial science scientific high upper lower middle great little big first second third national international zona parque ' +
    'kawasan desa kelurahan kecamatan kabupaten kota jalan gedung lantai ward commune phuong xa huyen quan tinh thanh pho khu cong nghiep ap thon ' +
    'cun zhen xiang lu hao dong xi nan bei zhong shang xia'
  ).split(' '),
);

/**
 * The address's words, and for each whether it begins a part of the address: after a comma or a
 * semicolon, or after a full stop and a space unless the stop ends an abbreviation that begins a
 * street's name ("555 Panyu Rd. Panyu" is two parts, "Blvd. Mihai Viteazu" one).
 */
export function addressWords(address: string): AddressWords {
  const tokens: string[] = [];
  const startsPart: boolean[] = [];
  const parts: string[] = [];
  for (const commaPart of address.split(/[,;]/)) {
    let current = '';
    for (const piece of commaPart.split(/(?<=\.)\s+/)) {
      const last = words(current).pop() ?? '';
      if (current === '' || STREET_BEFORE.has(last)) current = current === '' ? piece : `${current} ${piece}`;
      else {
        parts.push(current);
        current = piece;
      }
    }
    parts.push(current);
  }
  for (const part of parts) {
    const partWords = words(part).flatMap(splitHanUnits);
    partWords.forEach((word, i) => {
      tokens.push(word);
      startsPart.push(i === 0);
    });
  }
  return { tokens, startsPart };
}

/**
 * Chinese script is not spaced: a run such as 广东省东莞市虎门镇 is cut after each character that
 * ends a unit's name (省 province, 市 city, 县 county, 区 district, 镇 town, 乡 township, 街道
 * subdistrict, 村 village, 路 road, 街 street, 号 number), so each name is a word of its own.
 */
function splitHanUnits(word: string): string[] {
  return isHan(word) ? word.split(HAN_UNIT_END).filter((w) => w !== '') : [word];
}

/**
 * What the words around a name say it is, within its part of the address (a word after a comma
 * says nothing of the name before it). A street word may follow after a direction or a number
 * ("Chaoyang West Road", "Huanghe 2 Road").
 */
export function contextOf(tokens: string[], startsPart: readonly boolean[], start: number, end: number): NameContext {
  const last = tokens[end - 1] ?? '';
  if (isHan(last)) return last.endsWith('街道') ? 'town' : (HAN_CONTEXT[last[last.length - 1]] ?? null);
  const inPart = (i: number) => i >= 0 && i < tokens.length && (i < start ? !startsPart[i + 1] : !startsPart[i]);
  const after = inPart(end) ? tokens[end] : '';
  let before = inPart(start - 1) ? tokens[start - 1] : '';
  for (let i = start - 2; CONNECTORS.has(before) && inPart(i) && start - i <= 3; i--) before = tokens[i];
  if (CITY_AFTER.has(after)) return 'city';
  if (TOWN_AFTER.has(after)) return 'town';
  if (REGION_AFTER.has(after)) return 'region';
  let next = end;
  while (next < end + 2 && inPart(next) && (STREET_QUALIFIERS.has(tokens[next]) || /^\d+$/.test(tokens[next]))) next++;
  const streetWord = inPart(next) ? tokens[next] : '';
  if (STREET_AFTER.has(after) || STREET_AFTER.has(streetWord) || STREET_BEFORE.has(before)) return 'street';
  return null;
}
