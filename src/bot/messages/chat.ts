/** What the chat adapters themselves say (not the commands). English and Italian side by side. */
const en = {
  // Slack adapter
  'chat.workingOnIt': 'Working on it…',
  'chat.askedBy': (p: { user: string; text: string }) => `Asked by ${p.user}: ${p.text}`,
  'chat.continued': (p: { part: number; total: number }) => `(continued, part ${p.part} of ${p.total})`,
  'chat.tableTop': (p: { shown: number; total: number }) => `Showing the top ${p.shown} of ${p.total} rows.`,
  'chat.tableAsCsv': (p: { filename: string }) => `The full table is attached as ${p.filename}.`,
  'chat.textShortened': 'This answer was too long for one Slack message and was shortened.',
  'chat.buttonsDropped': (p: { count: number }) => `${p.count} more options did not fit in this message.`,
  'chat.chartUnavailable': (p: { title: string; alt: string }) => `The chart "${p.title}" could not be drawn. ${p.alt}`,
};

const it: typeof en = {
  'chat.workingOnIt': 'Ci sto lavorando…',
  'chat.askedBy': (p) => `Chiesto da ${p.user}: ${p.text}`,
  'chat.continued': (p) => `(continua, parte ${p.part} di ${p.total})`,
  'chat.tableTop': (p) => `Sono mostrate le prime ${p.shown} righe di ${p.total}.`,
  'chat.tableAsCsv': (p) => `La tabella completa è allegata come ${p.filename}.`,
  'chat.textShortened': 'Questa risposta era troppo lunga per un messaggio Slack ed è stata accorciata.',
  'chat.buttonsDropped': (p) => `Altre ${p.count} opzioni non stavano in questo messaggio.`,
  'chat.chartUnavailable': (p) => `Non è stato possibile disegnare il grafico "${p.title}". ${p.alt}`,
};

// Teams adapter
const teamsEn = {
  'teams.chartAttached': (p: { title: string }) => `The chart "${p.title}" is attached below this card.`,
  'teams.buttonExpired': 'This button no longer works. Ask me again to get a fresh answer.',
};

const teamsIt: typeof teamsEn = {
  'teams.chartAttached': (p) => `Il grafico "${p.title}" è allegato sotto questa scheda.`,
  'teams.buttonExpired': 'Questo pulsante non funziona più. Chiedimelo di nuovo per una risposta aggiornata.',
};

export const chatMessages = { en: { ...en, ...teamsEn }, it: { ...it, ...teamsIt } };
