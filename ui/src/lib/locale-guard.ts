// Some embedded browsers report the POSIX locale "C" as navigator.language (WebKitGTK
// started with LANG=C). Intl rejects it, and uPlot builds an Intl.NumberFormat from it
// when its module loads, which would stop the whole UI. Imported first by main.ts.

export function usableLanguage(lang: string | undefined): string | null {
  if (!lang) return null;
  try {
    new Intl.NumberFormat(lang);
    return lang;
  } catch {
    return null;
  }
}

if (typeof navigator !== 'undefined' && usableLanguage(navigator.language) === null) {
  Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true });
}
