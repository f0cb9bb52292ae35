import { withArticle } from './italian.js';
const en = {
  'help.churn': 'Customers most at risk of churning who can still be won back, ranked by value at stake (BG/NBD and Gamma-Gamma)',
  'churn.title': (p: { asOf: string; horizon: string }) => `Churn risk as of ${p.asOf}, next ${p.horizon}`,
  'churn.summary': (p: { count: number; atStake: string; horizon: string; top: string; topAlive: string }) =>
    `The ${p.count} customers most at risk hold ${p.atStake} of expected value over the next ${p.horizon} that the model expects to lose; ${p.top} leads, with a ${p.topAlive} chance of still being active.`,
  'churn.nothingAtStake': (p: { segment: string }) => `No customer${p.segment} has value at stake: every one of them is considered active.`,
  'churn.noneWinnable': (p: { segment: string; floor: string }) =>
    `No customer${p.segment} is both at risk and still likely to be active: every repeat buyer with value at stake has at most a ${p.floor} chance of still being active.`,
  'churn.gone': (p: { count: string; isOne: boolean; floor: string; revenue: string }) =>
    `${p.count} repeat ${p.isOne ? 'buyer is' : 'buyers are'} not listed because the model counts them as already gone (at most a ${p.floor} chance of still being active, CHURN_MIN_P_ALIVE); they spent ${p.revenue} in the past.`,
  'churn.inSegment': (p: { segment: string }) => ` in ${p.segment}`,
  'churn.oneTimeBuyers': (p: { count: string }) =>
    `${p.count} one-time buyers are not ranked: BG/NBD lets a customer drop out only after a repeat purchase, so it counts them as active (P(alive) = 1).`,
  'churn.horizonDays': (p: { days: number }) => `${p.days} days`,
  'churn.customer': 'Customer',
  'churn.segment': 'RFM segment',
  'churn.lastOrder': 'Last order',
  'churn.pAlive': 'P(alive)',
  'churn.expectedPurchases': 'Expected purchases',
  'churn.expectedValue': 'Expected value',
  'churn.valueAtStake': 'Value at stake',
  'churn.caption': (p: { shown: number; total: number }) => `Top ${p.shown} of ${p.total}; the attached CSV has them all.`,
  'churn.csvTitle': 'Customers at risk (CSV)',
  'churn.model': 'Model',
  'churn.timeUnit': 'Time unit',
  'churn.unitDay': 'day',
  'churn.unitWeek': 'week',
  'churn.logLikelihood': 'BG/NBD log-likelihood',
  'churn.converged': 'Converged',
  'churn.yes': 'yes',
  'churn.no': 'no',
  'churn.notConverged': (p: { asOf: string }) =>
    `The churn model could not be fitted reliably to the orders up to ${p.asOf} (the fit did not converge), so I will not rank customers on it. More repeat purchases, or \`time-unit day\`, usually help.`,
  'churn.tooFewRepeatBuyers': (p: { repeatBuyers: number; min: number; asOf: string }) =>
    `Only ${p.repeatBuyers} customers bought more than once by ${p.asOf}; the churn model needs at least ${p.min} repeat buyers to be fitted. Try a later \`as-of\` day once more customers have returned.`,
  'churn.noCustomers': (p: { asOf: string }) => `There are no orders up to ${p.asOf}, so there is nobody to rank.`,
  'churn.optionHorizon': (p: { example: string }) => `\`horizon\` takes a number of days or weeks, e.g. \`${p.example}\`.`,
  'churn.optionUnit': (p: { value: string }) => `"${p.value}" is not a time unit. Valid: day, week.`,
  'churn.segmentWhat': 'RFM segment',
};

const it: typeof en = {
  'help.churn': 'Clienti a maggior rischio di abbandono che si possono ancora recuperare, ordinati per valore a rischio (BG/NBD e Gamma-Gamma)',
  'churn.title': (p) => `Rischio di abbandono ${withArticle('al', p.asOf)}, prossimi ${p.horizon}`,
  'churn.summary': (p) =>
    `I ${p.count} clienti più a rischio valgono ${p.atStake} di valore atteso nei prossimi ${p.horizon} che il modello prevede di perdere; in testa c'è ${p.top}, con una probabilità ${withArticle('del', p.topAlive)} di essere ancora attivo.`,
  'churn.nothingAtStake': (p) => `Nessun cliente${p.segment} ha valore a rischio: il modello li considera tutti attivi.`,
  'churn.noneWinnable': (p) =>
    `Nessun cliente${p.segment} è insieme a rischio e ancora probabilmente attivo: ogni cliente con riacquisti e valore a rischio ha al massimo il ${p.floor} di probabilità di essere ancora attivo.`,
  'churn.gone': (p) => p.isOne
    ? `${p.count} cliente con riacquisti non è in elenco perché il modello lo considera già perso (al massimo il ${p.floor} di probabilità di essere ancora attivo, CHURN_MIN_P_ALIVE); in passato ha speso ${p.revenue}.`
    : `${p.count} clienti con riacquisti non sono in elenco perché il modello li considera già persi (al massimo il ${p.floor} di probabilità di essere ancora attivi, CHURN_MIN_P_ALIVE); in passato hanno speso ${p.revenue}.`,
  'churn.inSegment': (p) => ` in ${p.segment}`,
  'churn.oneTimeBuyers': (p) =>
    `${p.count} clienti con un solo acquisto non sono in classifica: BG/NBD fa abbandonare un cliente solo dopo un riacquisto, quindi li considera attivi (P(attivo) = 1).`,
  'churn.horizonDays': (p) => `${p.days} giorni`,
  'churn.customer': 'Cliente',
  'churn.segment': 'Segmento RFM',
  'churn.lastOrder': 'Ultimo ordine',
  'churn.pAlive': 'P(attivo)',
  'churn.expectedPurchases': 'Acquisti attesi',
  'churn.expectedValue': 'Valore atteso',
  'churn.valueAtStake': 'Valore a rischio',
  'churn.caption': (p) => `I primi ${p.shown} di ${p.total}; il CSV allegato li contiene tutti.`,
  'churn.csvTitle': 'Clienti a rischio (CSV)',
  'churn.model': 'Modello',
  'churn.timeUnit': 'Unità di tempo',
  'churn.unitDay': 'giorno',
  'churn.unitWeek': 'settimana',
  'churn.logLikelihood': 'Log-verosimiglianza BG/NBD',
  'churn.converged': 'Convergenza',
  'churn.yes': 'sì',
  'churn.no': 'no',
  'churn.notConverged': (p) =>
    `Il modello di abbandono non si adatta in modo affidabile agli ordini fino ${withArticle('al', p.asOf)} (la stima non converge), quindi non classifico i clienti. Più acquisti ripetuti, o \`time-unit day\`, di solito aiutano.`,
  'churn.tooFewRepeatBuyers': (p) =>
    `Solo ${p.repeatBuyers} clienti hanno acquistato più di una volta entro ${withArticle('il', p.asOf)}; il modello di abbandono richiede almeno ${p.min} clienti con riacquisti. Riprova con un giorno \`as-of\` successivo, quando più clienti saranno tornati.`,
  'churn.noCustomers': (p) => `Non ci sono ordini fino ${withArticle('al', p.asOf)}, quindi non c'è nessuno da ordinare.`,
  'churn.optionHorizon': (p) => `\`horizon\` vuole un numero di giorni o settimane, per esempio \`${p.example}\`.`,
  'churn.optionUnit': (p) => `"${p.value}" non è un'unità di tempo. Valori possibili: day, week.`,
  'churn.segmentWhat': 'segmento RFM',
};

export const churnMessages = { en, it };
