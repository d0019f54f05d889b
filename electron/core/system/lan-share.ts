import { AppError } from '../errors'
import { DEMO_PASSWORD } from '../demo/seed'
import { verifyPassword } from '../auth/password'
import type { UsersRepo } from '../users/repo'
import type { Settings } from '../../../shared/contract'

/**
 * What keeps a desktop seat from sharing its data on the LAN: demo mode (the login page lists the
 * demo accounts), and accounts that still log in with the demo password. Anyone on the LAN could
 * walk in with them.
 */
export async function lanShareBlockers(
  users: UsersRepo,
  settings: Settings
): Promise<{ demoMode: boolean; accounts: string[] }> {
  const accounts: string[] = []
  for (const u of users.activeHashes())
    if (await verifyPassword(DEMO_PASSWORD, u.password_hash)) accounts.push(u.username)
  return { demoMode: settings.demoMode, accounts }
}

/** The refusal in words, or null when the seat may share. */
export async function lanShareRefusal(users: UsersRepo, settings: Settings): Promise<AppError | null> {
  const b = await lanShareBlockers(users, settings)
  if (b.demoMode) return new AppError('CONFLICT', 'errors.lanShareDemoMode')
  if (b.accounts.length)
    return new AppError('CONFLICT', 'errors.lanShareDemoPasswords', { users: b.accounts.join('、') })
  return null
}
