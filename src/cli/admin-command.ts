import type { App } from '../app.js';

/** An operator command of the `mkt` CLI (not a chat command): `mkt db migrate`, `mkt demo seed`, ... */
export interface AdminCommand {
  /** The words that select it, e.g. ['demo', 'seed']. */
  words: readonly string[];
  usage: string;
  description: string;
  /** Receives the arguments after its words; returns the process exit code. */
  run(args: readonly string[], app: App, io: CliIo): Promise<number>;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** A line that redraws itself on a terminal (progress), or plain lines elsewhere. */
  progress(text: string): void;
}
