import type { ComponentChildren } from 'preact';
import { isAnalyst, isSupplier, saveSession, Session } from '../session';

interface NavItem {
  href: string;
  label: string;
  active: boolean;
}

function navFor(session: Session | null, section: string): NavItem[] {
  if (isAnalyst(session)) {
    return [
      { href: '#/dashboard', label: 'Dashboard', active: section === 'dashboard' || section === 'skus' },
      { href: '#/rxi', label: 'Hidden chokepoints', active: section === 'rxi' },
      { href: '#/scenarios', label: 'What-if', active: section === 'scenarios' },
      { href: '#/twin', label: 'Twin', active: section === 'twin' },
      { href: '#/onboarding', label: 'Onboarding', active: section === 'onboarding' },
      { href: '#/backtests', label: 'Backtests', active: section === 'backtests' },
      { href: '#/trace', label: 'Lot trace', active: section === 'trace' },
    ];
  }
  if (isSupplier(session)) {
    return [
      { href: '#/portal/sites', label: 'My sites', active: section === 'portal-sites' },
      { href: '#/portal/suppliers', label: 'My sub-tier suppliers', active: section === 'portal-suppliers' },
      { href: '#/portal/surveys', label: 'Surveys', active: section === 'portal-surveys' },
      { href: '#/portal/onboarding', label: 'Upload a site list', active: section === 'portal-onboarding' },
    ];
  }
  return [];
}

export function Shell({ session, section, children }: { session: Session | null; section: string; children: ComponentChildren }) {
  const items = navFor(session, section);
  return (
    <>
      {/* Not a #main link: the hash holds the page's route, so the skip link moves focus itself. */}
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          const target = document.querySelector<HTMLElement>('main h1') ?? document.getElementById('main');
          target?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/">
          Tiersight
        </a>
        {items.length > 0 && (
          <nav aria-label="Main">
            <ul>
              {items.map((i) => (
                <li key={i.href}>
                  <a href={i.href} aria-current={i.active ? 'page' : undefined}>
                    {i.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {session && (
          <div class="who">
            <span>
              {session.label} <span class="role">({session.role})</span>
            </span>
            <button
              type="button"
              class="link-button"
              onClick={() => {
                saveSession(null);
                location.hash = '#/sign-in';
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
