// Apply the theme before first paint (no flash): stored choice, else the system preference. A file, not an inline
// script, so the Content-Security-Policy can say script-src 'self' (docs/auth.md "Browser protections").
(function () {
  try {
    var t = localStorage.getItem('lightnvr.theme');
    var dark = t === 'dark' || (t !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
    if (dark) document.documentElement.classList.add('dark');
  } catch (e) {}
})();
