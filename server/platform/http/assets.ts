// Serves public/ under /static/ with content-hashed names (app.3f2a9c1b.css), so browsers may
// cache them for a year and still see every change at once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { projectRoot } from '../paths';

export const PUBLIC_DIR = path.join(projectRoot, 'public');
const PREFIX = '/static/';
const YEAR_SECONDS = 365 * 24 * 60 * 60;

export interface Assets {
  /** The fingerprinted URL of a file under public/, e.g. url('css/app.css'). */
  url(file: string): string;
  middleware: RequestHandler;
}

function listFiles(dir: string, base = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = base ? `${base}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
  });
}

export function fingerprinted(file: string, content: Buffer): string {
  const hash = crypto.createHash('sha256').update(content).digest('hex').slice(0, 10);
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}.${hash}${ext}`;
}

export function createAssets(dir = PUBLIC_DIR): Assets {
  const urls = new Map<string, string>();
  const files = new Map<string, string>();
  for (const file of listFiles(dir)) {
    const name = fingerprinted(file, fs.readFileSync(path.join(dir, file)));
    urls.set(file, PREFIX + name);
    files.set(name, path.join(dir, file));
  }
  return {
    url(file) {
      const url = urls.get(file);
      if (!url) throw new Error(`Unknown asset ${file}`);
      return url;
    },
    middleware(req, res, next) {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.path.startsWith(PREFIX)) return next();
      const file = files.get(req.path.slice(PREFIX.length));
      if (!file) return next();
      res.sendFile(file, { maxAge: YEAR_SECONDS * 1000, immutable: true, dotfiles: 'deny' });
    },
  };
}
