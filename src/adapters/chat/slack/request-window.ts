import type { IncomingMessage, ServerResponse } from 'node:http';

/** Slack's documented replay window: a signed request more than 5 minutes from now, either way, is refused. */
const SLACK_REQUEST_WINDOW_S = 5 * 60;

/**
 * Bolt 5.1.0 refuses only timestamps older than the window (receivers/verify-request.ts); a request
 * signed with a future timestamp would stay replayable until that time has passed. This check runs
 * before Bolt's, on the header alone; Bolt then verifies the signature over the raw body.
 */
export function isWithinRequestWindow(timestampHeader: string | string[] | undefined, nowMs: number): boolean {
  if (typeof timestampHeader !== 'string' || !/^\d{1,12}$/.test(timestampHeader)) return false;
  return Math.abs(nowMs / 1000 - Number(timestampHeader)) <= SLACK_REQUEST_WINDOW_S;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Wraps a request listener so requests outside the window get 401 before anything reads their body. */
export function guardRequestWindow(listener: RequestListener, clock: () => Date): RequestListener {
  return (req, res) => {
    if (req.method === 'POST' && !isWithinRequestWindow(req.headers['x-slack-request-timestamp'], clock().getTime())) {
      res.writeHead(401).end();
      return;
    }
    listener(req, res);
  };
}
