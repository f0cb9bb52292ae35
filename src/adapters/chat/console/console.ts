import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Bot } from '../../../bot/dispatch.js';
import { saveReplyCharts } from './charts.js';
import { renderReplyText } from './render.js';

export interface ConsoleOptions {
  input: Readable;
  output: Writable & { isTTY?: boolean; columns?: number };
  outDir: string;
  /** Where earlier sessions' questions are kept for the up-arrow. */
  historyFile?: string;
  userId?: string;
}

const QUIT_WORDS = new Set(['quit', 'exit', 'esci', '\\q']);
const HISTORY_SIZE = 200;

/** The bot in the terminal: one question per line, answers as aligned text, charts as PNG files. */
export async function runConsole(bot: Bot, options: ConsoleOptions): Promise<void> {
  const history = options.historyFile ? await readHistory(options.historyFile) : [];
  const isTty = options.output.isTTY === true;
  const lines = createInterface({ input: options.input, output: options.output, terminal: isTty, history, historySize: HISTORY_SIZE, prompt: 'mkt> ' });
  const print = (text: string) => options.output.write(text + '\n');
  print('Type a question, `help` for the commands, `quit` to leave.');
  lines.prompt();
  for await (const line of lines) {
    const text = line.trim();
    if (QUIT_WORDS.has(text.toLowerCase())) break;
    if (text !== '') {
      const answer = await bot.handle({ text, platform: 'console', channelId: 'console', userId: options.userId ?? 'console' });
      const chartPaths = await saveReplyCharts(answer, options.outDir);
      print(renderReplyText(answer, { chartPaths, width: options.output.columns ?? 100, isTty }));
      history.unshift(text);
    }
    lines.prompt();
  }
  lines.close();
  if (options.historyFile) await writeFile(options.historyFile, history.slice(0, HISTORY_SIZE).join('\n')).catch(() => undefined);
}

async function readHistory(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  } catch {
    return [];
  }
}
