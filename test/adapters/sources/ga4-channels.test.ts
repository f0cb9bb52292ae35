import { describe, expect, it } from 'vitest';
import { channelOfGa4Group, defaultChannelGroup } from '../../../src/adapters/sources/ga4-channels.js';

const group = (source: string | null, medium: string | null, campaign: string | null = null) => defaultChannelGroup({ source, medium, campaign });

// Each case against GA4's default channel grouping for manual traffic (support.google.com/analytics/answer/9756891):
// the first rule that matches wins, in the order the page lists them.
describe("GA4's default channel group of a session's source, medium and campaign", () => {
  it.each([
    ['(direct)', '(none)', null, 'Direct'],
    ['(direct)', '(not set)', null, 'Direct'],
    ['google', 'cpc', 'pmax_cross-network_q4', 'Cross-network'],
    ['amazon', 'cpc', null, 'Paid Shopping'],
    ['google', 'cpc', 'shopping_brand', 'Paid Shopping'],
    ['google', 'cpc', 'brand_search', 'Paid Search'],
    ['de.search.yahoo.com', 'paid', null, 'Paid Search'],
    ['bing', 'ppc', null, 'Paid Search'],
    ['m.facebook.com', 'retargeting', null, 'Paid Social'],
    ['instagram', 'paid_social', 'spring_sale', 'Paid Social'],
    ['youtube', 'cpc', null, 'Paid Video'],
    ['google', 'display', null, 'Display'],
    ['criteo', 'cpm', null, 'Display'],
    ['partnernet', 'cpc', null, 'Paid Other'],
    ['etsy', 'referral', null, 'Organic Shopping'],
    ['t.co', 'referral', null, 'Organic Social'],
    ['forum.example.net', 'social', null, 'Organic Social'],
    ['youtube.com', 'referral', null, 'Organic Video'],
    ['google', 'organic', null, 'Organic Search'],
    ['duckduckgo', 'referral', null, 'Organic Search'],
    ['blog.example.org', 'referral', null, 'Referral'],
    ['partner-app', 'app', null, 'Referral'],
    ['newsletter', 'email', 'newsletter_weekly', 'Email'],
    ['e-mail', '(none)', null, 'Email'],
    ['partnernet', 'affiliate', 'partner_program', 'Affiliates'],
    ['podcastnet', 'audio', null, 'Audio'],
    ['sms', '(none)', null, 'SMS'],
    ['firebase', 'notification', null, 'Mobile Push Notifications'],
    ['crm', 'web_push', null, 'Mobile Push Notifications'],
    ['crm', 'letter', null, 'Unassigned'],
    [null, null, null, 'Unassigned'],
  ])('%s / %s / %s is %s', (source, medium, campaign, expected) => {
    expect(group(source, medium, campaign)).toBe(expected);
  });

  it('ignores case, as GA4 does', () => {
    expect(group('Google', 'CPC')).toBe('Paid Search');
    expect(group('Newsletter', 'Email')).toBe('Email');
  });

  it("maps GA4's groups to the channels the data contract names, the others to other", () => {
    expect(['Paid Search', 'Organic Search', 'Paid Social', 'Email', 'Direct', 'Referral', 'Affiliates', 'Display'].map(channelOfGa4Group))
      .toEqual(['paid_search', 'organic_search', 'paid_social', 'email', 'direct', 'referral', 'affiliate', 'display']);
    expect(['Organic Social', 'Cross-network', 'Paid Other', 'Unassigned'].map(channelOfGa4Group)).toEqual(['other', 'other', 'other', 'other']);
  });
});
