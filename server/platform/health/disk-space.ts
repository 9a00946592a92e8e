// Room left for the database: the file system's free space (fs.statfs) and, when that runs low,
// a probe write. A full disk shows nowhere else: reads and an empty write transaction keep
// working, and only a submission that needs new pages fails (SQLITE_FULL).
import fs from 'node:fs/promises';
import path from 'node:path';

/** Free space in the database's folder under which /healthz warns (DISK_LOW_MB). */
export const DEFAULT_DISK_LOW_MB = 200;

/** What one write is assumed to need at most: a submission's WAL frames and its fsync. */
export const PROBE_BYTES = 64 * 1024;

export interface DiskFacts {
  /** Bytes an unprivileged process may still write in the folder; null where statfs is unsupported. */
  freeBytes: number | null;
  /** A probe write of PROBE_BYTES failed for lack of space. */
  full: boolean;
}

export async function freeBytesIn(folder: string): Promise<number | null> {
  try {
    const stats = await fs.statfs(folder);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** True when writing PROBE_BYTES in the folder fails with ENOSPC (or a quota, EDQUOT). */
export async function probeWriteFails(folder: string): Promise<boolean> {
  const file = path.join(folder, `.paydas-disk-probe-${process.pid}`);
  try {
    const handle = await fs.open(file, 'w');
    try {
      await handle.write(Buffer.alloc(PROBE_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return false;
  } catch (error) {
    // Another failure (a read-only folder, permissions) is not a full disk; the write-lock check reports those.
    const code = (error as { code?: unknown }).code;
    return code === 'ENOSPC' || code === 'EDQUOT';
  } finally {
    // A failed write may leave an empty file behind.
    await fs.rm(file, { force: true }).catch(() => undefined);
  }
}

/**
 * The folder's free space, and whether it is full. The probe writes only once free space is below
 * `lowBelowBytes`: monitoring asks every few seconds, and a disk with room needs no proof.
 */
export async function diskFacts(folder: string, lowBelowBytes: number): Promise<DiskFacts> {
  const freeBytes = await freeBytesIn(folder);
  const needsProbe = freeBytes === null || freeBytes < Math.max(lowBelowBytes, PROBE_BYTES);
  return { freeBytes, full: needsProbe ? await probeWriteFails(folder) : false };
}
