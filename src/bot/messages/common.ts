/** Messages shared by every command: errors, the parser, periods. English and Italian side by side. */
const en = {
  'common.noAnswer': 'I could not answer that.',
  'common.internal': (p: { ref: string }) => `Something went wrong on my side (ref ${p.ref}). The team can find it in the log by that reference.`,
  'common.storeUnavailable': 'The database is unreachable; retrying… Nothing was changed. Ask again in a minute.',
  'common.forbidden': (p: { command: string }) => `\`${p.command}\` shows customer data and is not allowed in this channel. Ask an admin to add it to CUSTOMER_DATA_ALLOWLIST.`,
  'parse.empty': 'Ask me something, for example `kpi last 30d`. Type `help` for everything I can do.',
  'parse.unknownCommand': (p: { word: string }) => `I don't know the command "${p.word}".`,
  'parse.closest': (p: { suggestion: string }) => `Did you mean \`${p.suggestion}\`?`,
  'parse.understood': (p: { understood: string }) => `I understood: ${p.understood}.`,
  'parse.ambiguous': (p: { candidates: string }) => `That could mean several commands: ${p.candidates}. Please start with the command name.`,
  'parse.unexpected': (p: { words: string; command: string }) => `I don't know what to do with "${p.words}" in \`${p.command}\`.`,
  'parse.tryHelp': (p: { command: string }) => `Type \`help ${p.command}\` for examples.`,
  'parse.badPeriod': (p: { text: string }) => `"${p.text}" is not a period I understand. Try \`last 7d\`, \`last 4w\`, \`this month\`, \`last month\`, \`2026-10-01..2026-10-31\` or \`since 2026-01-01\`.`,
  'parse.periodOrder': (p: { start: string; end: string }) => `The period starts after it ends (${p.start} .. ${p.end}).`,
  'parse.periodFuture': (p: { start: string }) => `The period starts in the future (${p.start}).`,
  'parse.periodTooLong': (p: { text: string; days: number; maxDays: number }) =>
    `"${p.text}" spans ${p.days.toLocaleString('en')} days; this answer covers at most ${p.maxDays.toLocaleString('en')} days. Ask for a shorter period, for example \`last ${p.maxDays}d\`.`,
  'parse.badNumber': (p: { option: string; min: number; max: number }) => `\`${p.option}\` takes a whole number from ${p.min} to ${p.max}.`,
  'parse.badChoice': (p: { what: string; value: string; choices: string }) => `"${p.value}" is not a known ${p.what}. Valid: ${p.choices}.`,
  'parse.missing': (p: { what: string; example: string }) => `Missing ${p.what}, for example \`${p.example}\`.`,
  'parse.tooLong': (p: { max: number }) => `That message is too long for a command (at most ${p.max} characters).`,
  'period.compared': (p: { period: string; previous: string }) => `${p.period}, compared with ${p.previous}`,
};

const it: typeof en = {
  'common.noAnswer': 'Non sono riuscito a rispondere.',
  'common.internal': (p) => `Qualcosa è andato storto da parte mia (rif. ${p.ref}). Il team può trovarlo nel log con questo riferimento.`,
  'common.storeUnavailable': 'Il database non è raggiungibile; riprovo… Non è stato cambiato nulla. Chiedi di nuovo tra un minuto.',
  'common.forbidden': (p) => `\`${p.command}\` mostra dati dei clienti e non è permesso in questo canale. Chiedi a un admin di aggiungerlo a CUSTOMER_DATA_ALLOWLIST.`,
  'parse.empty': 'Chiedimi qualcosa, per esempio `kpi last 30d`. Scrivi `help` per vedere tutto quello che so fare.',
  'parse.unknownCommand': (p) => `Non conosco il comando "${p.word}".`,
  'parse.closest': (p) => `Intendevi \`${p.suggestion}\`?`,
  'parse.understood': (p) => `Ho capito: ${p.understood}.`,
  'parse.ambiguous': (p) => `Potrebbe essere uno di questi comandi: ${p.candidates}. Inizia con il nome del comando.`,
  'parse.unexpected': (p) => `Non so cosa fare con "${p.words}" in \`${p.command}\`.`,
  'parse.tryHelp': (p) => `Scrivi \`help ${p.command}\` per gli esempi.`,
  'parse.badPeriod': (p) => `"${p.text}" non è un periodo che capisco. Prova \`last 7d\`, \`last 4w\`, \`this month\`, \`last month\`, \`2026-10-01..2026-10-31\` o \`since 2026-01-01\`.`,
  'parse.periodOrder': (p) => `Il periodo inizia dopo la sua fine (${p.start} .. ${p.end}).`,
  'parse.periodFuture': (p) => `Il periodo inizia nel futuro (${p.start}).`,
  'parse.periodTooLong': (p) => `"${p.text}" copre ${p.days.toLocaleString('it')} giorni; questa risposta copre al massimo ${p.maxDays.toLocaleString('it')} giorni. Chiedi un periodo più breve, per esempio \`last ${p.maxDays}d\`.`,
  'parse.badNumber': (p) => `\`${p.option}\` vuole un numero intero da ${p.min} a ${p.max}.`,
  'parse.badChoice': (p) => `"${p.value}" non è un valore valido per ${p.what}. Valori possibili: ${p.choices}.`,
  'parse.missing': (p) => `Manca ${p.what}, per esempio \`${p.example}\`.`,
  'parse.tooLong': (p) => `Il messaggio è troppo lungo per un comando (al massimo ${p.max} caratteri).`,
  'period.compared': (p) => `${p.period}, confrontato con ${p.previous}`,
};

export const commonMessages = { en, it };
