import type { GtmContainerVersion } from './gtm-version.js';

export interface EntityDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface VersionDiff {
  tags: EntityDiff;
  triggers: EntityDiff;
  variables: EntityDiff;
}

/** What a published version added, removed and changed against the one before it (names, matched by id). */
export function diffVersions(previous: GtmContainerVersion | undefined, next: GtmContainerVersion): VersionDiff {
  return {
    tags: diffById(previous?.tag ?? [], next.tag, (tag) => tag.tagId),
    triggers: diffById(previous?.trigger ?? [], next.trigger, (trigger) => trigger.triggerId),
    variables: diffById(previous?.variable ?? [], next.variable, (variable) => variable.variableId),
  };
}

function diffById<T extends { name: string; fingerprint?: string | undefined }>(before: readonly T[], after: readonly T[], idOf: (entity: T) => string): EntityDiff {
  const old = new Map(before.map((entity) => [idOf(entity), entity]));
  const now = new Map(after.map((entity) => [idOf(entity), entity]));
  return {
    added: after.filter((entity) => !old.has(idOf(entity))).map((entity) => entity.name),
    removed: before.filter((entity) => !now.has(idOf(entity))).map((entity) => entity.name),
    changed: after.filter((entity) => {
      const was = old.get(idOf(entity));
      return was !== undefined && contentOf(was) !== contentOf(entity);
    }).map((entity) => entity.name),
  };
}

// The fingerprint changes on every save even without edits, so content is compared without it.
function contentOf(entity: { fingerprint?: string | undefined }): string {
  const { fingerprint: _fingerprint, ...content } = entity;
  return JSON.stringify(content);
}

/** "+2 tags, -1 trigger, ~1 variable" (empty parts left out). */
export function describeDiff(diff: VersionDiff): string {
  const parts: string[] = [];
  for (const [label, entities] of [['tag', diff.tags], ['trigger', diff.triggers], ['variable', diff.variables]] as const) {
    for (const [sign, names] of [['+', entities.added], ['-', entities.removed], ['~', entities.changed]] as const) {
      if (names.length > 0) parts.push(`${sign}${names.length} ${label}${names.length === 1 ? '' : 's'}`);
    }
  }
  return parts.length === 0 ? 'no tag, trigger or variable changes' : parts.join(', ');
}
