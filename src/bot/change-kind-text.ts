import type { ChangeKind } from './data-port.js';
import type { Translate } from './messages/index.js';

/** "deploy", "tag-manager publish"... in the reply's language, for sentences about likely causes. */
export function changeKindText(kind: ChangeKind, t: Translate): string {
  switch (kind) {
    case 'deploy': return t('tracking.deploy');
    case 'tag_manager': return t('tracking.tagPublish');
    case 'campaign': return t('tracking.campaign');
    case 'config': return t('tracking.config');
  }
}
