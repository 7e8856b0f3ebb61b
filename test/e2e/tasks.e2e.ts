/** Tasks: a deployment the provider fails shows its message and can be retried; live progress while running. */
import { test, expect } from '@playwright/test';
import { expectAccessible, screenshot } from './a11y.js';
import { launchApp, type LaunchedApp } from './fixtures.js';
import { AppPage } from './pages/app-page.js';
import { CertificatesPage } from './pages/certificates-page.js';
import { expectNoKeyMaterialCrossed } from './secrets.js';
import { makeMaterial, seedCertificate, type Material } from './support.js';

let app: LaunchedApp;
let pki: Material;
test.beforeEach(async () => {
  pki = makeMaterial('Tasks');
  app = await launchApp();
});
test.afterEach(async () => {
  await expectNoKeyMaterialCrossed(app);
  await app.close();
  pki.cleanup();
});

test('an empty task list says where deployments start', async () => {
  await new AppPage(app.page).open('Tasks');
  await expect(app.page.getByText('No deployments yet')).toBeVisible();
  await expectAccessible(app.page, 'tasks-empty');
});

test('a failing deployment shows the provider’s message in the certificate and in Tasks, and a retry succeeds', async () => {
  const { page } = app;
  await seedCertificate(app, 'edge', [pki.leaf('edge', ['edge.example.com'], 90)], pki.ca.chainPem);
  await page.reload();
  const cert = await new CertificatesPage(page).open('edge');

  app.sandbox.faults.failNextTask('Edge servers rejected the certificate: OCSP stapling failed on 3 of 120 nodes');
  await cert.startDeploy('staging', 1);
  await cert.confirm('Deploy version 1 to staging');
  const failed = await app.waitForEvent('taskFinished', (p) => p.task.certificateName === 'edge');
  expect(failed.task.status).toBe('failed');
  await expect(page.getByRole('table', { name: 'Deployment history' })).toContainText('Edge servers rejected the certificate');
  await cert.expectDeployed('Staging', null);

  await new AppPage(page).open('Tasks');
  const item = page.getByRole('listitem', { name: /edge: Deploy version 1 to staging, failed/ });
  await expect(item).toContainText('Edge servers rejected the certificate: OCSP stapling failed on 3 of 120 nodes');
  await expect(item).toContainText(`provider task ${failed.task.providerTaskId ?? ''}`);
  await expect(item.getByText('Failed', { exact: true })).toBeVisible();
  await expectAccessible(page, 'tasks-failed');

  await item.getByRole('button', { name: /Retry/ }).click();
  const running = page.getByRole('region', { name: 'Running' });
  await expect(running.getByRole('progressbar')).toBeVisible();
  await expect(running).toContainText(/Queued at the provider|rolling it out|Sending the request/);
  await screenshot(page, 'tasks-running');
  const retried = await app.waitForEvent('taskFinished', (p) => p.task.certificateName === 'edge' && p.task.status === 'succeeded');
  expect(retried.task.id).not.toBe(failed.task.id);
  await expect(running).toContainText('Nothing running');
  await expect(page.getByRole('region', { name: 'Finished' })).toContainText('1 failed · 1 succeeded');
  await expectAccessible(page, 'tasks');
  await screenshot(page, 'tasks');
});

test('a deployment the provider refuses outright (not the owner) is reported with status, code and request id', async () => {
  const { page } = app;
  // The shared certificate is read-only in the UI; the refusal is what the provider says if it is tried anyway.
  await expect(app.container.deployments.start({ account: 'Sandbox', certificate: 'shared-by-another-customer', env: 'staging', action: 'deploy', version: 1 })).rejects.toMatchObject({
    code: 'PROVIDER_NOT_OWNER',
  });
  await new AppPage(page).open('Tasks');
  const item = page.getByRole('listitem', { name: /shared-by-another-customer: Deploy version 1 to staging, failed/ });
  await expect(item).toContainText('HTTP 403');
  await expect(item).toContainText(/request id [0-9a-f]{32}/);
});
