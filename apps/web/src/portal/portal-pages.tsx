import { PageTitle } from '../components/ui';
import type { Session } from '../session';

export function PortalPage({ session, view }: { session: Session; view: string }) {
  return (
    <div>
      <PageTitle>Supplier portal</PageTitle>
      <p>
        Signed in for supplier {session.supplierId}. ({view})
      </p>
    </div>
  );
}
