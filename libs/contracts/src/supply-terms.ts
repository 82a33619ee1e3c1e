/** The terms of a SUPPLIES edge: the part shipped, its share of the receiver's need, the receiver's buffer and the lead time (days). */
export interface SupplyTerms {
  partId: string;
  share: number;
  bufferDays: number;
  leadTimeDays: number;
}
