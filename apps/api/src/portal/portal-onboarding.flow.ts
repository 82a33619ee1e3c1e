import { Injectable } from '@nestjs/common';
import { OnboardingRepository, OnboardingService, type Confirmation, type RowOutcome } from '@tiersight/onboarding';
import { OwnSiteListService, type PortalActor } from '@tiersight/portal';
import { listedSites, writtenOutcomes } from './portal-onboarding.view';

export interface PortalConfirmResult {
  id: string;
  status: 'confirmed';
  confirmation: Confirmation;
  rows: RowOutcome[];
}

/**
 * Confirms a supplier's list of its own sites through the portal's write path
 * (libs/portal: every site the caller's, the site rules, one transaction under
 * the graph lock, one `portal.sites.list` audit entry, graph.changed), all or
 * nothing. The pairs the supplier rejected are recorded in the same
 * transaction, so a refused write records nothing and the list stays open.
 */
@Injectable()
export class PortalOnboardingFlow {
  constructor(
    private readonly onboarding: OnboardingService,
    private readonly repository: OnboardingRepository,
    private readonly lists: OwnSiteListService,
  ) {}

  async confirm(id: string, actor: PortalActor): Promise<PortalConfirmResult> {
    const { plan } = await this.onboarding.prepareConfirm(id, actor.supplierId);
    let written: Awaited<ReturnType<OwnSiteListService['write']>>;
    try {
      written = await this.lists.write(actor, id, listedSites(plan), (tx) => this.repository.recordRejections(tx, id, actor.keyId, plan.rejections));
    } catch (error) {
      await this.onboarding.release(id);
      throw error;
    }
    const confirmation = await this.onboarding.confirmed(id, plan, written.graphVersion);
    return { id, status: 'confirmed', confirmation, rows: writtenOutcomes(plan.outcomes, written.ids) };
  }
}
