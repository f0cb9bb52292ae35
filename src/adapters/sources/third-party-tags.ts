import type { GtmParameter, GtmTag } from './gtm-version.js';
import type { ThirdPartyEntity } from './lighthouse.js';

export interface TagCost {
  tag: string;
  entity: string;
  mainThreadMs: number;
  transferBytes: number;
}

/** Hosts that Google's built-in tag types load from, which their parameters never spell out. */
const BUILT_IN_TAG_HOSTS: Readonly<Record<string, readonly string[]>> = {
  googtag: ['googletagmanager.com', 'google-analytics.com'],
  gaawe: ['googletagmanager.com', 'google-analytics.com'],
  ua: ['google-analytics.com'],
  awct: ['googleadservices.com', 'googlesyndication.com'],
  sp: ['googleadservices.com', 'doubleclick.net'],
  flc: ['doubleclick.net'],
  fls: ['doubleclick.net'],
};

const URL_IN_TEXT = /https?:\/\/([a-z0-9.-]+)/gi;

/**
 * Pairs each tag with the Lighthouse third parties served from its domains: the hosts of URLs in
 * its parameters (custom HTML script src, image pixels) plus the known hosts of built-in tag types.
 * Domains match on their last two labels, so connect.facebook.net matches a tag loading facebook.net.
 */
export function linkThirdPartiesToTags(entities: readonly ThirdPartyEntity[], tags: readonly GtmTag[]): TagCost[] {
  const links: TagCost[] = [];
  for (const tag of tags) {
    const tagDomains = new Set([...hostsInParameters(tag.parameter ?? []), ...(BUILT_IN_TAG_HOSTS[tag.type ?? ''] ?? [])].map(siteOf));
    for (const entity of entities) {
      if (entity.hosts.some((host) => tagDomains.has(siteOf(host)))) {
        links.push({ tag: tag.name, entity: entity.name, mainThreadMs: entity.mainThreadMs, transferBytes: entity.transferBytes });
      }
    }
  }
  return links;
}

function hostsInParameters(parameters: readonly GtmParameter[]): string[] {
  const hosts: string[] = [];
  for (const parameter of parameters) {
    for (const match of (parameter.value ?? '').matchAll(URL_IN_TEXT)) hosts.push((match[1] ?? '').toLowerCase());
    hosts.push(...hostsInParameters([...(parameter.list ?? []), ...(parameter.map ?? [])]));
  }
  return hosts;
}

function siteOf(host: string): string {
  return host.toLowerCase().replace(/\.$/, '').split('.').slice(-2).join('.');
}
