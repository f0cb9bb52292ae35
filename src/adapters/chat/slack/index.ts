export { startSlack, SLACK_EVENTS_PATH } from './start.js';
export type { RunningSlack, SlackConfig, SlackDeps } from './start.js';
export { createSlackPoster } from './poster.js';
export type { SlackPosterOptions } from './poster.js';
