// The public shell: home page with the open surveys, and the privacy notice (aydınlatma metni).
import { Router } from 'express';
import { planPeriodLabel } from '../municipality';
import { buildPrivacyNotice } from '../privacy';
import { surveyStatus, type SurveyCatalog } from '../surveys';

export function siteRouter(deps: { catalog: SurveyCatalog; now: () => Date }): Router {
  const router = Router();
  const planPeriod = planPeriodLabel(deps.catalog.municipality);

  router.get('/', (_req, res) => {
    const now = deps.now();
    const surveys = deps.catalog.surveys.filter(
      (survey) => survey.audience === 'citizen' && surveyStatus(deps.catalog.schedule(survey.slug), now) === 'open',
    );
    const closesAt = Object.fromEntries(surveys.map((survey) => [survey.slug, deps.catalog.schedule(survey.slug).closesAt]));
    const institutionsOpen = deps.catalog.surveys.some((survey) => survey.audience === 'institution' && surveyStatus(deps.catalog.schedule(survey.slug), now) === 'open');
    res.render('site/home', { pageTitle: res.locals.t('site:home.title'), description: res.locals.t('site:home.lead', { period: planPeriod }), surveys, closesAt, planPeriod, institutionsOpen });
  });

  // Built once: it changes only with municipality.json, which is read at start-up.
  const notice = buildPrivacyNotice(deps.catalog.municipality);
  router.get('/aydinlatma-metni', (_req, res) => {
    res.render('site/privacy', {
      pageTitle: res.locals.t('privacy:notice.title'),
      description: res.locals.t('privacy:notice.intro', { controller: res.locals.localize(notice.controller.name).text, period: notice.params.period }),
      notice,
    });
  });

  return router;
}
