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
  // The delivery queue, when a platform refused a message's size
  'chat.reduced.chart': (p: { title: string; alt: string }) => `The chart "${p.title}" was left out to fit this message. ${p.alt}`,
  'chat.reduced.rows': (p: { cut: number; shown: number; filename: string }) => `${p.cut} more rows were cut to fit this message (the top ${p.shown} are shown); every row is in ${p.filename}.`,
  'chat.reduced.items': (p: { cut: number }) => `${p.cut} more items were cut to fit this message.`,
  'chat.reduced.all': 'The full answer was too large for one message. Ask me again in a direct message to get it with its files.',
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
  'chat.reduced.chart': (p) => `Il grafico "${p.title}" è stato tolto per far stare il messaggio. ${p.alt}`,
  'chat.reduced.rows': (p) => `Altre ${p.cut} righe sono state tolte per far stare il messaggio (sono mostrate le prime ${p.shown}); tutte le righe sono in ${p.filename}.`,
  'chat.reduced.items': (p) => `Altre ${p.cut} voci sono state tolte per far stare il messaggio.`,
  'chat.reduced.all': 'La risposta completa era troppo grande per un messaggio. Chiedimela di nuovo in un messaggio diretto per averla con i suoi file.',
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
