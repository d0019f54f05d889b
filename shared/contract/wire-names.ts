/** Names of the transports' channels and paths, without zod (the UI's first chunk needs them). */
/** Transport channel names: the only place they are spelled. */
export const IPC_INVOKE_CHANNEL = 'leadline:invoke'
export const IPC_EVENT_CHANNEL = 'leadline:event'
/** The desktop's folder dialog (main process): answers with a token core accepts as a folder to export into. */
export const IPC_PICK_FOLDER_CHANNEL = 'leadline:pick-folder'
/** The desktop's 关于 → 打开日志文件夹 (main process): opens the log folder in the system's file manager. */
export const IPC_OPEN_LOGS_CHANNEL = 'leadline:open-logs'
export const HUB_WS_PATH = '/api/ws'
/** Recordings stream from here on the hub (HTTP range requests) … */
export const HUB_MEDIA_PATH = '/api/media/'
/** Where the PBX resolves a desk's dial token: GET <path><token>?from=<sip user>, with `Authorization: Bearer <PBX key>`. */
export const PBX_DIAL_PATH = '/pbx/dial/'
/** The PBX asks whom a customer's call to one of the centre's numbers rings: `GET ?from=<caller>&to=<number dialled>`. */
export const PBX_INBOUND_PATH = '/pbx/inbound'
/** … and through this privileged protocol in the desktop app. */
export const MEDIA_SCHEME = 'leadline-media'
/** The desktop's updates (main process): the page says its hub and whether a call is on, asks to install; main pushes the state. */
export const IPC_UPDATES_CHANNEL = 'leadline:updates'
export const IPC_UPDATE_STATE_CHANNEL = 'leadline:update-state'
/** How this desktop keeps its secrets at rest (main process): 'os' keychain, 'basic_text' (Linux without one) or 'none'. */
export const IPC_SECRET_STORAGE_CHANNEL = 'leadline:secret-storage'
/** The page's errors for the desktop's renderer log (main process, one way). */
export const IPC_RENDERER_LOG_CHANNEL = 'leadline:renderer-log'
