jest.setTimeout(90_000);

import { uniquePrefix } from '../../../test/support/test-env';
import { snapshot, watchProblems } from './browser';
import { useWebStack } from './fixture';

/** Hosts the queue board asks for its fonts; this machine's closed network refuses them, which is not a fault of the page. */
const FONT_HOSTS = /^https:\/\/fonts\.(googleapis|gstatic)\.com\//;

/**
 * The other pages the API serves, in real headless Chromium under the API's
 * security headers: Swagger UI at /docs renders with no policy violation, and
 * the queue board opens to an admin key given as the Basic auth password.
 */
describe('Swagger UI and the queue board in Chromium (real API, Neo4j and Redis)', () => {
  const web = useWebStack({ prefix: uniquePrefix('webdocs'), worker: false });

  it('renders Swagger UI at /docs without a content security policy violation', async () => {
    const page = await web.browser.newPage();
    const problems = watchProblems(page);
    const res = await page.goto(`${web.api.url}/docs`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: /Tiersight API/ }).waitFor();
    await page.locator('.opblock-tag', { hasText: 'events' }).first().waitFor();
    await snapshot(page, 'docs');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens the queue board to the admin key as Basic auth password, and not without it', async () => {
    // Without credentials Chromium ends the navigation itself on the challenge; the browser's own request shows it.
    const anonymous = await web.browser.newContext();
    const refused = await anonymous.request.get(`${web.api.url}/admin/queues`);
    expect(refused.status()).toBe(401);
    expect(refused.headers()['www-authenticate']).toMatch(/^Basic /);
    await anonymous.close();

    const admin = await web.browser.newContext({ httpCredentials: { username: 'ops', password: web.api.adminKey } });
    const page = await admin.newPage();
    const problems = watchProblems(page);
    const res = await page.goto(`${web.api.url}/admin/queues`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByText('telemetry', { exact: true }).first().waitFor();
    await snapshot(page, 'queue-board');
    expect(problems.filter((problem) => !FONT_HOSTS.test(problem.replace(/^request failed: /, '')))).toEqual([]);
    await admin.close();
  });
});
