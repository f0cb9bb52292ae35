import { describe, expect, it } from 'vitest';
import { isSpokenWithVowel, withArticle } from '../../src/bot/messages/italian.js';
import { translator } from '../../src/bot/messages/index.js';

describe('Italian articles before numbers', () => {
  it('elides before numbers spoken with a vowel: uno, otto, undici, ottanta-, ottocento-', () => {
    for (const text of ['1 dic', '8 nov', '11 nov', '80 %', '83,5 %', '800 clienti', '8.000', '8 000', '11.500', '1.000.000']) {
      expect(isSpokenWithVowel(text), text).toBe(true);
    }
  });

  it('keeps the article before other numbers, thousands (mille) and words', () => {
    for (const text of ['12 nov', '18 nov', '10 %', '100 %', '1.000', '1 000', '2.800', '180', 'lun 11 nov', 'oggi']) {
      expect(isSpokenWithVowel(text), text).toBe(false);
    }
  });

  it('joins each article and preposition in its elided or full form', () => {
    expect(withArticle('il', '11 nov')).toBe("l'11 nov");
    expect(withArticle('Il', '8 nov')).toBe("L'8 nov");
    expect(withArticle('al', '1 dic')).toBe("all'1 dic");
    expect(withArticle('dal', '8 %')).toBe("dall'8 %");
    expect(withArticle('del', '80 %')).toBe("dell'80 %");
    expect(withArticle('nel', '2026')).toBe('nel 2026');
    expect(withArticle('il', '12 nov')).toBe('il 12 nov');
  });

  it('reaches the replies: RFM titles and changes read naturally in Italian', () => {
    const t = translator('it');
    expect(t('rfm.title', { asOf: '11 nov' })).toBe("Segmenti RFM all'11 nov");
    expect(t('rfm.title', { asOf: '12 nov' })).toBe('Segmenti RFM al 12 nov');
    expect(t('rfm.noneSlid', { to: 'A rischio', since: '8 ago' })).toBe("Nessun cliente di valore è scivolato in A rischio dall'8 ago.");
  });
});
