/** Page objects for the Certificates list and a certificate's page. */
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Drops files on a drop zone with a synthetic drag-and-drop (dragenter, dragover, drop). */
export async function dropFiles(page: Page, zone: Locator, paths: readonly string[]): Promise<void> {
  const files = paths.map((p) => ({ name: basename(p), data: readFileSync(p).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name));
    }
    return dt;
  }, files);
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

/** The Certificates list. */
export class CertificatesPage {
  constructor(readonly page: Page) {}

  /** The certificate table. */
  get table(): Locator {
    return this.page.getByRole('table', { name: 'Certificates' });
  }

  /** The link to a certificate's page. */
  link(name: string): Locator {
    return this.table.getByRole('link', { name, exact: true });
  }

  /** Opens a certificate's page and waits for its heading. */
  async open(name: string): Promise<CertificatePage> {
    await this.link(name).click();
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
    return new CertificatePage(this.page);
  }

  /** Creates a certificate in `account` from dropped files; lands on its page. */
  async create(account: string, name: string, files: readonly string[]): Promise<CertificatePage> {
    await this.page.getByRole('button', { name: 'New certificate' }).first().click();
    const form = this.page.getByRole('form', { name: 'New certificate' });
    await form.getByLabel('Account').selectOption({ label: `${account} (CDN Pro, local sandbox)` });
    await form.getByLabel('Certificate name').fill(name);
    await dropFiles(this.page, form.getByTestId('version-dropzone'), files);
    await expect(form.getByRole('region', { name: 'What Certdesk found' })).toBeVisible();
    await form.getByRole('button', { name: 'Create certificate' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
    return new CertificatePage(this.page);
  }
}

/** One certificate's page. */
export class CertificatePage {
  constructor(readonly page: Page) {}

  /** An environment's card ("Staging", "Production"). */
  env(name: 'Staging' | 'Production'): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  /** The confirmation dialog. */
  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** The versions panel. */
  get versions(): Locator {
    return this.page.getByRole('region', { name: 'Versions' });
  }

  /** One version's card. */
  version(n: number): Locator {
    return this.page.getByRole('article', { name: `Version ${n}`, exact: true });
  }

  /** A version's checked chain: verdict, path and problems. */
  chain(n: number): Locator {
    return this.version(n).getByRole('region', { name: `Chain of version ${n}` });
  }

  /** The steps of a version's certification path, leaf first. */
  chainPath(n: number): Locator {
    return this.chain(n).getByRole('list', { name: `Certification path of version ${n}, leaf first` }).getByRole('listitem');
  }

  /** Opens the deploy confirmation for `version` in `env`. */
  async startDeploy(env: 'staging' | 'production', version: number): Promise<Locator> {
    const card = this.env(env === 'staging' ? 'Staging' : 'Production');
    await card.getByLabel(`Version for ${env}`).selectOption(String(version));
    await card.getByRole('button', { name: `Deploy to ${env}…` }).click();
    await expect(this.dialog).toBeVisible();
    return this.dialog;
  }

  /** Confirms the open dialog with its button. */
  async confirm(label: string | RegExp): Promise<void> {
    await this.dialog.getByRole('button', { name: label }).click();
    await expect(this.dialog).toBeHidden();
  }

  /** Waits until an environment shows `version` (or nothing). */
  async expectDeployed(env: 'Staging' | 'Production', version: number | null): Promise<void> {
    const card = this.env(env);
    if (version === null) await expect(card.getByText('Nothing deployed', { exact: true })).toBeVisible({ timeout: 20_000 });
    else await expect(card.getByText(`Version ${version}`, { exact: true })).toBeVisible({ timeout: 20_000 });
  }

  /** Opens "New version" and drops files on it; resolves once main has read them (nothing uploaded yet). */
  async dropVersionFiles(files: readonly string[], comment?: string): Promise<Locator> {
    await this.page.getByRole('button', { name: 'New version' }).click();
    const form = this.page.getByRole('form', { name: 'New version' });
    await dropFiles(this.page, form.getByTestId('version-dropzone'), files);
    await expect(form.getByRole('region', { name: 'What Certdesk found' })).toBeVisible();
    if (comment !== undefined) await form.getByLabel('Comment (optional)').fill(comment);
    return form;
  }

  /** Adds a version from dropped files; waits for the confirmation. */
  async addVersionFromFiles(files: readonly string[], comment?: string): Promise<Locator> {
    const form = await this.dropVersionFiles(files, comment);
    await form.getByRole('button', { name: 'Upload version' }).click();
    const done = this.page.getByRole('status').filter({ hasText: 'Version added' });
    await expect(done).toBeVisible({ timeout: 20_000 });
    return done;
  }

  /** Adds a version with a new key and a self-signed placeholder. */
  async addSelfSigned(commonName: string): Promise<void> {
    await this.page.getByRole('button', { name: 'New version' }).click();
    const form = this.page.getByRole('form', { name: 'New version' });
    await form.getByRole('radio', { name: /New key, self-signed/ }).check();
    await form.getByLabel('Common name').fill(commonName);
    await form.getByRole('button', { name: 'Upload version' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: 'Version added' })).toBeVisible({ timeout: 20_000 });
  }
}
