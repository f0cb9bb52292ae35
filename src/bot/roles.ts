import type { BotRequest } from './command.js';

/**
 * Who may change what others rely on (ADMINS, DEV_OWNERS, MARKETING_OWNERS, DIGEST_OWNERS). Entries
 * are Slack or Teams user or channel ids, plain (U0123, C0456) or with their platform (slack:C0456).
 * Reading stays open to everyone; the terminal and the `mkt` CLI are the operator's and always may.
 */
export interface Roles {
  admins: readonly string[];
  owners: { dev: readonly string[]; marketing: readonly string[] };
  digestOwners: readonly string[];
  /** Where each team's incidents are posted (DEV_CHANNEL, MARKETING_CHANNEL): an incident's own channels. */
  teamChannels: { dev: string; marketing: string };
}

export type Team = 'dev' | 'marketing';

/** No role configured: everyone may change everything, as on a local demo. */
export const OPEN_ROLES: Roles = { admins: [], owners: { dev: [], marketing: [] }, digestOwners: [], teamChannels: { dev: 'console', marketing: 'console' } };

export function areRolesEnforced(roles: Roles): boolean {
  return roles.admins.length + roles.owners.dev.length + roles.owners.marketing.length + roles.digestOwners.length > 0;
}

/** Whether `entries` name the asker or the channel asked in. */
function names(entries: readonly string[], request: BotRequest): boolean {
  const { platform, userId, channelId } = request;
  return entries.some((entry) => entry === userId || entry === channelId || entry === `${platform}:${userId}` || entry === `${platform}:${channelId}`);
}

function isOperator(request: BotRequest): boolean {
  return request.platform === 'console' || request.platform === 'cli';
}

export function isAdmin(roles: Roles, request: BotRequest): boolean {
  return isOperator(request) || !areRolesEnforced(roles) || names(roles.admins, request);
}

/** An incident: its team's owners, the channels its posts go to, and admins. */
export function mayChangeIncident(roles: Roles, request: BotRequest, ownerTeam: Team | 'both'): boolean {
  if (isAdmin(roles, request)) return true;
  const teams: Team[] = ownerTeam === 'both' ? ['dev', 'marketing'] : [ownerTeam];
  return teams.some((team) => names(roles.owners[team], request) || names([roles.teamChannels[team]], request));
}

/** A monitor's silence applies to every team: any team's owners or channel, and admins. */
export function mayMuteMonitors(roles: Roles, request: BotRequest): boolean {
  return mayChangeIncident(roles, request, 'both');
}

export function mayManageDigests(roles: Roles, request: BotRequest): boolean {
  return isAdmin(roles, request) || names(roles.digestOwners, request);
}
