/**
 * Italian articles and articulated prepositions drop their vowel before a word spoken with a vowel,
 * and numbers count: "l'11 nov", "dall'8 nov", "dell'80 %", but "il 12 nov". A date or a share is
 * formatted before it reaches a message, so the article is chosen from the formatted text.
 */
const ELIDED = { il: "l'", Il: "L'", al: "all'", dal: "dall'", del: "dell'", nel: "nell'" } as const;
export type ItalianArticle = keyof typeof ELIDED;

/** `il`, `al`, `dal`... joined to `text`, elided when `text` starts with a number spoken with a vowel. */
export function withArticle(article: ItalianArticle, text: string): string {
  return isSpokenWithVowel(text) ? `${ELIDED[article]}${text}` : `${article} ${text}`;
}

/**
 * Whether a number at the start of `text` is spoken with a vowel first: uno, otto, undici, ottanta-,
 * ottocento-, and the same as the leading group of a larger number (ottomila, undici milioni), but not
 * mille. Thousands may be grouped with a dot or a space, as Intl writes them for it-IT.
 */
export function isSpokenWithVowel(text: string): boolean {
  const match = /^\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?!\d)|^\d+/.exec(text);
  if (!match) return false;
  const whole = Number(match[0].replace(/\D/g, ''));
  let group = whole;
  let scale = 1;
  while (group >= 1000) {
    group = Math.floor(group / 1000);
    scale *= 1000;
  }
  if (group === 1) return scale !== 1000; // uno, un milione; but mille
  return group === 8 || group === 11 || (group >= 80 && group <= 89) || (group >= 800 && group <= 899);
}
