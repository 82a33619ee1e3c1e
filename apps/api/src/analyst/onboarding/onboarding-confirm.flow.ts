import { Injectable } from '@nestjs/common';
import type { AuditActor } from '@tiersight/audit';
import { GraphError, GraphErrorCode } from '@tiersight/graph';
import { OnboardingRepository, OnboardingService, type ConfirmPlan, type Confirmation, type RowOutcome } from '@tiersight/onboarding';
import { SitePlacements } from '@tiersight/portal';
import { GraphImportFlow } from '../graph-import/graph-import.flow';

export interface ConfirmResult {
  id: string;
  status: 'confirmed';
  confirmation: Confirmation;
  rows: RowOutcome[];
}

/**
 * Confirms a reviewed list through the normal import (POST /v1/graph/import's
 * flow: every DESIGN §2 rule, all or nothing, the same audit entry naming the
 * list, graph.changed for the workers). The pairs a person rejected, and how
 * each written site's pin was found (a coarse one waits for its supplier to
 * confirm it in the portal), are recorded in the same transaction, so a
 * refused import records nothing.
 */
@Injectable()
export class OnboardingConfirmFlow {
  constructor(
    private readonly onboarding: OnboardingService,
    private readonly repository: OnboardingRepository,
    private readonly imports: GraphImportFlow,
    private readonly placements: SitePlacements,
  ) {}

  async confirm(id: string, requestId: string | undefined, actor: AuditActor): Promise<ConfirmResult> {
    const { plan } = await this.onboarding.prepareConfirm(id);
    let graphVersion: number;
    try {
      const counts = await this.imports.run(plan.payload, requestId, actor, {
        origin: { onboardingListId: id },
        afterWrite: async (tx) => {
          await this.repository.recordRejections(tx, id, actor.keyId, plan.rejections);
          await this.placements.record(tx, plan.placements);
        },
      });
      graphVersion = counts.graphVersion;
    } catch (error) {
      await this.onboarding.release(id);
      throw withRows(error, plan);
    }
    const confirmation = await this.onboarding.confirmed(id, plan, graphVersion);
    return { id, status: 'confirmed', confirmation, rows: plan.outcomes };
  }
}

/** An import refusal with each error's list row beside its index in the import (the person knows rows, not indexes). */
function withRows(error: unknown, plan: ConfirmPlan): unknown {
  if (!(error instanceof GraphError) || error.code !== GraphErrorCode.InvalidImport || !error.details?.errors) return error;
  const written = plan.outcomes.filter((o): o is Extract<RowOutcome, { action: 'write' }> => o.action === 'write');
  const rowOf = (entity: string, index: number) => {
    if (entity === 'sites') return written.find((o) => o.siteId === plan.payload.sites[index]?.id)?.row;
    if (entity === 'suppliers') return written.find((o) => o.supplierId === plan.payload.suppliers[index]?.id)?.row;
    return undefined;
  };
  const errors = error.details.errors.map((e) => Object.assign({}, e, { row: rowOf(e.entity, e.index) }));
  return new GraphError(error.code, error.message, { errors });
}
