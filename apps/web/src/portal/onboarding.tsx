import { client, unwrap } from '../api';
import { OnboardingReview } from '../components/onboarding-review';
import { onboardingApi } from '../components/onboarding-review-api';
import type { WrittenSite } from '../components/onboarding-review-confirm';
import { OnboardingUpload } from '../components/onboarding-upload';
import { PageTitle } from '../components/ui';
import { href, navigate, useRoute } from '../router';

const BASE = '/v1/portal/onboarding/lists';
const api = onboardingApi(BASE);

/** A written site as the portal holds it. */
const readSite = async (id: string): Promise<WrittenSite> => unwrap(client.GET('/v1/portal/sites/{id}', { params: { path: { id } } }));

/**
 * A supplier's list of its own sites (`#/portal/onboarding`, then
 * `#/portal/onboarding/:listId`): upload addresses without coordinates, see
 * where each landed, move the pins that are off, confirm. Pins coarser than a
 * town are written as "location to confirm".
 */
export function PortalOnboardingPage() {
  const listId = useRoute().path[2];
  if (listId) {
    // Keyed by the list: opening another list (or the upload) is a new page, whose heading takes focus.
    return (
      <div class="onboarding" key={listId}>
        <PageTitle>Review your site list</PageTitle>
        <p>
          Where each of your sites landed. Accept a pin, move it (type its coordinates or click the map), or leave a row out; nothing is saved until you
          confirm. A pin placed only at a province or country centre stays marked “location to confirm” on My sites until you confirm or move it.{' '}
          <a href={href('portal', 'onboarding')}>Upload another list</a>
        </p>
        <OnboardingReview
          key={listId}
          base={BASE}
          listId={listId}
          readSite={readSite}
          sitesLink={{ href: href('portal', 'sites'), label: 'See them on My sites' }}
        />
      </div>
    );
  }
  return (
    <div class="onboarding" key="upload">
      <PageTitle>Upload a list of your sites</PageTitle>
      <section aria-labelledby="onb-upload-h">
        <h2 id="onb-upload-h">Upload</h2>
        <p>
          A spreadsheet of your sites as you have it: one site per row with its name and address (a country column helps). No coordinates are needed: each row
          is placed on the map from its address, and you check every pin before anything is saved.
        </p>
        <OnboardingUpload api={api} fileLabel="Site list (CSV or XLSX)" onUploaded={(id) => navigate(href('portal', 'onboarding', id))} />
      </section>
    </div>
  );
}
