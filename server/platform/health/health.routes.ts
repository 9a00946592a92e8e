// GET /healthz for monitoring: public (a monitor has no login), so it shows counts and times only.
import { Router } from 'express';
import type { Db } from '../db/connection';
import { checkHealth } from './health';

export function healthRouter(deps: { db: Db; now: () => Date; smtpConfigured: boolean; diskLowMb?: number }): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const report = await checkHealth(deps.db, { now: deps.now(), smtpConfigured: deps.smtpConfigured, diskLowMb: deps.diskLowMb });
    // Degraded still answers requests: 200 keeps the site in a load balancer's rotation, and
    // the body says what to look at. Only a database that cannot answer or store anything is 503.
    res.status(report.status === 'down' ? 503 : 200).set('Cache-Control', 'no-store').json(report);
  });
  return router;
}
