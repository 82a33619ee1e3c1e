import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's Chromium: the project never downloads a browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

/** The flags this machine needs: no sandbox as root, and no background traffic to hosts the closed network refuses. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts', 'web');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with \`apt-get install -y --no-install-recommends chromium\` (as root)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 30_000 });
}

/** Saves a PNG of the whole page (or of what the screen shows) under test-artifacts/web/ (git-ignored) and returns its path. */
export async function snapshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Collects what the page logs as an error or fails to load, so a test can require a clean run. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A 4xx the page asked for and handled (a probe, a SKU that is not exposed) is logged by Chromium too: not a fault.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return problems;
}

/** Presses Tab until the focused element matches, like a keyboard user would (bounded). */
export async function tabTo(page: Page, matches: (el: { tag: string; text: string; href: string | null }) => boolean, maxTabs = 80): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    // Evaluated in the page (a string: this project compiles without the DOM library).
    const el = await page.evaluate<{ tag: string; text: string; href: string | null }>(
      `(() => { const a = document.activeElement; return { tag: a ? a.tagName : '', text: a ? (a.textContent || '').trim() : '', href: a ? a.getAttribute('href') : null }; })()`,
    );
    if (matches(el)) return;
  }
  throw new Error(`no focusable element matched after ${maxTabs} presses of Tab`);
}

/** How far the page is wider than the screen (0 or less: no sideways scrolling). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

/** Signs in on the sign-in page at `pageUrl` with `key` and waits for the page the role lands on. */
export async function signIn(page: Page, pageUrl: string, key: string, landingHeading: string): Promise<void> {
  await page.goto(pageUrl);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: landingHeading }).waitFor();
}
