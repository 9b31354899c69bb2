/** GET /downloads/:token: an export offered by link (Teams), while it lasts; never cached, never shown inline. */
import express from 'express';
import { isDomainError, openDownload, type DomainDeps } from '../../domain/index.js';
import { html, page } from './html.js';

export function downloadsRouter(deps: DomainDeps): express.Router {
  const router = express.Router();
  router.get('/downloads/:token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    try {
      const file = await openDownload(deps, req.params.token);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.send(file.content);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      res.status(404).type('html').send(page('Download not available', `<p>${html(e.userMessage)}</p>`));
    }
  });
  return router;
}
