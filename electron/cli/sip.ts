import { COMMANDS, fail, locale, unwrap, type OpenCore } from './common'

/** `leadline sip set|list|remove|test`: an IT person sets up a floor's lines from a shell. */
export async function sip(
  sub: string | undefined,
  rest: string[],
  opt: {
    ws?: string
    domain?: string
    ext?: string
    password?: string
    prefix?: string
    'display-name'?: string
    ice?: string
  },
  json: boolean,
  openCore: OpenCore
): Promise<number> {
  const core = await openCore({ demo: false })
  const out = (obj: unknown) => process.stdout.write(JSON.stringify(obj) + '\n')
  try {
    const sys = core.connectSystem('cli', locale)
    const userOf = async (name: string | undefined) => {
      const username = name ?? fail('errors.missingArgument', { name: 'USERNAME' })
      const users = unwrap<{ id: number; username: string; displayName: string }[]>(
        await sys.invoke('users.list', { includeDisabled: true })
      )
      return (
        users.find((x) => x.username.toLowerCase() === username.toLowerCase()) ??
        fail('errors.NOT_FOUND', undefined, 'NOT_FOUND')
      )
    }
    type Line = {
      userId: number
      username: string
      wsUrl: string
      domain: string
      sipUser: string
      displayName: string
      outsidePrefix: string
      iceServers: unknown[]
    }
    const lines = async () => unwrap<Line[]>(await sys.invoke('sip.accounts', {}))
    if (sub === 'list') {
      const all = await lines()
      if (json) out({ lines: all })
      else
        for (const l of all) console.log([l.username, l.sipUser, l.domain, l.wsUrl, l.outsidePrefix || '-'].join('\t'))
      return 0
    }
    if (sub === 'set') {
      const u = await userOf(rest[0])
      const current = (await lines()).find((l) => l.userId === u.id)
      let iceServers: unknown =
        current?.iceServers.map((x) =>
          Object.fromEntries(Object.entries(x as object).filter(([k]) => k !== 'hasCredential'))
        ) ?? []
      if (opt.ice !== undefined) {
        try {
          iceServers = JSON.parse(opt.ice)
        } catch {
          fail('errors.badOption', { name: '--ice', value: opt.ice })
        }
      }
      const line = unwrap<Line>(
        await sys.invoke('sip.setAccount', {
          userId: u.id,
          wsUrl: opt.ws ?? current?.wsUrl ?? fail('errors.missingArgument', { name: '--ws' }),
          domain: opt.domain ?? current?.domain ?? fail('errors.missingArgument', { name: '--domain' }),
          sipUser: opt.ext ?? current?.sipUser ?? fail('errors.missingArgument', { name: '--ext' }),
          displayName: opt['display-name'] ?? current?.displayName ?? u.displayName,
          outsidePrefix: opt.prefix ?? current?.outsidePrefix ?? '',
          iceServers,
          ...(opt.password ? { password: opt.password } : {})
        })
      )
      if (json) out({ line: { ...line, username: u.username } })
      else console.log(`${u.username}: ${line.sipUser}@${line.domain} via ${line.wsUrl}`)
      return 0
    }
    if (sub === 'remove') {
      const u = await userOf(rest[0])
      unwrap(await sys.invoke('sip.removeAccount', { userId: u.id }))
      if (json) out({ removed: u.username })
      else console.log(`${u.username}: line removed`)
      return 0
    }
    if (sub === 'test') {
      const u = await userOf(rest[0])
      const r = unwrap<{ verdict: string; status: number | null; text: string }>(
        await sys.invoke('sip.testRegister', { userId: u.id })
      )
      if (json) out(r)
      else console.log(r.text)
      return r.verdict === 'registered' ? 0 : 1
    }
    return fail('errors.unknownCommand', { command: `sip ${sub ?? ''}`.trim(), commands: COMMANDS.join(', ') })
  } finally {
    core.close()
  }
}
