import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Reads a request body of at most `maxBytes`, or answers 413 and returns undefined. A declared
 * Content-Length over the cap is refused before a byte is read; a chunked body is cut off at the
 * cap. The connection is closed after the refusal, so the rest of the body is never read.
 */
export function readCappedBody(request: IncomingMessage, response: ServerResponse, maxBytes: number): Promise<Buffer | undefined> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    refuseUnread(request, response, 413, { error: `the body is larger than ${maxBytes} bytes` });
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      request.off('data', onData).off('end', onEnd);
      refuseUnread(request, response, 413, { error: `the body is larger than ${maxBytes} bytes` });
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    request.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

/** Answers without reading (the rest of) the body: paused, and the connection closed once answered. */
export function refuseUnread(request: IncomingMessage, response: ServerResponse, status: number, body: object): void {
  request.pause();
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  response.end(JSON.stringify(body));
}
