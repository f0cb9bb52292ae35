import type { AnyCommand } from '../command.js';
import { createHelpCommand } from './help.js';
import { incident } from './incident.js';
import { incidents } from './incidents.js';
import { kpi } from './kpi.js';
import { mute } from './mute.js';
import { attribution } from './attribution.js';
import { budget } from './budget.js';
import { changes } from './changes.js';
import { churn } from './churn.js';
import { createDigestCommand } from './digest.js';
import { rfm } from './rfm.js';
import { segment } from './segment.js';
import { speed } from './speed.js';
import { tracking } from './tracking.js';

/** Every command, in the order `help` lists them. A new command is one file and one line here. */
export const commands: readonly AnyCommand[] = [
  createHelpCommand(() => commands),
  kpi,
  rfm,
  churn,
  attribution,
  segment,
  budget,
  changes,
  tracking,
  speed,
  createDigestCommand(() => commands),
  incidents,
  incident,
  mute,
];
