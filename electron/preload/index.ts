/// <reference lib="dom" />
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_OPEN_LOGS_CHANNEL,
  IPC_PICK_FOLDER_CHANNEL,
  IPC_RENDERER_LOG_CHANNEL,
  IPC_SECRET_STORAGE_CHANNEL,
  IPC_UPDATE_STATE_CHANNEL,
  IPC_UPDATES_CHANNEL,
  isEventName,
  isMethodName
} from '../../shared/contract'

/**
 * The whole bridge between the page and the app: invoke a contract method, listen to a
 * contract event, pick a folder, open the log folder. Names outside the contract are refused here already.
 */
const bridge = {
  invoke(method: string, input: unknown): Promise<unknown> {
    if (!isMethodName(method)) return Promise.reject(new Error(`unknown method: ${method}`))
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input, document.documentElement.lang || undefined)
  },
  on(event: string, callback: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`unknown event: ${event}`)
    const listener = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) callback(payload)
    }
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener)
    }
  },
  /** The system's folder dialog: a token for the chosen folder (core accepts it once), or null. */
  pickFolder(): Promise<{ token: string; name: string } | null> {
    return ipcRenderer.invoke(IPC_PICK_FOLDER_CHANNEL)
  },
  /** Opens the app's log folder in the system's file manager (关于). */
  openLogs(): Promise<boolean> {
    return ipcRenderer.invoke(IPC_OPEN_LOGS_CHANNEL)
  },
  /** A page error for the desktop's renderer log (masked there; one way, nothing comes back). */
  log(level: 'error' | 'warn', text: string): void {
    ipcRenderer.send(IPC_RENDERER_LOG_CHANNEL, level, String(text))
  },
  /** How this desk keeps secrets at rest: 'os' keychain, 'basic_text' (Linux without a keyring) or 'none'. */
  secretStorage(): Promise<'os' | 'basic_text' | 'none' | null> {
    return ipcRenderer.invoke(IPC_SECRET_STORAGE_CHANNEL)
  },
  /** The app's updates from the seat's hub: say the hub and whether a call is on, install, follow the state. */
  updates: {
    setHub: (url: string | null): Promise<unknown> => ipcRenderer.invoke(IPC_UPDATES_CHANNEL, 'hub', url),
    setCallActive: (active: boolean): Promise<unknown> => ipcRenderer.invoke(IPC_UPDATES_CHANNEL, 'call', active),
    install: (): Promise<unknown> => ipcRenderer.invoke(IPC_UPDATES_CHANNEL, 'install'),
    state: (): Promise<unknown> => ipcRenderer.invoke(IPC_UPDATES_CHANNEL, 'state'),
    onState(callback: (state: unknown) => void): () => void {
      const listener = (_e: IpcRendererEvent, state: unknown) => callback(state)
      ipcRenderer.on(IPC_UPDATE_STATE_CHANNEL, listener)
      return () => {
        ipcRenderer.removeListener(IPC_UPDATE_STATE_CHANNEL, listener)
      }
    }
  },
  platform: process.platform
}

export type LeadlineBridge = typeof bridge

contextBridge.exposeInMainWorld('leadline', bridge)
