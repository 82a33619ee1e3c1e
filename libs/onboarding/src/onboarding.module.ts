import { Module } from '@nestjs/common';
import { GraphModule } from '@tiersight/graph';
import { OnboardingListStore } from './onboarding-list.store';
import { OnboardingReviewer } from './onboarding-reviewer';
import { OnboardingRepository } from './onboarding.repository';
import { OnboardingService } from './onboarding.service';

/** Supplier lists from upload to confirm (the review in Redis, rejected pairs in Neo4j). Needs QueuesModule. */
@Module({
  imports: [GraphModule],
  providers: [OnboardingListStore, OnboardingRepository, OnboardingService, OnboardingReviewer],
  exports: [OnboardingService, OnboardingReviewer, OnboardingRepository],
})
export class OnboardingModule {}
