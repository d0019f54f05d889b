/**
 * The seat's journal of writes (热备): each `'resend'` write a replicating hub acknowledged is kept
 * here, on the seat, until the hub says its replica holds it (`replication.confirmed`), and sent
 * again after every break — a standby that took over may not have it. The hub applies each client
 * id once, so sending again is safe. Kept per user in the browser's storage (it survives a reload);
 * such writes never carry a password or a key (the contract's test checks).
 */
export interface JournalEntry {
  cid: string
  method: string
  input: unknown
  /** The hub's time once the write was saved. */
  at: string
}

/** A write larger than this is not kept (no such write today; an import goes by upload). */
const MAX_INPUT_CHARS = 64_000
/** The oldest go first past this many (a hub that stops confirming for a long time). */
const MAX_ENTRIES = 500

export class WriteJournal {
  private key: string | null = null

  constructor(private storage: Storage = localStorage) {}

  /** Whose writes: the journal of one user is never sent with another's session. */
  setUser(userId: number | null): void {
    this.key = userId === null ? null : `leadline.journal.${userId}`
  }

  get user(): string | null {
    return this.key
  }

  entries(): JournalEntry[] {
    if (!this.key) return []
    try {
      return JSON.parse(this.storage.getItem(this.key) ?? '[]') as JournalEntry[]
    } catch {
      return []
    }
  }

  add(entry: JournalEntry): void {
    if (!this.key || JSON.stringify(entry.input ?? null).length > MAX_INPUT_CHARS) return
    this.save([...this.entries().filter((e) => e.cid !== entry.cid), entry].slice(-MAX_ENTRIES))
  }

  remove(cid: string): void {
    const all = this.entries()
    const left = all.filter((e) => e.cid !== cid)
    if (left.length !== all.length) this.save(left)
  }

  /** The hub's replica holds everything saved up to `upTo`: those are forgotten. */
  confirmed(upTo: string): void {
    const all = this.entries()
    const left = all.filter((e) => e.at > upTo)
    if (left.length !== all.length) this.save(left)
  }

  private save(items: JournalEntry[]): void {
    if (!this.key) return
    if (items.length) this.storage.setItem(this.key, JSON.stringify(items))
    else this.storage.removeItem(this.key)
  }
}

/** A random v4 UUID; crypto.getRandomValues exists in every context (crypto.randomUUID only in secure ones). */
export function newClientId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
