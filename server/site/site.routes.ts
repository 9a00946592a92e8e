// The public shell: home page with the open surveys, and the privacy notice (aydınlatma metni).
import { Router } from 'express';
import { planPeriodLabel } from '../municipality';
import { surveyStatus, type SurveyCatalog } from '../surveys';

export function siteRouter(deps: { catalog: SurveyCatalog; now: () => Date }): Router {
  const router = Router();
  const planPeriod = planPeriodLabel(deps.catalog.municipality);

  router.get('/', (_req, res) => {
    const now = deps.now();
    const surveys = deps.catalog.surveys.filter(
      (survey) => survey.audience === 'citizen' && surveyStatus(survey, now) === 'open',
    );
    res.render('site/home', { pageTitle: res.locals.t('site:home.title'), surveys, planPeriod });
  });

  router.get('/aydinlatma-metni', (_req, res) => {
    res.render('site/privacy', { pageTitle: res.locals.t('site:privacy.title'), planPeriod });
  });

  return router;
}
