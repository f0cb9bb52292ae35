// Capture rate: conversions the analytics tool reported against orders the backend recorded,
// per day and channel. The backend is the truth; the shortfall is what tracking failed to see.

export type ReportedConversions = { day: string; channel: string; conversions: number };
export type BackendOrders = { day: string; channel: string; orders: number };

export type Capture = {
  reported: number;
  backend: number;
  /** reported / backend; null when the backend recorded nothing. Above 1 means over-reporting. */
  captureRate: number | null;
  /** backend − reported, net: over-reporting in one cell offsets a shortfall in another. */
  gap: number;
  /** Sum over day × channel cells of max(0, backend − reported): orders analytics did not record. */
  unrecorded: number;
};

export type CaptureReport = {
  overall: Capture;
  byChannel: (Capture & { channel: string })[];
  byDay: (Capture & { day: string })[];
  byDayAndChannel: (Capture & { day: string; channel: string })[];
};

type Cell = { day: string; channel: string; reported: number; backend: number };

function capture(cells: readonly Cell[]): Capture {
  let reported = 0;
  let backend = 0;
  let unrecorded = 0;
  for (const cell of cells) {
    reported += cell.reported;
    backend += cell.backend;
    unrecorded += Math.max(0, cell.backend - cell.reported);
  }
  return { reported, backend, captureRate: backend > 0 ? reported / backend : null, gap: backend - reported, unrecorded };
}

function groupBy(cells: readonly Cell[], keyOf: (cell: Cell) => string): Map<string, Cell[]> {
  const groups = new Map<string, Cell[]>();
  for (const cell of cells) {
    const group = groups.get(keyOf(cell));
    if (group) group.push(cell);
    else groups.set(keyOf(cell), [cell]);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A day and channel present on one side only counts as 0 on the other. Groups sort by key. */
export function captureRate(
  reported: readonly ReportedConversions[],
  backend: readonly BackendOrders[],
): CaptureReport {
  const cells = new Map<string, Cell>();
  const cellFor = (day: string, channel: string): Cell => {
    const key = JSON.stringify([day, channel]);
    const cell = cells.get(key) ?? { day, channel, reported: 0, backend: 0 };
    cells.set(key, cell);
    return cell;
  };
  for (const row of reported) cellFor(row.day, row.channel).reported += row.conversions;
  for (const row of backend) cellFor(row.day, row.channel).backend += row.orders;
  const all = [...cells.values()];
  return {
    overall: capture(all),
    byChannel: [...groupBy(all, (c) => c.channel)].map(([channel, group]) => ({ channel, ...capture(group) })),
    byDay: [...groupBy(all, (c) => c.day)].map(([day, group]) => ({ day, ...capture(group) })),
    byDayAndChannel: [...groupBy(all, (c) => JSON.stringify([c.day, c.channel]))].map(([, group]) => ({
      day: group[0]?.day ?? '',
      channel: group[0]?.channel ?? '',
      ...capture(group),
    })),
  };
}
