// Back-office screens of consultation activities held outside the site (focus groups, workshops,
// interviews, face-to-face surveys not entered here): the list that feeds report table T4, and
// the form to record, correct or delete one.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import type { Municipality } from '../../municipality';
import * as audit from '../../platform/audit/audit.repository';
import type { Db } from '../../platform/db/connection';
import { AppError } from '../../platform/http/app-error';
import type { Csrf } from '../../platform/http/csrf';
import { formList, parseForm, text } from '../../platform/http/validate';
import { isIsoDate } from '../../platform/time';
import { stakeholderRepository, type Stakeholder } from '../../stakeholders';
import * as activityRepository from './activity.repository';
import type { ActivityInput, ConsultationActivity } from './activity.repository';
import { ACTIVITY_METHODS } from './report.table';

export interface ActivitiesDeps {
  db: Db;
  csrf: Csrf;
  municipality: Municipality;
  now: () => Date;
}

const MAX_PARTICIPANTS = 1_000_000;
const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const bodyOf = (req: Request): Record<string, unknown> => (typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {});

function activityForm(mahalleIds: string[], stakeholderIds: ReadonlySet<number>) {
  const dateInvalid = { error: 'report:activities.form.date_invalid' };
  const participantsInvalid = { error: 'report:activities.form.participants_invalid' };
  const stakeholderInvalid = { error: 'report:activities.form.stakeholder_invalid' };
  return z.object({
    method: z.enum(ACTIVITY_METHODS, { error: 'report:activities.form.method_required' }),
    title: text(z, 200).min(1, { error: 'errors:form.required' }),
    target_group: text(z, 200).min(1, { error: 'errors:form.required' }),
    starts_on: z.string({ error: 'errors:form.required' }).trim().min(1, { error: 'errors:form.required' }).refine(isIsoDate, dateInvalid),
    ends_on: z
      .string(dateInvalid)
      .trim()
      .refine((value) => value === '' || isIsoDate(value), dateInvalid)
      .default('')
      .transform((value) => value || null),
    participants: z
      .string(participantsInvalid)
      .trim()
      .regex(/^\d{1,7}$/, participantsInvalid)
      .transform(Number)
      .refine((value) => value <= MAX_PARTICIPANTS, participantsInvalid),
    mahalles: z.preprocess(formList, z.array(z.enum(mahalleIds as [string, ...string[]], { error: 'report:activities.form.mahalle_invalid' })).max(1000)),
    stakeholders: z.preprocess(
      formList,
      z
        .array(
          z
            .string(stakeholderInvalid)
            .regex(/^\d{1,15}$/, stakeholderInvalid)
            .transform(Number)
            .refine((id) => stakeholderIds.has(id), stakeholderInvalid),
        )
        .max(10000),
    ),
    notes: text(z, 2000).default(''),
  });
}

export function activitiesRouter(deps: ActivitiesDeps): Router {
  const router = Router();
  const { db, csrf, municipality } = deps;
  const mahalleIds = municipality.mahalles.map((m) => m.id);
  const manage = requirePermission('report.manage');
  const read = requirePermission('results.read');

  const findActivity = async (req: Request): Promise<ConsultationActivity> => {
    const id = Id.safeParse(req.params.id);
    const activity = id.success ? await activityRepository.find(db, id.data) : undefined;
    if (!activity) throw new AppError(404, 'errors:not_found');
    return activity;
  };

  /**
   * Institutions a planner may tick: the register's current entries, and on an edit also those
   * already recorded that have been archived since (they did take part).
   */
  const choosableStakeholders = async (activity?: ConsultationActivity): Promise<Stakeholder[]> => {
    const current = await stakeholderRepository.list(db, {});
    const archived = activity && activity.stakeholderIds.length > 0 ? await stakeholderRepository.list(db, { ids: activity.stakeholderIds, archived: true }) : [];
    return [...current, ...archived];
  };

  /** The form as stored values, or every field that is wrong. */
  const check = (req: Request, stakeholders: Stakeholder[]): { input: ActivityInput } | { errors: Record<string, string> } => {
    const body = bodyOf(req);
    const form = parseForm(activityForm(mahalleIds, new Set(stakeholders.map((s) => s.id))), body);
    const errors = form.ok ? {} : { ...form.errors };
    // Apart from the schema, so a wrong order is reported together with the other fields' errors.
    const [startsOn, endsOn] = [body.starts_on, body.ends_on].map((value) => (typeof value === 'string' ? value.trim() : ''));
    if (!errors.starts_on && !errors.ends_on && endsOn && endsOn < startsOn!) errors.ends_on = 'report:activities.form.end_before_start';
    if (!form.ok || Object.keys(errors).length > 0) return { errors };
    const data = form.data;
    return {
      input: {
        method: data.method,
        title: data.title,
        targetGroup: data.target_group,
        startsOn: data.starts_on,
        endsOn: data.ends_on,
        participants: data.participants,
        notes: data.notes || null,
        mahalleIds: [...new Set(data.mahalles)],
        stakeholderIds: [...new Set(data.stakeholders)],
      },
    };
  };

  const valuesOf = (a: ConsultationActivity) => ({
    method: a.method,
    title: a.title,
    target_group: a.targetGroup,
    starts_on: a.startsOn,
    ends_on: a.endsOn ?? '',
    participants: String(a.participants),
    mahalles: a.mahalleIds,
    stakeholders: a.stakeholderIds.map(String),
    notes: a.notes ?? '',
  });

  const postedValues = (req: Request) => {
    const body = bodyOf(req);
    return { ...body, mahalles: formList(body.mahalles).map(String), stakeholders: formList(body.stakeholders).map(String) };
  };

  const renderForm = (
    req: Request,
    res: Response,
    status: number,
    locals: { activity?: ConsultationActivity; stakeholders: Stakeholder[]; values: Record<string, unknown>; errors: Record<string, string> },
  ) =>
    res.status(status).render('admin/report/activities/form', {
      pageTitle: locals.activity ? `${locals.activity.title} — ${res.locals.t('report:activities.form.edit_title')}` : res.locals.t('report:activities.form.new_title'),
      csrfToken: csrf.token(req, res),
      methods: ACTIVITY_METHODS,
      mahalles: municipality.mahalles,
      activity: undefined,
      ...locals,
    });

  router.get('/admin/report/activities', read, async (_req, res) => {
    const activities = await activityRepository.list(db);
    const ids = [...new Set(activities.flatMap((a) => a.stakeholderIds))];
    // Archived entries too: an institution that took part stays in the table.
    const names = new Map(
      ids.length === 0 ? [] : [...(await stakeholderRepository.list(db, { ids })), ...(await stakeholderRepository.list(db, { ids, archived: true }))].map((s) => [s.id, s.name]),
    );
    res.render('admin/report/activities/list', {
      pageTitle: res.locals.t('report:activities.title'),
      activities,
      totalParticipants: activities.reduce((sum, a) => sum + a.participants, 0),
      // In the municipality's order, as the form lists them.
      mahalleNames: (ids: string[]) => municipality.mahalles.filter((m) => ids.includes(m.id)).map((m) => m.name),
      stakeholderName: (id: number) => names.get(id) ?? `#${id}`,
    });
  });

  router.get('/admin/report/activities/new', manage, async (req, res) => {
    renderForm(req, res, 200, { stakeholders: await choosableStakeholders(), values: { mahalles: [], stakeholders: [] }, errors: {} });
  });

  router.post('/admin/report/activities', manage, async (req, res) => {
    const stakeholders = await choosableStakeholders();
    const checked = check(req, stakeholders);
    if ('errors' in checked) return renderForm(req, res, 422, { stakeholders, values: postedValues(req), errors: checked.errors });
    const { input } = checked;
    const actor = actorOf(req, res);
    const now = deps.now();
    await db.transaction().execute(async (trx) => {
      const id = await activityRepository.create(trx, input, now);
      await audit.record(trx, { action: 'activity.created', ...audit.by(actor), target: `activity:${id}`, details: { method: input.method, title: input.title } }, now);
    });
    flash(req, { kind: 'success', key: 'report:activities.flash.created', params: { title: input.title } });
    res.redirect(303, '/admin/report/activities');
  });

  router.get('/admin/report/activities/:id', manage, async (req, res) => {
    const activity = await findActivity(req);
    renderForm(req, res, 200, { activity, stakeholders: await choosableStakeholders(activity), values: valuesOf(activity), errors: {} });
  });

  router.post('/admin/report/activities/:id', manage, async (req, res) => {
    const activity = await findActivity(req);
    const stakeholders = await choosableStakeholders(activity);
    const checked = check(req, stakeholders);
    if ('errors' in checked) return renderForm(req, res, 422, { activity, stakeholders, values: postedValues(req), errors: checked.errors });
    const { input } = checked;
    const actor = actorOf(req, res);
    const now = deps.now();
    await db.transaction().execute(async (trx) => {
      if (!(await activityRepository.update(trx, activity.id, input, now))) throw new AppError(404, 'errors:not_found');
      await audit.record(trx, { action: 'activity.changed', ...audit.by(actor), target: `activity:${activity.id}`, details: { method: input.method, title: input.title } }, now);
    });
    flash(req, { kind: 'success', key: 'report:activities.flash.saved', params: { title: input.title } });
    res.redirect(303, '/admin/report/activities');
  });

  router.post('/admin/report/activities/:id/delete', manage, async (req, res) => {
    const activity = await findActivity(req);
    const actor = actorOf(req, res);
    const now = deps.now();
    await db.transaction().execute(async (trx) => {
      if (!(await activityRepository.remove(trx, activity.id))) throw new AppError(404, 'errors:not_found');
      await audit.record(trx, { action: 'activity.deleted', ...audit.by(actor), target: `activity:${activity.id}`, details: { method: activity.method, title: activity.title } }, now);
    });
    flash(req, { kind: 'success', key: 'report:activities.flash.deleted', params: { title: activity.title } });
    res.redirect(303, '/admin/report/activities');
  });

  return router;
}
