import { requireUser } from '../context'
import { defineDomain } from '../domain'
import type { RecordingArchive } from './archive'

/** Where recordings are archived (the local folder or an S3 store), for administrators; the job that moves them there. */
export function storageDomain(archive: RecordingArchive) {
  return defineDomain({
    name: 'storage',
    // uploads, retention changes, deletes and the local cache, every few seconds
    jobs: [{ name: 'recording archive', everyMs: 5_000, run: () => archive.tick() }],
    handlers: {
      'storage.status': () => archive.status(),
      'storage.set': (input, ctx) => archive.set(input, requireUser(ctx).user, ctx.conn.source, ctx.conn.locale),
      'storage.check': () => archive.check()
    }
  })
}
