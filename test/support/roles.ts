import type { Roles } from '../../src/bot/roles.js';

/** A team's roles: one admin, developer and marketing owners, a digest owner, each team's incident channel. */
export const TEAM_ROLES: Roles = {
  admins: ['UADMIN'],
  owners: { dev: ['UDEV', 'teams:29:dev-lead'], marketing: ['UMKT'] },
  digestOwners: ['UMANAGER'],
  teamChannels: { dev: 'slack:CDEVINC', marketing: 'teams:19:marketing@thread.tacv2' },
};
