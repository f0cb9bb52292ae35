/** Refusals of state changes the asker may not make (src/bot/roles.ts). Reading stays open, so each says how to read instead. */
type IncidentAction = 'ack' | 'resolve' | 'mute';
type TeamName = 'dev' | 'marketing' | 'both';

const EN_VERBS: Record<IncidentAction, string> = { ack: 'acknowledge', resolve: 'resolve', mute: 'mute' };
const EN_TEAMS: Record<TeamName, string> = { dev: 'developers\'', marketing: 'marketing team\'s', both: 'developers\' and marketing team\'s' };
const IT_VERBS: Record<IncidentAction, string> = { ack: 'prendere in carico', resolve: 'risolvere', mute: 'silenziare' };
const IT_TEAMS: Record<TeamName, string> = { dev: 'degli sviluppatori', marketing: 'del marketing', both: 'degli sviluppatori e del marketing' };

const en = {
  'roles.incident': (p: { action: IncidentAction; id: number; team: TeamName }) =>
    `Only the ${EN_TEAMS[p.team]} owners, the incident's own channel and admins may ${EN_VERBS[p.action]} incident ${p.id}. You can still read it: \`incident ${p.id}\`. To be added, ask an admin (DEV_OWNERS, MARKETING_OWNERS).`,
  'roles.mute': 'Only the developers\' and marketing team\'s owners, their incident channels and admins may mute monitors. `incidents` still shows what they found. To be added, ask an admin (DEV_OWNERS, MARKETING_OWNERS).',
  'roles.digest': 'Only digest owners and admins may subscribe or unsubscribe digests. `digest preview` and `digest list` stay open. To be added, ask an admin (DIGEST_OWNERS).',
};

const it: typeof en = {
  'roles.incident': (p) =>
    `Solo i responsabili ${IT_TEAMS[p.team]}, il canale dell'incidente e gli admin possono ${IT_VERBS[p.action]} l'incidente ${p.id}. Puoi comunque leggerlo: \`incident ${p.id}\`. Per essere aggiunto, chiedi a un admin (DEV_OWNERS, MARKETING_OWNERS).`,
  'roles.mute': 'Solo i responsabili degli sviluppatori e del marketing, i loro canali degli incidenti e gli admin possono silenziare i monitor. `incidents` mostra comunque cosa hanno trovato. Per essere aggiunto, chiedi a un admin (DEV_OWNERS, MARKETING_OWNERS).',
  'roles.digest': 'Solo i responsabili dei riepiloghi e gli admin possono iscrivere o disiscrivere un canale. `digest preview` e `digest list` restano aperti. Per essere aggiunto, chiedi a un admin (DIGEST_OWNERS).',
};

export const rolesMessages = { en, it };
