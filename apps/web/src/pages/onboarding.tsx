import { useMemo } from 'preact/hooks';
import { client, unwrap } from '../api';
import { OnboardingReview } from '../components/onboarding-review';
import { onboardingApi } from '../components/onboarding-review-api';
import type { WrittenSite } from '../components/onboarding-review-confirm';
import { OnboardingUpload } from '../components/onboarding-upload';
import { PageTitle } from '../components/ui';
import { href, navigate, useRoute } from '../router';

const BASE = '/v1/onboarding/lists';

/** Rows per page from `?limit=` (1–500, as the API takes it), else the review's default. */
function pageSizeOf(query: URLSearchParams): number | undefined {
  const n = Number(query.get('limit'));
  return Number.isInteger(n) && n >= 1 && n <= 500 ? n : undefined;
}

/** A written site as the analyst API holds it. */
const readSite = async (id: string): Promise<WrittenSite> => unwrap(client.GET('/v1/sites/{id}', { params: { path: { id } } }));

/**
 * Onboarding a supplier list (analyst): `#/onboarding` uploads a CSV or XLSX,
 * `#/onboarding/:listId` reviews it (progress, rows, pins, duplicates,
 * decisions) and confirms it through the import.
 */
export function OnboardingPage({ listId }: { listId: string | null }) {
  const api = useMemo(() => onboardingApi(BASE), []);
  const pageSize = pageSizeOf(useRoute().query);
  if (listId) {
    return (
      <div class="onboarding">
        <PageTitle>Review a supplier list</PageTitle>
        <p>
          Where each row of the list landed, the rows that look like one facility, and what you decide about them. Nothing is written until you confirm.{' '}
          <a href={href('onboarding')}>Upload another list</a>
        </p>
        <OnboardingReview base={BASE} listId={listId} readSite={readSite} pageSize={pageSize} />
      </div>
    );
  }
  return (
    <div class="onboarding">
      <PageTitle>Onboard a supplier list</PageTitle>
      <section aria-labelledby="onb-upload-h">
        <h2 id="onb-upload-h">Upload</h2>
        <p>
          A spreadsheet of suppliers as you have it: names, free-text addresses, countries in any spelling. Each row is placed on the map offline, rows that are
          the same facility are proposed as one site, and you review every row before anything is written.
        </p>
        <OnboardingUpload api={api} fileLabel="Supplier list (CSV or XLSX)" onUploaded={(id) => navigate(href('onboarding', id))} />
      </section>
    </div>
  );
}
