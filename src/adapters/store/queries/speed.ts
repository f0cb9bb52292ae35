import type { LabRun } from '../../../analytics/monitors/page-speed.js';
import type { FieldDay, LabDay, SpeedData, TimeRange } from '../../../bot/data-port.js';
import type { Db } from '../db.js';

/**
 * Lab runs in [start, end), oldest first, of one form factor or of both: what the `speed` command and
 * the page-speed monitor judge regressions on. One JSON value comes back: PGlite turns each row into
 * a JS object one by one, and the monitor reads hundreds of runs every quarter hour.
 */
export async function labRuns(db: Db, range: TimeRange, formFactor: string | null = null): Promise<LabRun[]> {
  type Cells = [number, string, 'mobile' | 'desktop', number | null, number | null, number | null, number | null, number | null];
  const [row] = await db.query<{ runs: Cells[] | null }>(
    `SELECT json_agg(json_build_array(extract(epoch FROM at) * 1000, url, form_factor, performance_score, lcp_ms, tbt_ms, third_party_ms, third_party_bytes) ORDER BY at, url) AS runs
       FROM pagespeed_runs WHERE kind = 'lab' AND at >= $1 AND at < $2 AND ($3::text IS NULL OR form_factor = $3)`,
    [range.start, range.end, formFactor],
  );
  return (row?.runs ?? []).map(([atMs, url, formFactor, score, lcpMs, tbtMs, thirdPartyMs, thirdPartyBytes]) => ({ atMs, url, formFactor, score, lcpMs, tbtMs, thirdPartyMs, thirdPartyBytes }));
}

/** Page-speed runs as daily medians (lab) and daily p75s (field) per URL, in SQL. */
export function speedQueries(db: Db): SpeedData {
  return {
    async measuredUrls(before: Date) {
      const rows = await db.query<{ url: string }>('SELECT DISTINCT url FROM pagespeed_runs WHERE at < $1 ORDER BY url', [before]);
      return rows.map((row) => row.url);
    },

    labRuns: (range: TimeRange, formFactor: string) => labRuns(db, range, formFactor),

    /** The median of each day's lab runs: one slow run does not move it. */
    async labDays(range: TimeRange, formFactor: string, timeZone: string): Promise<LabDay[]> {
      return db.query<LabDay>(
        `SELECT url, to_char((at AT TIME ZONE $4)::date, 'YYYY-MM-DD') AS day, count(*)::int AS runs,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY performance_score)::float8 AS "performanceScore",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY lcp_ms)::float8 AS "lcpMs",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY fcp_ms)::float8 AS "fcpMs",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY speed_index_ms)::float8 AS "speedIndexMs",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY tbt_ms)::float8 AS "tbtMs",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY cls::numeric)::float8 AS cls,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY third_party_ms)::float8 AS "thirdPartyMs",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY third_party_bytes)::float8 AS "thirdPartyBytes"
           FROM pagespeed_runs
          WHERE kind = 'lab' AND form_factor = $3 AND at >= $1 AND at < $2
          GROUP BY url, 2 ORDER BY url, 2`,
        [range.start, range.end, formFactor, timeZone],
      );
    },

    /**
     * Field (CrUX) p75s, the latest record of each day. CLS goes through numeric: a real 0.1 read as
     * float8 is 0.10000000149, which would judge a CLS of exactly 0.1 (good) as needing improvement.
     */
    async fieldDays(range: TimeRange, formFactor: string, timeZone: string): Promise<FieldDay[]> {
      return db.query<FieldDay>(
        `SELECT DISTINCT ON (url, (at AT TIME ZONE $4)::date)
                url, to_char((at AT TIME ZONE $4)::date, 'YYYY-MM-DD') AS day,
                lcp_ms::float8 AS "lcpMs", fcp_ms::float8 AS "fcpMs", inp_ms::float8 AS "inpMs", cls::numeric::float8 AS cls, ttfb_ms::float8 AS "ttfbMs"
           FROM pagespeed_runs
          WHERE kind = 'field' AND form_factor = $3 AND at >= $1 AND at < $2
          ORDER BY url, (at AT TIME ZONE $4)::date, at DESC`,
        [range.start, range.end, formFactor, timeZone],
      );
    },
  };
}
