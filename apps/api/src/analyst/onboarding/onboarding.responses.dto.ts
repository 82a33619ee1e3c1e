import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '../../openapi/page.dto';

const STATUSES = ['queued', 'running', 'ready', 'confirmed', 'failed'];

export class OnboardingProgress {
  @ApiProperty({ type: 'integer', description: 'rows placed' }) done: number;
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ description: 'done / total' }) fraction: number;
}

export class OnboardingLinks {
  @ApiProperty() self: string;
  @ApiProperty() decisions: string;
  @ApiProperty() confirm: string;
}

export class OnboardingFile {
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: 'integer' }) bytes: number;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format: string;
  @ApiProperty({ type: String, nullable: true, enum: ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'], description: 'how a CSV was decoded' })
  encoding: string | null;
  @ApiProperty({ type: String, nullable: true }) delimiter: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the XLSX sheet read (the first)' }) sheet: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'field → the header it was read from' })
  columns: Record<string, string>;
  @ApiProperty({ type: [String], description: 'headers nothing reads' }) unmappedColumns: string[];
}

export class OnboardingSummary {
  @ApiProperty({ type: 'integer' }) rows: number;
  @ApiProperty({ type: 'integer', description: 'placed at city precision, ready to write' }) ok: number;
  @ApiProperty({ type: 'integer', description: 'placed, but the pin is to be confirmed (coarser than a city, or doubtful)' }) toConfirm: number;
  @ApiProperty({ type: 'integer', description: 'cannot be written until edited or rejected' }) blocked: number;
  @ApiProperty({ type: 'integer', description: 'rows identical to an earlier row' }) identical: number;
  @ApiProperty({ type: 'integer', description: 'rows whose site is in the network already (an earlier upload)' }) existing: number;
  @ApiProperty({ type: 'integer', description: 'duplicate proposals' }) pairs: number;
}

export class OnboardingConfirmation {
  @ApiProperty() confirmedAt: string;
  @ApiProperty({ type: 'integer' }) graphVersion: number;
  @ApiProperty({ type: 'integer' }) suppliers: number;
  @ApiProperty({ type: 'integer' }) sites: number;
  @ApiProperty({ type: 'integer', description: 'rows merged into another row or an existing site' }) merged: number;
  @ApiProperty({ type: 'integer' }) rejected: number;
  @ApiProperty({ type: 'integer', description: 'rejected duplicate pairs remembered for later lists' }) rejectedPairs: number;
}

export class OnboardingIssue {
  @ApiProperty() field: string;
  @ApiProperty({ description: 'stable code: formula, control-characters, mojibake-repaired, country-unknown, name-missing, to-confirm, identical-row, …' })
  code: string;
  @ApiProperty() message: string;
  @ApiProperty({ description: 'the row cannot be written until edited or rejected' }) blocking: boolean;
}

export class OnboardingLocation {
  @ApiProperty() lat: number;
  @ApiProperty() lon: number;
  @ApiProperty({ enum: ['city', 'admin1', 'country'] }) precision: string;
  @ApiProperty({ description: 'how far the facility may be from the point' }) radiusKm: number;
  @ApiProperty({ description: '0–1' }) confidence: number;
  @ApiProperty({ type: [String], description: 'what matched, in words' }) how: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'the GeoNames place of a city answer: id, name, featureCode, population',
  })
  place: Record<string, unknown> | null;
}

export class OnboardingProposedSupplier {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() country: string;
  @ApiProperty({ type: String, nullable: true, description: "the supplier's own id from the list" }) ref: string | null;
}

export class OnboardingProposedSite {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['plant'] }) kind: string;
  @ApiProperty() country: string;
  @ApiProperty({ description: 'a site with this id is in the network already: confirming updates it' }) exists: boolean;
}

export class OnboardingRowDecision {
  @ApiProperty({ enum: ['accept', 'edit', 'reject'] }) action: string;
  @ApiPropertyOptional() lat?: number;
  @ApiPropertyOptional() lon?: number;
  @ApiPropertyOptional() country?: string;
  @ApiPropertyOptional() name?: string;
}

export class OnboardingPairSide {
  @ApiPropertyOptional({ type: 'integer', description: 'a row of this list' }) row?: number;
  @ApiPropertyOptional({ description: 'an existing site' }) siteId?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "the existing site's name (null for a site of a masked supplier)" }) name?: string | null;
  @ApiPropertyOptional() country?: string;
  @ApiPropertyOptional() lat?: number;
  @ApiPropertyOptional() lon?: number;
}

export class OnboardingEvidence {
  @ApiProperty({ description: 'name similarity without legal forms and descriptive words, 0–1' }) name: number;
  @ApiProperty({ type: Number, nullable: true, description: 'address similarity, 0–1' }) address: number | null;
  @ApiProperty({ type: Number, nullable: true }) distanceKm: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'closeness of the points given their uncertainty, 0–1' }) geo: number | null;
  @ApiProperty({ type: [String] }) sharedNameWords: string[];
  @ApiProperty({ type: [String], description: 'unit, branch or place words only one name has: a sign of two facilities' }) nameConflicts: string[];
}

export class OnboardingPair {
  @ApiProperty({ example: 'd1' }) id: string;
  @ApiProperty({ type: OnboardingPairSide }) a: OnboardingPairSide;
  @ApiProperty({ type: OnboardingPairSide }) b: OnboardingPairSide;
  @ApiProperty({ description: '0–1' }) score: number;
  @ApiProperty({ type: OnboardingEvidence }) evidence: OnboardingEvidence;
  @ApiProperty({ type: String, nullable: true, enum: ['confirm', 'reject'] }) decision: string | null;
}

export class OnboardingRow {
  @ApiProperty({ type: 'integer', description: 'the row as a spreadsheet numbers it (the header is row 1)' }) row: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'the mapped cells as the file had them' }) input: Record<
    string,
    string
  >;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) address: string | null;
  @ApiProperty({ type: String, nullable: true }) city: string | null;
  @ApiProperty({ type: String, nullable: true }) postalCode: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'ISO 3166-1 alpha-2' }) country: string | null;
  @ApiProperty({ type: OnboardingProposedSupplier, nullable: true }) supplier: OnboardingProposedSupplier | null;
  @ApiProperty({ type: OnboardingProposedSite, nullable: true }) site: OnboardingProposedSite | null;
  @ApiProperty({ type: OnboardingLocation, nullable: true }) location: OnboardingLocation | null;
  @ApiProperty({ enum: ['ok', 'to-confirm', 'blocked'] }) status: string;
  @ApiProperty({ type: [OnboardingIssue] }) issues: OnboardingIssue[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'an earlier identical row (one site)' }) sameAs: number | null;
  @ApiProperty({ type: [String] }) pairs: string[];
  @ApiProperty({ type: String, nullable: true }) sector: string | null;
  @ApiProperty({ type: String, nullable: true }) parts: string | null;
  @ApiProperty({ type: OnboardingRowDecision, nullable: true }) decision: OnboardingRowDecision | null;
  @ApiProperty({ type: [OnboardingPair], description: "the row's duplicate proposals, with their decisions" }) duplicates: OnboardingPair[];
}

export class OnboardingRowPage extends PageOf(OnboardingRow) {}

export class OnboardingListAccepted {
  @ApiProperty() id: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ type: OnboardingProgress }) progress: OnboardingProgress;
  @ApiProperty({ type: OnboardingFile }) file: OnboardingFile;
  @ApiProperty({ type: OnboardingLinks }) links: OnboardingLinks;
}

export class OnboardingList extends OnboardingListAccepted {
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: OnboardingSummary, nullable: true }) summary: OnboardingSummary | null;
  @ApiProperty({ type: OnboardingRowPage, nullable: true, description: 'once ready: a page of rows in file order (`limit`, `cursor`)' })
  rows: OnboardingRowPage | null;
  @ApiProperty({ type: OnboardingConfirmation, nullable: true }) confirmation: OnboardingConfirmation | null;
  @ApiProperty({ description: 'credit of the gazetteer the pins come from' }) attribution: string;
}

export class OnboardingDecisionCounts {
  @ApiProperty({ type: 'integer', description: 'rows with a decision' }) rows: number;
  @ApiProperty({ type: 'integer', description: 'duplicate proposals with a decision' }) pairs: number;
}

export class OnboardingRowOutcome {
  @ApiProperty({ type: 'integer' }) row: number;
  @ApiProperty({ enum: ['write', 'merge', 'reject'] }) action: string;
  @ApiPropertyOptional() siteId?: string;
  @ApiPropertyOptional() supplierId?: string;
  @ApiPropertyOptional({ enum: ['row', 'site'], description: 'merge: into another row of the list or an existing site' }) into?: string;
}

export class OnboardingConfirmed {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['confirmed'] }) status: string;
  @ApiProperty({ type: OnboardingConfirmation }) confirmation: OnboardingConfirmation;
  @ApiProperty({ type: [OnboardingRowOutcome] }) rows: OnboardingRowOutcome[];
}
