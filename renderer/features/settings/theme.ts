/** Applies the theme preference to <html data-theme>, following the OS when it is "system". */
import { useEffect } from 'react';
import type { Theme } from '../../../shared/api.js';

/** The concrete theme for a preference and the OS's current scheme. */
export function resolveTheme(theme: Theme, osPrefersDark: boolean): 'light' | 'dark' {
  if (theme === 'system') return osPrefersDark ? 'dark' : 'light';
  return theme;
}

/** Keeps data-theme in step with the preference (and the OS, for "system"). */
export function useApplyTheme(theme: Theme | undefined): void {
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => {
      document.documentElement.dataset.theme = resolveTheme(theme ?? 'system', query.matches);
    };
    apply();
    query.addEventListener('change', apply);
    return () => query.removeEventListener('change', apply);
  }, [theme]);
}
