// The passport page says its sections and questions in the user's language by the
// server's stable keys; every section and fact the server makes must have its words.
import { describe, expect, it } from 'vitest';
import gather from '../../../src/passport/gather.rs?raw';
import { catalogues } from './i18n.svelte';

describe('passport words', () => {
  it('has a title for every section and a label for every fact the server gathers', () => {
    const src: string = gather;
    let section = '';
    const missing: string[] = [];
    let facts = 0;
    for (const m of src.matchAll(/key: "(\w+)"\.into\(\),\s*title: "[^"]+"|Fact::new\(\s*"(\w+)",/g)) {
      if (m[1]) {
        section = m[1];
        if (!catalogues.en[`passport.section.${section}`]) missing.push(`passport.section.${section}`);
      } else {
        facts++;
        const key = `passport.fact.${section}.${m[2]}`;
        if (!catalogues.en[key]) missing.push(key);
      }
    }
    expect(facts).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});
