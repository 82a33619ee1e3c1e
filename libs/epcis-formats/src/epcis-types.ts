/** Shapes of EPCIS 2.0 JSON / JSON-LD documents, as far as this library reads them. */

export type EpcisAction = 'OBSERVE' | 'ADD' | 'DELETE';

export type EpcisEventType = 'ObjectEvent' | 'AggregationEvent' | 'TransactionEvent' | 'TransformationEvent' | 'AssociationEvent';

/** A JSON-LD `@context`: a URL, a prefix map, or a list of them. */
export type JsonLdContext = string | Readonly<Record<string, unknown>> | readonly (string | Readonly<Record<string, unknown>>)[];

export interface QuantityElement {
  readonly epcClass: string;
  readonly quantity?: number;
  readonly uom?: string;
}

export interface BizTransaction {
  readonly type?: string;
  readonly bizTransaction: string;
}

export interface SourceElement {
  readonly type: string;
  readonly source: string;
}

export interface DestinationElement {
  readonly type: string;
  readonly destination: string;
}

export interface SensorReport {
  readonly type: string;
  readonly value?: number;
  readonly uom?: string;
  readonly time?: string;
  readonly [field: string]: unknown;
}

export interface SensorElement {
  readonly sensorMetadata?: Readonly<Record<string, unknown>>;
  readonly sensorReport: readonly SensorReport[];
  readonly [field: string]: unknown;
}

/**
 * One EPCIS event. Which fields apply depends on `type`; user extensions are
 * further fields named by a compact or absolute IRI.
 */
export interface EpcisEvent {
  readonly type: EpcisEventType | string;
  readonly '@context'?: JsonLdContext;
  readonly eventID?: string;
  readonly eventTime: string;
  readonly eventTimeZoneOffset: string;
  readonly recordTime?: string;
  readonly certificationInfo?: string | readonly string[];
  readonly action?: EpcisAction;
  readonly epcList?: readonly string[];
  readonly quantityList?: readonly QuantityElement[];
  readonly parentID?: string;
  readonly childEPCs?: readonly string[];
  readonly childQuantityList?: readonly QuantityElement[];
  readonly inputEPCList?: readonly string[];
  readonly inputQuantityList?: readonly QuantityElement[];
  readonly outputEPCList?: readonly string[];
  readonly outputQuantityList?: readonly QuantityElement[];
  readonly transformationID?: string;
  readonly bizStep?: string;
  readonly disposition?: string;
  readonly persistentDisposition?: { readonly set?: readonly string[]; readonly unset?: readonly string[] };
  readonly readPoint?: { readonly id: string; readonly [field: string]: unknown };
  readonly bizLocation?: { readonly id: string; readonly [field: string]: unknown };
  readonly bizTransactionList?: readonly BizTransaction[];
  readonly sourceList?: readonly SourceElement[];
  readonly destinationList?: readonly DestinationElement[];
  readonly sensorElementList?: readonly SensorElement[];
  readonly ilmd?: Readonly<Record<string, unknown>>;
  readonly errorDeclaration?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

export interface EpcisDocument {
  readonly '@context': JsonLdContext;
  readonly type: 'EPCISDocument';
  readonly id?: string;
  readonly schemaVersion: string;
  readonly creationDate: string;
  readonly epcisHeader?: Readonly<Record<string, unknown>>;
  readonly epcisBody: { readonly eventList: readonly EpcisEvent[] };
  readonly [field: string]: unknown;
}
