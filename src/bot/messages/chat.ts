/** What the chat adapters themselves say (not the commands). English and Italian side by side. */
const en = {
  // Slack adapter
  'chat.workingOnIt': 'Working on it…',
  'chat.otherWorkspace': 'Sorry, I only answer in the Slack workspace I was installed in.',
  'chat.askedBy': (p: { user: string; text: string }) => `Asked by ${p.user}: ${p.text}`,
  'chat.continued': (p: { part: number; total: number }) => `(continued, part ${p.part} of ${p.total})`,
  'chat.tableTop': (p: { shown: number; total: number }) => `Showing the top ${p.shown} of ${p.total} rows.`,
  'chat.tableAsCsv': (p: { filename: string }) => `The full table is attached as ${p.filename}.`,
  'chat.textShortened': 'This answer was too long for one Slack message and was shortened.',
  'chat.buttonsDropped': (p: { count: number }) => `${p.count} more options did not fit in this message.`,
  'chat.chartUnavailable': (p: { title: string; alt: string }) => `The chart "${p.title}" could not be drawn. ${p.alt}`,
  // Where the bot is not a member, answers go through the command's response_url, which carries no files
  'chat.chartNotHere': (p: { title: string; alt: string }) => `Chart "${p.title}": ${p.alt}`,
  'chat.filesNotHere': 'I am not a member of this conversation, so I cannot share charts or files here. Invite me, or ask me in our direct messages, to get them.',
  // The delivery queue, when a platform refused a message's size
  'chat.reduced.chart': (p: { title: string; alt: string }) => `The chart "${p.title}" was left out to fit this message. ${p.alt}`,
  'chat.reduced.rows': (p: { cut: number; shown: number; filename: string }) => `${p.cut} more rows were cut to fit this message (the top ${p.shown} are shown); every row is in ${p.filename}.`,
  'chat.reduced.items': (p: { cut: number }) => `${p.cut} more items were cut to fit this message.`,
  'chat.reduced.all': 'The full answer was too large for one message. Ask me again in a direct message to get it with its files.',
  // The delivery queue, telling the person who asked that an answer could not be posted
  'chat.undelivered.title': 'I could not post my answer',
  'chat.undelivered.summary': (p: { what: string }) => `My answer ${p.what} could not be posted where you asked for it.`,
  'chat.undelivered.notMember': 'I am not a member of that conversation. Invite me there, or ask me here in our direct messages.',
  'chat.undelivered.tryAgain': 'Please ask again in a few minutes. If it keeps happening, tell whoever runs this bot: the details are in its log.',
  'chat.undelivered.untitled': 'to your question',
};

const it: typeof en = {
  'chat.workingOnIt': 'Ci sto lavorando…',
  'chat.otherWorkspace': 'Mi dispiace, rispondo solo nello spazio di lavoro Slack in cui sono stato installato.',
  'chat.askedBy': (p) => `Chiesto da ${p.user}: ${p.text}`,
  'chat.continued': (p) => `(continua, parte ${p.part} di ${p.total})`,
  'chat.tableTop': (p) => `Sono mostrate le prime ${p.shown} righe di ${p.total}.`,
  'chat.tableAsCsv': (p) => `La tabella completa è allegata come ${p.filename}.`,
  'chat.textShortened': 'Questa risposta era troppo lunga per un messaggio Slack ed è stata accorciata.',
  'chat.buttonsDropped': (p) => `Altre ${p.count} opzioni non stavano in questo messaggio.`,
  'chat.chartUnavailable': (p) => `Non è stato possibile disegnare il grafico "${p.title}". ${p.alt}`,
  'chat.chartNotHere': (p) => `Grafico "${p.title}": ${p.alt}`,
  'chat.filesNotHere': 'Non faccio parte di questa conversazione, quindi qui non posso condividere grafici o file. Invitami, oppure chiedimelo nei nostri messaggi diretti, per averli.',
  'chat.reduced.chart': (p) => `Il grafico "${p.title}" è stato tolto per far stare il messaggio. ${p.alt}`,
  'chat.reduced.rows': (p) => `Altre ${p.cut} righe sono state tolte per far stare il messaggio (sono mostrate le prime ${p.shown}); tutte le righe sono in ${p.filename}.`,
  'chat.reduced.items': (p) => `Altre ${p.cut} voci sono state tolte per far stare il messaggio.`,
  'chat.reduced.all': 'La risposta completa era troppo grande per un messaggio. Chiedimela di nuovo in un messaggio diretto per averla con i suoi file.',
  'chat.undelivered.title': 'Non sono riuscito a pubblicare la risposta',
  'chat.undelivered.summary': (p) => `La mia risposta ${p.what} non è stata pubblicata dove l'hai chiesta.`,
  'chat.undelivered.notMember': 'Non faccio parte di quella conversazione. Invitami lì, oppure chiedimelo qui nei nostri messaggi diretti.',
  'chat.undelivered.tryAgain': 'Riprova tra qualche minuto. Se succede ancora, avvisa chi gestisce questo bot: i dettagli sono nel suo log.',
  'chat.undelivered.untitled': 'alla tua domanda',
};

// Teams adapter
const teamsEn = {
  'teams.chartAttached': (p: { title: string }) => `The chart "${p.title}" is attached below this card.`,
  'teams.buttonExpired': 'This button no longer works. Ask me again to get a fresh answer.',
  'teams.download': (p: { name: string; url: string }) => `Download [${p.name}](${p.url}) (the link works for 30 days).`,
  'teams.fileConsent': (p: { name: string }) => `${p.name}, from the bot's answer`,
  'teams.fileSaved': (p: { name: string }) => `${p.name} is in your OneDrive now.`,
  'teams.welcome.title': 'Hello! I answer questions about your marketing and your site',
  'teams.welcome.summary': 'Mention me with a question in a channel, or write to me in a chat. Here is what I can do, with an example for each.',
};

const teamsIt: typeof teamsEn = {
  'teams.chartAttached': (p) => `Il grafico "${p.title}" è allegato sotto questa scheda.`,
  'teams.buttonExpired': 'Questo pulsante non funziona più. Chiedimelo di nuovo per una risposta aggiornata.',
  'teams.download': (p) => `Scarica [${p.name}](${p.url}) (il link vale 30 giorni).`,
  'teams.fileConsent': (p) => `${p.name}, dalla risposta del bot`,
  'teams.fileSaved': (p) => `${p.name} ora è nel tuo OneDrive.`,
  'teams.welcome.title': 'Ciao! Rispondo a domande sul vostro marketing e sul vostro sito',
  'teams.welcome.summary': 'Menzionami con una domanda in un canale, o scrivimi in una chat. Ecco cosa so fare, con un esempio per ciascuna cosa.',
};

export const chatMessages = { en: { ...en, ...teamsEn }, it: { ...it, ...teamsIt } };
