// Before every test file: the UI's language is English with the en-GB locale (24-hour
// clock, "26 Nov"), whatever the machine's own, so tests of formatted text are stable.
import { setLanguage } from './lib/i18n.svelte';

setLanguage('en', 'en-GB');
