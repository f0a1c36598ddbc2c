/* global window, document */
/**
 * Sets <html data-theme="light|dark"> before the stylesheet and the app load, so the first paint
 * already has the right colours (no white flash in the dark theme). A classic, blocking script
 * served from 'self', as the CSP allows no inline script. The main process sets Electron's
 * nativeTheme.themeSource from the theme setting, so `prefers-color-scheme` is the setting
 * ("system" follows the operating system), and a change of either arrives here as a change event.
 */
(function followColorScheme() {
  'use strict';
  var root = document.documentElement;
  var query =
    typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  function apply() {
    root.dataset.theme = query && query.matches ? 'dark' : 'light';
  }
  apply();
  if (!query) return;
  if (typeof query.addEventListener === 'function') query.addEventListener('change', apply);
  else if (typeof query.addListener === 'function') query.addListener(apply);
})();
