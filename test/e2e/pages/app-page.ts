/** Page object for the shell: the sidebar and the current screen's heading. */
import { expect, type Locator, type Page } from '@playwright/test';

/** The screens' sidebar labels. */
export type ScreenName = 'Certificates' | 'Tasks' | 'Expiry' | 'Keys' | 'Generate key & CSR' | 'Import / inspect' | 'Accounts & settings' | 'Help';

/** The app shell. */
export class AppPage {
  constructor(readonly page: Page) {}

  /** The main navigation. */
  get nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' });
  }

  /** Opens a screen from the sidebar and waits for its heading. */
  async open(screen: ScreenName): Promise<void> {
    await this.nav.getByRole('link', { name: screen }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: screen })).toBeVisible();
  }
}
