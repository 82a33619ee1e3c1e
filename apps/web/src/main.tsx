import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Shell } from './components/shell';
import { DashboardPage } from './pages/dashboard';
import { OnboardingPage } from './pages/onboarding';
import { RxiPage } from './pages/rxi';
import { ScenarioPage } from './pages/scenarios';
import { SignInPage } from './pages/sign-in';
import { SkuPage } from './pages/sku';
import { TwinPage } from './pages/twin';
import { TwinRunPage } from './pages/twin-run';
import { BacktestsPage } from './pages/backtests';
import { TracePage } from './pages/trace';
import { PortalPage } from './portal/portal-pages';
import { useRoute } from './router';
import { currentSession, isAnalyst, isSupplier, onSessionChange, Session } from './session';
import './styles.css';

function useSession(): Session | null {
  const [session, setSession] = useState(currentSession);
  useEffect(() => onSessionChange(() => setSession(currentSession())), []);
  return session;
}

function home(session: Session | null): string {
  if (isAnalyst(session)) return '#/dashboard';
  if (isSupplier(session)) return '#/portal/sites';
  return '#/sign-in';
}

function App() {
  const session = useSession();
  const route = useRoute();
  const [first, second] = route.path;
  const analystPage =
    first === 'dashboard' ||
    first === 'twin' ||
    first === 'skus' ||
    first === 'rxi' ||
    first === 'scenarios' ||
    first === 'onboarding' ||
    first === 'backtests' ||
    first === 'trace';
  const portalPage = first === 'portal';
  const allowed = (analystPage && isAnalyst(session)) || (portalPage && isSupplier(session)) || first === 'sign-in';
  const target = !first || (!allowed && session) ? home(session) : null;

  useEffect(() => {
    if (target && target !== '#/sign-in') location.replace(target);
  }, [target]);

  let page;
  let section = first ?? '';
  if (!session || first === 'sign-in' || target === '#/sign-in') {
    section = 'sign-in';
    page = <SignInPage reason={session || !first || first === 'sign-in' ? undefined : 'Sign in to see this page.'} />;
  } else if (target) {
    page = null;
  } else if (first === 'dashboard') {
    page = <DashboardPage key={route.query.get('event') ?? ''} eventId={route.query.get('event') ?? ''} />;
  } else if (first === 'skus' && second) {
    page = <SkuPage key={second} id={second} />;
  } else if (first === 'rxi') {
    page = <RxiPage />;
  } else if (first === 'scenarios') {
    page = <ScenarioPage />;
  } else if (first === 'twin') {
    page = second ? <TwinRunPage key={second} id={second} sku={route.query.get('sku')} /> : <TwinPage />;
  } else if (first === 'onboarding') {
    page = <OnboardingPage key={second ?? ''} listId={second ?? null} />;
  } else if (first === 'backtests') {
    page = <BacktestsPage key={second ?? ''} id={second ?? null} />;
  } else if (first === 'trace') {
    const direction = route.query.get('direction') ?? 'backward';
    const depth = route.query.get('depth');
    page = <TracePage key={`${second ?? ''}?${direction}&${depth ?? ''}`} lot={second ?? null} direction={direction} depth={depth} />;
  } else {
    section = `portal-${second ?? 'sites'}`;
    page = <PortalPage key={second} session={session} view={second ?? 'sites'} />;
  }
  useEffect(() => {
    document.title = `Tiersight — ${section === 'sign-in' ? 'Sign in' : section}`;
  }, [section]);
  return (
    <Shell session={first === 'sign-in' ? null : session} section={section}>
      {page}
    </Shell>
  );
}

render(<App />, document.getElementById('root')!);
