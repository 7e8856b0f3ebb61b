/** Page object for the Generate key & CSR wizard. */
import { expect, type Locator, type Page } from '@playwright/test';

/** The CSR wizard. */
export class CsrPage {
  constructor(readonly page: Page) {}

  /** The current step's panel. */
  get step(): Locator {
    return this.page.getByRole('region', { name: /^\d\. / });
  }

  /** Goes on to the next step. */
  async next(): Promise<void> {
    await this.page.getByRole('button', { name: /^Next:/ }).click();
  }

  /** Picks a new key type on the first step ("ECDSA P-384"…). */
  async chooseNewKey(title: string): Promise<void> {
    await this.page.getByRole('radio', { name: 'Generate a new key' }).check();
    await this.page.getByRole('radio', { name: new RegExp(`^${title}`) }).check();
  }

  /** Fills subject fields by label. */
  async fillSubject(fields: Readonly<Record<string, string>>): Promise<void> {
    for (const [label, value] of Object.entries(fields)) await this.page.getByLabel(label, { exact: false }).first().fill(value);
  }

  /** Types or pastes a SAN list and adds it. */
  async addSans(text: string): Promise<void> {
    await this.page.getByLabel('Add subject alternative names').fill(text);
    await this.page.getByRole('button', { name: 'Add names' }).click();
    await expect(this.page.getByLabel('Add subject alternative names')).toHaveValue('');
  }

  /** The chips of the names list. */
  get sanChips(): Locator {
    return this.page.getByRole('region', { name: 'Names in the request' }).getByRole('list', { name: 'Names' }).getByRole('listitem');
  }
}
