/** Disruption event types (DESIGN §2), the same for feeds, pushes and webhook filters. */
export const EVENT_TYPES = ['earthquake', 'storm', 'flood', 'fire', 'volcano', 'drought', 'strike', 'port-closure', 'insolvency', 'sensor', 'other'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_STATUSES = ['active', 'closed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const SITE_KINDS = ['plant', 'warehouse', 'port', 'office'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

/** Who states a site or a supply edge; `inferred` is what the confidence of a critical path counts. */
export const PROVENANCES = ['buyer', 'supplier', 'inferred'] as const;
export type Provenance = (typeof PROVENANCES)[number];

/** Whether a disclosed supplier's name is shown to the buyer or masked. */
export const VISIBILITIES = ['shared', 'masked'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** How a SKU's exposure moved between two runs (the change stream's `kind`). */
export const EXPOSURE_CHANGE_KINDS = ['created', 'worsened', 'improved', 'resolved'] as const;
export type ExposureChangeKind = (typeof EXPOSURE_CHANGE_KINDS)[number];

/**
 * How a SKU's outlook (DESIGN §10) moved between two runs: it appeared or
 * worsened; it went away without becoming observed; or it went away as the
 * observed exposure caught up (created or worsened in the same run: the
 * ordinary alerts tell that, this one only closes the outlook).
 */
export const OUTLOOK_CHANGE_KINDS = ['anticipated', 'anticipation_cleared', 'anticipation_realized'] as const;
export type OutlookChangeKind = (typeof OUTLOOK_CHANGE_KINDS)[number];

/** The webhook alert types (Standard Webhooks `type`, DESIGN §7.1). */
export const ALERT_TYPES = [
  'exposure.created',
  'exposure.worsened',
  'exposure.improved',
  'exposure.resolved',
  // DESIGN §10: an outlook appeared or worsened; it went away without becoming observed.
  'exposure.anticipated',
  'exposure.anticipation_cleared',
  // DESIGN §11: a lot was flagged (a disruption or sensor excursion at a site it was observed at, or its own readings broke a rule).
  'lot.flagged',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/**
 * Why a lot is flagged (DESIGN §11): a disruption event covered a site it was
 * observed at; a sensor excursion (a rule firing at a site's sensor) did; or
 * its own EPCIS sensor readings broke a telemetry rule.
 */
export const LOT_FLAG_CAUSE_KINDS = ['event', 'sensor', 'reading'] as const;
export type LotFlagCauseKind = (typeof LOT_FLAG_CAUSE_KINDS)[number];
