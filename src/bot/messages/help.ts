const en = {
  'help.title': 'What I can do',
  'help.summary': 'Ask me in plain words or with a command; periods like `last 30d`, `this month` or `2026-10-01..2026-10-31` work everywhere.',
  'help.commandTitle': (p: { command: string }) => `Help: ${p.command}`,
  'help.examples': 'Examples',
  'help.command': 'Command',
  'help.periods': 'Periods: `last 7d`, `last 4w`, `last 90d`, `this month`, `last month`, `2026-10-01..2026-10-31`, `since 2026-01-01`. Comparisons use the previous period of the same length.',
  'help.kpi': 'Revenue, orders, AOV, conversion rate, new vs returning customers, with deltas',
};

const it: typeof en = {
  'help.title': 'Cosa so fare',
  'help.summary': 'Chiedimi a parole o con un comando; periodi come `last 30d`, `this month` o `2026-10-01..2026-10-31` funzionano ovunque.',
  'help.commandTitle': (p) => `Aiuto: ${p.command}`,
  'help.examples': 'Esempi',
  'help.command': 'Comando',
  'help.periods': 'Periodi: `last 7d`, `last 4w`, `last 90d`, `this month`, `last month`, `2026-10-01..2026-10-31`, `since 2026-01-01` (anche `ultimi 30 giorni`, `questo mese`, `ultimo mese`). I confronti usano il periodo precedente della stessa durata.',
  'help.kpi': 'Fatturato, ordini, scontrino medio, tasso di conversione, clienti nuovi e di ritorno, con le variazioni',
};

export const helpMessages = { en, it };
