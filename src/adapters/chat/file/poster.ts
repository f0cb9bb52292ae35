import { appendFile, readFile } from 'node:fs/promises';
import type { ChatPoster, DeliveryResult } from '../../../bot/outbound.js';
import type { Reply } from '../../../bot/reply.js';

/** One line of the sink file: what was posted or edited, where. */
export interface FileSinkLine {
  kind: 'post' | 'update';
  messageId: string;
  channelId: string;
  threadId?: string;
  reply: Reply;
}

/**
 * A chat platform that is a JSON-lines file, so digests and incidents always have somewhere to
 * go (no chat credentials, CI, demos). A post's message id is its line number in the file, so
 * ids are sequential and keep counting across restarts.
 */
export function createFilePoster(path: string): ChatPoster {
  let linesWritten: number | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  // One append at a time, so line numbers and ids stay in step within the process.
  const appendLine = (line: (lineNumber: number) => FileSinkLine): Promise<DeliveryResult<number>> => {
    const next = tail.then(async (): Promise<DeliveryResult<number>> => {
      try {
        linesWritten ??= await countLines(path);
        const lineNumber = linesWritten + 1;
        await appendFile(path, JSON.stringify(line(lineNumber)) + '\n', 'utf8');
        linesWritten = lineNumber;
        return { ok: true, value: lineNumber };
      } catch (error) {
        return { ok: false, problem: { kind: 'transient', message: `cannot append to ${path}: ${error instanceof Error ? error.message : String(error)}` } };
      }
    });
    tail = next;
    return next;
  };

  return {
    platform: 'file',
    async post(target, reply: Reply) {
      const written = await appendLine((lineNumber) => ({
        kind: 'post', messageId: String(lineNumber), channelId: target.channelId, ...(target.threadId ? { threadId: target.threadId } : {}), reply,
      }));
      if (!written.ok) return written;
      const messageId = String(written.value);
      return { ok: true, value: { messageId, threadId: target.threadId ?? messageId } };
    },
    async update(target, reply: Reply) {
      const written = await appendLine(() => ({ kind: 'update', messageId: target.messageId, channelId: target.channelId, reply }));
      return written.ok ? { ok: true, value: undefined } : written;
    },
  };
}

async function countLines(path: string): Promise<number> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '').length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
