export { FEED_FORMATS } from './feed-adapter';
export type { FeedFormat, FeedParseResult } from './feed-adapter';
export { adapterFor } from './registry';
export { DEFAULT_SEVERITY_POLICY } from './severity-policy';
export type { SeverityPolicy } from './severity-policy';
export { MAX_JSON_DOCUMENT_BYTES, MAX_XML_DOCUMENT_BYTES } from './document-text';
