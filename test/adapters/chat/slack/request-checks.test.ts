import { describe, expect, it } from 'vitest';
import { isWithinRequestWindow } from '../../../../src/adapters/chat/slack/request-window.js';
import { commandText, isFromPerson, MessageEvent } from '../../../../src/adapters/chat/slack/receive.js';
import { readSlackFixture, slackSignature } from '../../../../bench/lib/slack-requests.js';

describe('Slack request checks', () => {
  it('signs Slack\'s documented example to the signature given in Slack\'s docs', () => {
    const inputs = JSON.parse(readSlackFixture('signature_verification_docs_example_inputs.json')) as { signing_secret: string; x_slack_request_timestamp: string; body_file: string };
    const body = readSlackFixture(inputs.body_file);
    expect(slackSignature(inputs.signing_secret, inputs.x_slack_request_timestamp, body))
      .toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('accepts timestamps up to 5 minutes either side of now and refuses anything further or malformed', () => {
    const nowMs = 1_531_420_618_000;
    expect(isWithinRequestWindow('1531420618', nowMs)).toBe(true);
    expect(isWithinRequestWindow('1531420318', nowMs)).toBe(true); // exactly 300 s ago
    expect(isWithinRequestWindow('1531420918', nowMs)).toBe(true); // exactly 300 s ahead
    expect(isWithinRequestWindow('1531420317', nowMs)).toBe(false);
    expect(isWithinRequestWindow('1531420919', nowMs)).toBe(false);
    for (const bad of [undefined, '', 'abc', '1531420618.5', '-1531420618', ['1531420618']]) expect(isWithinRequestWindow(bad, nowMs)).toBe(false);
  });

  it('reads the command after leading mentions of the bot', () => {
    expect(commandText('<@U0LAN0Z89> kpi last 7d')).toBe('kpi last 7d');
    expect(commandText('  <@U123|mkt>  <@U123> help ')).toBe('help');
    expect(commandText('kpi <@U555>')).toBe('kpi <@U555>');
  });

  it('answers people only: not bots, not edits or other message subtypes', () => {
    const base = { type: 'app_mention', text: 'help', channel: 'C1', ts: '1.1' } as const;
    expect(isFromPerson(MessageEvent.parse({ ...base, user: 'U1' }))).toBe(true);
    expect(isFromPerson(MessageEvent.parse({ ...base, user: 'U1', bot_id: 'B1' }))).toBe(false);
    expect(isFromPerson(MessageEvent.parse({ ...base, type: 'message', subtype: 'bot_message', bot_id: 'B1' }))).toBe(false);
    expect(isFromPerson(MessageEvent.parse({ ...base, type: 'message', subtype: 'message_changed', user: 'U1' }))).toBe(false);
    expect(isFromPerson(MessageEvent.parse(base))).toBe(false);
  });
});
