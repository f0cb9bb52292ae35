import { z } from 'zod';

/** Tag Manager API v2 resources (developers.google.com/tag-platform/tag-manager/api/reference/rest/v2). */
export interface GtmParameter {
  type: string;
  key?: string | undefined;
  value?: string | undefined;
  list?: GtmParameter[] | undefined;
  map?: GtmParameter[] | undefined;
}
export const GtmParameter: z.ZodType<GtmParameter> = z.lazy(() => z.object({
  type: z.string(),
  key: z.string().optional(),
  value: z.string().optional(),
  list: z.array(GtmParameter).optional(),
  map: z.array(GtmParameter).optional(),
}));

const Entity = z.object({ name: z.string(), type: z.string().optional(), fingerprint: z.string().optional(), parameter: z.array(GtmParameter).optional() }).passthrough();
export const GtmTag = Entity.extend({ tagId: z.string() });
export type GtmTag = z.infer<typeof GtmTag>;
export const GtmTrigger = Entity.extend({ triggerId: z.string() });
export const GtmVariable = Entity.extend({ variableId: z.string() });

export const GtmContainerVersion = z.object({
  containerVersionId: z.string().regex(/^\d+$/),
  name: z.string().optional(),
  description: z.string().optional(),
  fingerprint: z.string().optional(),
  tagManagerUrl: z.string().optional(),
  container: z.object({ publicId: z.string().optional(), name: z.string().optional() }).passthrough().optional(),
  tag: z.array(GtmTag).default([]),
  trigger: z.array(GtmTrigger).default([]),
  variable: z.array(GtmVariable).default([]),
}).passthrough();
export type GtmContainerVersion = z.infer<typeof GtmContainerVersion>;

export const GtmVersionHeaders = z.object({
  containerVersionHeader: z.array(z.object({ containerVersionId: z.string().regex(/^\d+$/), name: z.string().optional(), deleted: z.boolean().optional() }).passthrough()).default([]),
});
