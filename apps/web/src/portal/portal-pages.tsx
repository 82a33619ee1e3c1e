import type { Session } from '../session';
import { MySitesPage } from './my-sites';
import { PortalOnboardingPage } from './onboarding';
import { SubTierPage } from './sub-tier';
import { SurveysPage } from './surveys';

/** The supplier portal: the supplier's own sites, the sub-tier suppliers it discloses, the surveys addressed to it. */
export function PortalPage({ session, view }: { session: Session; view: string }) {
  if (view === 'suppliers') return <SubTierPage />;
  if (view === 'surveys') return <SurveysPage />;
  if (view === 'onboarding') return <PortalOnboardingPage />;
  return <MySitesPage session={session} />;
}
