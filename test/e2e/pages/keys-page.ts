/** Page object for the Keys screen. */
import { expect, type Locator, type Page } from '@playwright/test';

/** The Keys screen. */
export class KeysPage {
  constructor(readonly page: Page) {}

  /** The table of vault keys. */
  get table(): Locator {
    return this.page.getByRole('table', { name: 'Keys in the vault' });
  }

  /** Rows of the key table (without the header). */
  get rows(): Locator {
    return this.table.locator('tbody tr');
  }

  /** Generates a key of the type shown as `typeLabel` ("ECDSA P-256"…), with a label. */
  async generate(typeLabel: string, label: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Generate a key' });
    await form.getByLabel('Key type').selectOption({ label: typeLabel });
    await form.getByLabel('Label (optional)').fill(label);
    await form.getByRole('button', { name: 'Generate key' }).click();
    await expect(this.table.getByText(label, { exact: true })).toBeVisible();
  }

  /** Deletes the key labelled `label`, confirming in the dialog. */
  async delete(label: string, confirm = 'Delete key'): Promise<void> {
    await this.page.getByRole('button', { name: `Delete key ${label}` }).click();
    const dialog = this.page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: confirm, exact: true }).click();
  }
}
