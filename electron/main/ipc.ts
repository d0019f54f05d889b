import { basename } from 'node:path'
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_PICK_FOLDER_CHANNEL,
  localeSchema,
  type Result
} from '../../shared/contract'
import type { Core, CoreConnection } from '../core'
import { AppError } from '../core/errors'

/**
 * The IPC transport: one generic handler for every method of the contract. Each window
 * (webContents) gets its own core connection and so its own login session, and receives the
 * events its user may see. Calls from any frame that is not our own page are refused.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  core: Core,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  /** The system's folder dialog for the sender's window: the chosen path, or null. */
  pickFolder: (sender: WebContents) => Promise<string | null>
): () => void {
  const connections = new Map<number, CoreConnection>()

  function connectionFor(sender: WebContents): CoreConnection {
    let conn = connections.get(sender.id)
    if (!conn) {
      const created = core.connect({ source: 'ipc' })
      const unsubscribe = created.subscribe((event, payload) => {
        if (!sender.isDestroyed()) sender.send(IPC_EVENT_CHANNEL, event, payload)
      })
      sender.once('destroyed', () => {
        unsubscribe()
        created.close()
        connections.delete(sender.id)
      })
      connections.set(sender.id, created)
      conn = created
    }
    return conn
  }

  ipcMain.handle(
    IPC_INVOKE_CHANNEL,
    async (event, method: unknown, input: unknown, locale: unknown): Promise<Result<unknown>> => {
      const conn = connectionFor(event.sender)
      const parsedLocale = localeSchema.safeParse(locale)
      if (parsedLocale.success) conn.state.locale = parsedLocale.data
      if (!isTrustedSender(event)) return { ok: false, error: new AppError('FORBIDDEN').toShape(conn.state.locale) }
      return conn.invoke(String(method), input)
    }
  )
  // A folder for an export: core gets the path, the page only a single-use token for it.
  ipcMain.handle(IPC_PICK_FOLDER_CHANNEL, async (event) => {
    if (!isTrustedSender(event)) return null
    const path = await pickFolder(event.sender)
    return path ? { token: core.folders.grant(path), name: basename(path) } : null
  })
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
    ipcMain.removeHandler(IPC_PICK_FOLDER_CHANNEL)
  }
}
