import type { AnyCommand } from '../command.js';
import { createHelp } from './help.js';
import { kpi } from './kpi.js';
import { budget } from './budget.js';
import { changes } from './changes.js';
import { attribution } from './attribution.js';
import { rfm } from './rfm.js';
import { churn } from './churn.js';
import { segment } from './segment.js';

/** Every command, in the order `help` lists them. A new command is one file and one line here. */
export const commands: readonly AnyCommand[] = [
  createHelp(() => commands),
  kpi,
  budget,
  changes,
  attribution,
  rfm,
  churn,
  segment,
];
