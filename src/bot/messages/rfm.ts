import { withArticle } from './italian.js';
const SEGMENT_NAMES_EN: Record<string, string> = {
  champions: 'Champions', loyal: 'Loyal', potential_loyalist: 'Potential Loyalist', new: 'New', promising: 'Promising',
  need_attention: 'Need Attention', about_to_sleep: 'About to Sleep', at_risk: 'At Risk', cant_lose: "Can't Lose Them",
  hibernating: 'Hibernating', lost: 'Lost',
};
const SEGMENT_NAMES_IT: Record<string, string> = {
  champions: 'Campioni', loyal: 'Fedeli', potential_loyalist: 'Potenziali fedeli', new: 'Nuovi', promising: 'Promettenti',
  need_attention: 'Da seguire', about_to_sleep: 'In via di assopimento', at_risk: 'A rischio', cant_lose: 'Da non perdere',
  hibernating: 'Dormienti', lost: 'Persi',
};

const en = {
  'help.rfm': 'RFM scores and named segments: size, revenue share, movement since the start of the period, chart',
  /** A segment's display name: the default map's ids are translated, a configured map's labels shown as given. */
  'rfm.segmentName': (p: { id: string; label: string }) => SEGMENT_NAMES_EN[p.id] ?? p.label,
  'rfm.title': (p: { asOf: string }) => `RFM segments as of ${p.asOf}`,
  'rfm.slid': (p: { count: string; since: string; to: string; value: string }) =>
    `${p.count} valuable customers (Champions, Loyal or Potential Loyalist on ${p.since}) slid into ${p.to}, worth ${p.value} in revenue to date.`,
  'rfm.noneSlid': (p: { since: string; to: string }) => `No valuable customer slid into ${p.to} since ${p.since}.`,
  'rfm.largest': (p: { segment: string; customers: string; share: string }) => `The largest segment by revenue is ${p.segment}: ${p.customers} customers, ${p.share} of revenue.`,
  'rfm.either': (p: { first: string; second: string }) => `${p.first} or ${p.second}`,
  'rfm.method': (p: { customers: string }) => `Quintile scores (5 = best) of recency, frequency (orders) and monetary value (revenue) over ${p.customers} customers.`,
  'rfm.segment': 'Segment',
  'rfm.customers': 'Customers',
  'rfm.customerShare': 'Share of customers',
  'rfm.revenue': 'Revenue',
  'rfm.revenueShare': 'Share of revenue',
  'rfm.from': (p: { day: string }) => `On ${p.day}`,
  'rfm.to': (p: { day: string }) => `On ${p.day}`,
  'rfm.notYet': 'Not yet a customer',
  'rfm.movementCaption': 'Largest moves between segments over the period (revenue to date of the customers who moved).',
  'rfm.chartTitle': 'Segments by size and revenue',
  'rfm.noCustomers': (p: { asOf: string }) => `There are no orders up to ${p.asOf}, so there are no customers to score. Try a later period.`,
};

const it: typeof en = {
  'help.rfm': 'Punteggi RFM e segmenti: dimensione, quota di fatturato, spostamenti dall\'inizio del periodo, grafico',
  'rfm.segmentName': (p) => SEGMENT_NAMES_IT[p.id] ?? p.label,
  'rfm.title': (p) => `Segmenti RFM ${withArticle('al', p.asOf)}`,
  'rfm.slid': (p) =>
    `${p.count} clienti di valore (Campioni, Fedeli o Potenziali fedeli ${withArticle('il', p.since)}) sono scivolati in ${p.to}, per ${p.value} di fatturato finora.`,
  'rfm.noneSlid': (p) => `Nessun cliente di valore è scivolato in ${p.to} ${withArticle('dal', p.since)}.`,
  'rfm.largest': (p) => `Il segmento più grande per fatturato è ${p.segment}: ${p.customers} clienti, ${withArticle('il', p.share)} del fatturato.`,
  'rfm.either': (p) => `${p.first} o ${p.second}`,
  'rfm.method': (p) => `Punteggi in quintili (5 = migliore) di recenza, frequenza (ordini) e valore (fatturato) su ${p.customers} clienti.`,
  'rfm.segment': 'Segmento',
  'rfm.customers': 'Clienti',
  'rfm.customerShare': 'Quota di clienti',
  'rfm.revenue': 'Fatturato',
  'rfm.revenueShare': 'Quota di fatturato',
  'rfm.from': (p) => withArticle('Il', p.day),
  'rfm.to': (p) => withArticle('Il', p.day),
  'rfm.notYet': 'Non ancora cliente',
  'rfm.movementCaption': 'Gli spostamenti più grandi tra segmenti nel periodo (fatturato finora dei clienti che si sono spostati).',
  'rfm.chartTitle': 'Segmenti per dimensione e fatturato',
  'rfm.noCustomers': (p) => `Non ci sono ordini fino ${withArticle('al', p.asOf)}, quindi non ci sono clienti da valutare. Prova un periodo successivo.`,
};

export const rfmMessages = { en, it };
