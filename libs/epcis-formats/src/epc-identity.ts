import { readDigitalLink } from './digital-link';
import { encodeUrnComponent, readEpcUrn } from './epc-urn';
import { EpcisFormatsError, EpcisFormatsErrorCode } from './errors';
import { canonicalDigitalLink, gs1KeyCheckDigitProblem, type Gs1Key } from './gs1-key';

/** Why an identifier could not be normalised. */
export enum EpcErrorCode {
  /** Neither an EPC URI nor a GS1 Digital Link URI. */
  NotAnIdentifier = 'EPC_NOT_AN_IDENTIFIER',
  BadSyntax = 'EPC_BAD_SYNTAX',
  BadCheckDigit = 'EPC_BAD_CHECK_DIGIT',
  /** A valid GS1 key of a kind this normaliser does not cover (GRAI, GIAI, ITIP…). */
  UnsupportedKey = 'EPC_UNSUPPORTED_KEY',
}

/** Outcome of reading any string as a GS1 identifier, in URN or Digital Link form. */
export type Gs1IdentifierReading =
  | { readonly status: 'gs1'; readonly key: Gs1Key }
  /** An EPC URI of a scheme that is not a GS1 key (gid, usdod, adi, bic, imovn). */
  | { readonly status: 'other-epc' }
  | { readonly status: 'invalid'; readonly code: EpcErrorCode.BadSyntax | EpcErrorCode.BadCheckDigit; readonly reason: string }
  | { readonly status: 'not-gs1' };

/**
 * Reads an EPC URI or a GS1 Digital Link URI. An EPC URI carries no check
 * digit (it is computed), so `verifyCheckDigit` only concerns Digital Links.
 */
export function readGs1Identifier(uri: string, verifyCheckDigit: boolean): Gs1IdentifierReading {
  const urn = readEpcUrn(uri);
  switch (urn.status) {
    case 'gs1':
      return { status: 'gs1', key: urn.key };
    case 'other-epc':
      return { status: 'other-epc' };
    case 'invalid':
      return { status: 'invalid', code: EpcErrorCode.BadSyntax, reason: urn.reason };
    case 'not-urn':
      break;
  }
  const dl = readDigitalLink(uri);
  if (dl.status === 'not-dl') return { status: 'not-gs1' };
  if (dl.status === 'invalid') return { status: 'invalid', code: EpcErrorCode.BadSyntax, reason: dl.reason };
  const checkProblem = verifyCheckDigit ? gs1KeyCheckDigitProblem(dl.key) : undefined;
  if (checkProblem !== undefined) return { status: 'invalid', code: EpcErrorCode.BadCheckDigit, reason: checkProblem };
  return { status: 'gs1', key: dl.key };
}

/** The kinds of identity the traceability graph keeps. */
export type EpcKind =
  /** Instance: GTIN + serial. */
  | 'sgtin'
  /** Class: GTIN + lot. */
  | 'lgtin'
  /** Class: a GTIN alone (EPC pattern `urn:epc:idpat:sgtin:….*`). */
  | 'gtin'
  | 'sscc'
  /** A location: GLN with an optional extension. */
  | 'sgln'
  /** A party GLN. */
  | 'pgln';

export interface NormalisedEpc {
  readonly kind: EpcKind;
  /** Constrained canonical GS1 Digital Link URI on https://id.gs1.org. */
  readonly canonical: string;
  /** 14 digits. */
  readonly gtin?: string;
  readonly serial?: string;
  readonly lot?: string;
  /** 18 digits. */
  readonly sscc?: string;
  /** 13 digits. */
  readonly gln?: string;
  readonly extension?: string;
}

export interface EpcNormalisationFailure {
  readonly ok: false;
  readonly code: EpcErrorCode;
  readonly reason: string;
}

export type EpcNormalisation = ({ readonly ok: true } & NormalisedEpc) | EpcNormalisationFailure;

const fail = (code: EpcErrorCode, reason: string): EpcNormalisationFailure => ({ ok: false, code, reason });

function identityOf(key: Gs1Key): Omit<NormalisedEpc, 'canonical'> | undefined {
  const q = key.qualifiers;
  switch (key.primary) {
    case '01':
      if (q['21'] !== undefined) return { kind: 'sgtin', gtin: key.value, serial: q['21'] };
      if (q['235'] !== undefined) return undefined;
      if (q['10'] !== undefined) return { kind: 'lgtin', gtin: key.value, lot: q['10'] };
      return { kind: 'gtin', gtin: key.value };
    case '00':
      return { kind: 'sscc', sscc: key.value };
    case '414':
      return q['254'] === undefined ? { kind: 'sgln', gln: key.value } : { kind: 'sgln', gln: key.value, extension: q['254'] };
    case '417':
      return { kind: 'pgln', gln: key.value };
    default:
      return undefined;
  }
}

/**
 * One canonical form for an SGTIN, LGTIN, GTIN, SSCC, SGLN or PGLN given as an
 * EPC URI (`urn:epc:id:sgtin:…`, `urn:epc:class:lgtin:…`, `urn:epc:idpat:sgtin:….*`,
 * `urn:epc:id:sscc:…`, `urn:epc:id:sgln:…`, `urn:epc:id:pgln:…`) or a GS1 Digital
 * Link URI on any domain. The canonical form is the constrained canonical
 * Digital Link on https://id.gs1.org (the form the CBV 2.0 event hash uses):
 * it needs no company prefix length, so every input maps to it. Digital Link
 * check digits are verified; GTIN-8/12/13 are widened to 14 digits.
 */
export function normaliseEpc(id: string): EpcNormalisation {
  const reading = readGs1Identifier(id, true);
  switch (reading.status) {
    case 'not-gs1':
      return fail(EpcErrorCode.NotAnIdentifier, `'${id}' is neither an EPC URI nor a GS1 Digital Link URI`);
    case 'other-epc':
      return fail(EpcErrorCode.UnsupportedKey, `'${id}' is an EPC of a scheme that is not a GS1 key`);
    case 'invalid':
      return fail(reading.code, reading.reason);
    case 'gs1': {
      const identity = identityOf(reading.key);
      if (identity === undefined) {
        return fail(EpcErrorCode.UnsupportedKey, `'${id}' is a GS1 key (AI ${reading.key.primary}) outside sgtin, lgtin, gtin, sscc, sgln, pgln`);
      }
      return { ok: true, ...identity, canonical: canonicalDigitalLink(reading.key) };
    }
  }
}

const MIN_COMPANY_PREFIX = 6;
const MAX_COMPANY_PREFIX = 12;

/**
 * The EPC URI of a normalised identity. The URI splits the key at the end of
 * the GS1 Company Prefix, which a Digital Link does not carry: the caller
 * supplies its length (6 to 12 digits), e.g. from its own master data.
 */
export function toEpcUrn(epc: NormalisedEpc, companyPrefixLength: number): string {
  const cpl = companyPrefixLength;
  if (!Number.isInteger(cpl) || cpl < MIN_COMPANY_PREFIX || cpl > MAX_COMPANY_PREFIX) {
    throw new EpcisFormatsError(EpcisFormatsErrorCode.BadCompanyPrefixLength, `a GS1 Company Prefix has 6 to 12 digits, got ${cpl}`);
  }
  const missing = (field: string): never => {
    throw new EpcisFormatsError(EpcisFormatsErrorCode.NotConvertible, `a ${epc.kind} needs its ${field}`);
  };
  // GTIN-14 and SSCC start with an indicator / extension digit that the URI moves behind the prefix.
  const splitIndicated = (digits: string): string => `${digits.slice(1, 1 + cpl)}.${digits.slice(0, 1)}${digits.slice(1 + cpl, -1)}`;
  const splitPlain = (gln: string): string => `${gln.slice(0, cpl)}.${gln.slice(cpl, -1)}`;
  switch (epc.kind) {
    case 'sgtin':
      return `urn:epc:id:sgtin:${splitIndicated(epc.gtin ?? missing('gtin'))}.${encodeUrnComponent(epc.serial ?? missing('serial'))}`;
    case 'lgtin':
      return `urn:epc:class:lgtin:${splitIndicated(epc.gtin ?? missing('gtin'))}.${encodeUrnComponent(epc.lot ?? missing('lot'))}`;
    case 'gtin':
      return `urn:epc:idpat:sgtin:${splitIndicated(epc.gtin ?? missing('gtin'))}.*`;
    case 'sscc':
      return `urn:epc:id:sscc:${splitIndicated(epc.sscc ?? missing('sscc'))}`;
    case 'sgln':
      return `urn:epc:id:sgln:${splitPlain(epc.gln ?? missing('gln'))}.${encodeUrnComponent(epc.extension ?? '0')}`;
    case 'pgln':
      return `urn:epc:id:pgln:${splitPlain(epc.gln ?? missing('gln'))}`;
  }
}

/**
 * The constrained canonical Digital Link of any GS1 key in URN or Digital Link
 * form, check digits not verified (the event hash normalises what it is given
 * and never refuses); undefined when the string is not a GS1 identifier.
 */
export function canonicalGs1Uri(uri: string): string | undefined {
  const reading = readGs1Identifier(uri, false);
  return reading.status === 'gs1' ? canonicalDigitalLink(reading.key) : undefined;
}
