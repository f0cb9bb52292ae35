/** The text alternative of every chart (what a screen reader or a text-only client shows). English and Italian side by side. */
const en = {
  'chart.bar': (p: { title: string; series: string; categories: string; highest: string }) => `${p.title}. Bar chart of ${p.series} for ${p.categories}. ${p.highest}`,
  'chart.horizontalBar': (p: { title: string; series: string; categories: string; highest: string }) => `${p.title}. Horizontal bar chart of ${p.series} for ${p.categories}. ${p.highest}`,
  'chart.highest': (p: { series: string; label: string }) => `Highest ${p.series}: ${p.label}.`,
  'chart.stackedBar': (p: { title: string; series: string; categories: string; largest: string }) => `${p.title}. Stacked bar chart of ${p.series} for ${p.categories}. Largest total: ${p.largest}.`,
  'chart.categories': (p: { count: number; list: string }) => `${p.count} ${p.count === 1 ? 'category' : 'categories'} (${p.list})`,
  'chart.categoriesMore': (p: { count: number; list: string; more: number }) => `${p.count} categories (${p.list} and ${p.more} more)`,
  'chart.line': (p: { title: string; series: string; points: number }) => `${p.title}. Line chart of ${p.series} over ${p.points} ${p.points === 1 ? 'point' : 'points'}.`,
  'chart.lineFromTo': (p: { title: string; series: string; points: number; from: string; to: string }) => `${p.title}. Line chart of ${p.series} over ${p.points} ${p.points === 1 ? 'point' : 'points'} from ${p.from} to ${p.to}.`,
  'chart.band': (p: { lower: string; upper: string; outside: string }) => `Shaded band between ${p.lower} and ${p.upper}; ${p.outside}.`,
  'chart.pointsOutside': (p: { count: number; total: number; series: string }) => `${p.count} of ${p.total} ${p.total === 1 ? 'point' : 'points'} of ${p.series} ${p.count === 1 ? 'falls' : 'fall'} outside it`,
  'chart.noSeries': 'no series to compare',
  'chart.marked': (p: { markers: string }) => `Marked: ${p.markers}.`,
  'chart.markerAt': (p: { label: string; at: string }) => `${p.label} at ${p.at}`,
  'chart.bullet': (p: { title: string; actual: string; expected: string; cap: string; categories: string; over: string; ahead: string }) =>
    `${p.title}. Bullet chart of ${p.actual} against ${p.expected} and ${p.cap} for ${p.categories}. Over ${p.cap}: ${p.over}. Above ${p.expected} but within ${p.cap}: ${p.ahead}.`,
  'chart.none': 'none',
};

const it: typeof en = {
  'chart.bar': (p) => `${p.title}. Grafico a barre di ${p.series} per ${p.categories}. ${p.highest}`,
  'chart.horizontalBar': (p) => `${p.title}. Grafico a barre orizzontali di ${p.series} per ${p.categories}. ${p.highest}`,
  'chart.highest': (p) => `Valore più alto di ${p.series}: ${p.label}.`,
  'chart.stackedBar': (p) => `${p.title}. Grafico a barre impilate di ${p.series} per ${p.categories}. Totale più alto: ${p.largest}.`,
  'chart.categories': (p) => `${p.count} ${p.count === 1 ? 'categoria' : 'categorie'} (${p.list})`,
  'chart.categoriesMore': (p) => `${p.count} categorie (${p.list} e altre ${p.more})`,
  'chart.line': (p) => `${p.title}. Grafico a linee di ${p.series} su ${p.points} ${p.points === 1 ? 'punto' : 'punti'}.`,
  'chart.lineFromTo': (p) => `${p.title}. Grafico a linee di ${p.series} su ${p.points} ${p.points === 1 ? 'punto' : 'punti'}, da ${p.from} a ${p.to}.`,
  'chart.band': (p) => `Fascia ombreggiata tra ${p.lower} e ${p.upper}; ${p.outside}.`,
  'chart.pointsOutside': (p) => `${p.count} ${p.count === 1 ? 'punto' : 'punti'} su ${p.total} di ${p.series} ${p.count === 1 ? 'ne resta' : 'ne restano'} fuori`,
  'chart.noSeries': 'nessuna serie da confrontare',
  'chart.marked': (p) => `Segnati: ${p.markers}.`,
  'chart.markerAt': (p) => `${p.label} (${p.at})`,
  'chart.bullet': (p) =>
    `${p.title}. Grafico bullet di ${p.actual} rispetto a ${p.expected} e ${p.cap} per ${p.categories}. Oltre ${p.cap}: ${p.over}. Sopra ${p.expected} ma entro ${p.cap}: ${p.ahead}.`,
  'chart.none': 'nessuno',
};

export const chartMessages = { en, it };
