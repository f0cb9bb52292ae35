import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { fail, ok } from '../../bot/result.js';
import type { Result } from '../../bot/result.js';
import type { Change } from './changes-log.js';
import { OptionalWebUrl } from './web-url.js';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** GitHub's scheme: `sha256=` + hex HMAC-SHA256 of the raw body with the shared secret, compared in constant time. */
export function isSignatureValid(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signBody(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** A deploy's time: ISO 8601 with an offset, within years a real deploy can carry (no year 9999 or 0001). */
const DeployTime = z.iso.datetime({ offset: true }).refine((text) => {
  const year = new Date(text).getUTCFullYear();
  return year >= 2000 && year < 2100;
}, 'expected a time between the years 2000 and 2099');

/** The fields of GitHub's `deployment_status` event we use (docs.github.com/webhooks/webhook-events-and-payloads#deployment_status). */
const GithubDeploymentStatus = z.object({
  deployment_status: z.object({
    state: z.string(),
    created_at: DeployTime,
    target_url: OptionalWebUrl,
    environment_url: OptionalWebUrl,
    creator: z.object({ login: z.string() }).nullish(),
  }),
  deployment: z.object({
    sha: z.string().min(7),
    environment: z.string().nullish(),
    description: z.string().nullish(),
    creator: z.object({ login: z.string() }).nullish(),
  }),
  repository: z.object({ full_name: z.string() }).optional(),
});

/** The plain body other CI systems send. */
export const PlainDeploy = z.object({
  at: DeployTime,
  ref: z.string().min(1).max(200),
  author: z.string().max(200).optional(),
  summary: z.string().max(2000).optional(),
  url: OptionalWebUrl,
});

export type DeployOutcome = { kind: 'deploy'; change: Change } | { kind: 'ignored'; reason: string };

/** A verified body → the deploy to record, or why nothing is recorded (GitHub states other than success); an error names the field. */
export function readDeployBody(body: unknown, githubEvent: string | undefined): Result<DeployOutcome, string> {
  if (githubEvent === 'ping') return ok({ kind: 'ignored', reason: 'ping' });
  if (githubEvent !== undefined) {
    if (githubEvent !== 'deployment_status') return ok({ kind: 'ignored', reason: `event ${githubEvent} is not a deployment_status` });
    const event = GithubDeploymentStatus.safeParse(body);
    if (!event.success) return fail(`not a deployment_status payload: ${describeIssue(event.error)}`);
    const { deployment_status: status, deployment, repository } = event.data;
    if (status.state !== 'success') return ok({ kind: 'ignored', reason: `deployment state ${status.state}` });
    return ok({ kind: 'deploy', change: {
      at: new Date(status.created_at), kind: 'deploy', ref: deployment.sha,
      author: deployment.creator?.login ?? status.creator?.login ?? null,
      summary: deployment.description ?? `${repository?.full_name ?? 'deploy'} to ${deployment.environment ?? 'production'}`,
      url: status.target_url ?? status.environment_url ?? null,
    } });
  }
  const plain = PlainDeploy.safeParse(body);
  if (!plain.success) return fail(`expected { at, ref, author?, summary?, url? }: ${describeIssue(plain.error)}`);
  const { at, ref, author, summary, url } = plain.data;
  return ok({ kind: 'deploy', change: { at: new Date(at), kind: 'deploy', ref, author: author ?? null, summary: summary ?? null, url: url ?? null } });
}

export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
}
