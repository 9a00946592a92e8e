// The municipality profile (surveys/municipality.json): who runs the consultation, its mahalle
// list with populations and its master list of activity areas (faaliyet alanları).
import { z } from 'zod';
import { Identifier as identifier, LocalizedText } from '../platform/schema';

export const MunicipalityFile = z.strictObject({
  $schema: z.string().optional(),
  demo: z.boolean().default(false).describe('True for demonstration data; pages then say so'),
  name: LocalizedText,
  planPeriod: z
    .strictObject({ start: z.number().int().min(2000).max(2100), end: z.number().int().min(2000).max(2100) })
    .refine((p) => p.end > p.start, 'end must be after start'),
  contact: z.strictObject({
    unit: LocalizedText.describe('e.g. Strateji Geliştirme Müdürlüğü'),
    email: z.email(),
    phone: z.string().min(1),
    address: z.string().min(1),
    website: z.url().optional(),
  }),
  dataController: z.strictObject({
    name: LocalizedText,
    address: z.string().min(1),
    email: z.email(),
    kepAddress: z.string().optional(),
    phone: z.string().min(1),
  }),
  privacy: z
    .strictObject({
      noticeVersion: z.string().trim().min(1).max(20).describe('Shown on the notice and stored with every consent; change it whenever the notice changes'),
      noticeDate: z.iso.date().describe('The date this version of the notice took effect (YYYY-MM-DD)'),
      retentionMonths: z
        .number()
        .int()
        .min(0)
        .max(120)
        .describe('Personal data of meeting sign-ups, invitations and self-registrations is anonymised this many months after the plan is adopted'),
    })
    .describe('KVKK: the privacy notice (aydınlatma metni) version and the retention period'),
  mahalles: z
    .array(z.strictObject({ id: identifier, name: z.string().min(1), population: z.number().int().min(0) }))
    .min(1),
  activityAreas: z.array(z.strictObject({ id: identifier, name: LocalizedText })).min(1),
});
export type Municipality = z.infer<typeof MunicipalityFile>;

export function planPeriodLabel(municipality: Municipality): string {
  return `${municipality.planPeriod.start}-${municipality.planPeriod.end}`;
}
