/**
 * GA4 names countries in English ("United States", "Germany"); the data contract, like the demo
 * and shop exports, uses ISO 3166-1 alpha-2 codes. The names come from the same CLDR data GA4's
 * follow, through Intl; a name it does not know is kept as written.
 */
let codesByName: Map<string, string> | undefined;

function buildCodesByName(): Map<string, string> {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const codes = new Map<string, string>();
  for (const first of letters) {
    for (const second of letters) {
      const code = first + second;
      const name = names.of(code);
      if (name !== undefined && name !== code) codes.set(name.toLowerCase(), code);
    }
  }
  return codes;
}

export function countryCodeOf(name: string): string {
  codesByName ??= buildCodesByName();
  return codesByName.get(name.toLowerCase()) ?? name;
}
