/** Page object for Import / inspect: file input, synthetic drops, results. */
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The Import / inspect screen. */
export class ImportPage {
  constructor(readonly page: Page) {}

  /** Picks files through the `<input type=file multiple>`. */
  async chooseFiles(paths: readonly string[]): Promise<void> {
    await this.page.locator('input[type=file]').setInputFiles([...paths]);
  }

  /** Drops files on the drop zone with a synthetic drag-and-drop (dragenter, dragover, drop). */
  async dropFiles(paths: readonly string[]): Promise<void> {
    const files = paths.map((p) => ({ name: basename(p), data: readFileSync(p).toString('base64') }));
    const zone = this.page.getByTestId('dropzone');
    const dataTransfer = await this.page.evaluateHandle((list) => {
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

  /** The result card of one file. */
  file(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  /** The pairing panel. */
  get pairing(): Locator {
    return this.page.getByRole('region', { name: 'Certificate and key' });
  }

  /** The cleaned-bundle panel. */
  get bundle(): Locator {
    return this.page.getByRole('region', { name: 'Cleaned bundle' });
  }

  /** Waits until every file has been read. */
  async waitForResults(): Promise<void> {
    await expect(this.page.getByText('Inspecting…')).toHaveCount(0);
    await expect(this.page.getByText('Reading…')).toHaveCount(0);
  }
}
