import type { CampaignsService } from '../campaigns/service'
import type { CoreDeps } from '../context'
import { Repo } from '../db/repo'
import { GIVEN, SURNAMES } from '../demo/seed'
import type { LeadRow } from './repo'

/** How many made-up customers the training campaign has. */
export const TRAINING_LEADS = 30
export const TRAINING_CAMPAIGN_NAME = '培训（模拟客户）'

const LEAD_COLUMNS =
  'campaign_id, phone, phone_kind, name, gender, birth_date, address, batch_id, status, created_at, updated_at'

class TrainingRepo extends Repo {
  campaignId(): number | undefined {
    return this.value('SELECT id FROM campaigns WHERE training = 1 ORDER BY id LIMIT 1')
  }

  /** The real campaign a trainee's campaign copies its outcomes and script from: the newest open one. */
  reference(): { id: number; settings: string } {
    return (this.one<{ id: number; settings: string }>(
      'SELECT id, settings FROM campaigns WHERE training = 0 AND active = 1 ORDER BY id DESC LIMIT 1'
    ) ?? this.one<{ id: number; settings: string }>('SELECT id, settings FROM campaigns WHERE id = 1'))!
  }

  create(settings: string, fromCampaign: number, at: string): number {
    const id = this.insert(
      'INSERT INTO campaigns (name, training, settings, created_at) VALUES (?, 1, ?, ?)',
      TRAINING_CAMPAIGN_NAME,
      settings,
      at
    )
    this.run(
      `INSERT INTO scripts (campaign_id, version, title, body, created_by, created_at)
       SELECT ?, 1, title, body, NULL, ? FROM scripts WHERE campaign_id = ? ORDER BY version DESC LIMIT 1`,
      id,
      at,
      fromCampaign
    )
    const batch = this.insert(
      `INSERT INTO import_batches (campaign_id, file_name, source, kind, encoding, policy, mapping, rows, imported, created_at)
       VALUES (?, '培训线索', '培训', 'xlsx', NULL, 'skip', '[]', ?, ?, ?)`,
      id,
      TRAINING_LEADS,
      TRAINING_LEADS,
      at
    )
    for (let i = 0; i < TRAINING_LEADS; i++) {
      const gender = i % 2 ? 'F' : 'M'
      const k = Math.floor(i / 2)
      this.run(
        `INSERT INTO leads (${LEAD_COLUMNS}) VALUES (?, ?, 'landline', ?, ?, ?, ?, ?, 'new', ?, ?)`,
        id,
        // no real number starts 0000: the card and the history can never point at a real person
        `0000000${String(i + 1).padStart(4, '0')}`,
        SURNAMES[(k * 7) % SURNAMES.length] + GIVEN[gender][k % GIVEN[gender].length],
        gender,
        `${1965 + ((i * 3) % 30)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
        `培训地址${i + 1}号`,
        batch,
        at,
        at
      )
    }
    return id
  }

  /** A made-up customer nobody practises on now: those not tried for longest first. */
  next(campaignId: number): LeadRow | undefined {
    return this.one(
      `SELECT * FROM leads WHERE campaign_id = ? AND status = 'new' AND lease_by IS NULL
       ORDER BY next_at IS NOT NULL, next_at, id LIMIT 1`,
      campaignId
    )
  }
}

/**
 * Training without a real customer: outside a demo, a desk on the simulated line is a trainee's, and
 * it is given only the training campaign's made-up customers (created the first time, with the
 * outcomes and the current script of the newest open campaign). They never reach a real desk, a
 * search, a figure or a report; a real customer is not dialled on the simulated line.
 */
export class TrainingLeads {
  private repo: TrainingRepo

  constructor(
    private deps: CoreDeps,
    private campaigns: CampaignsService
  ) {
    this.repo = new TrainingRepo(deps.db)
  }

  /** The training campaign, made on first use. */
  campaignId(): number {
    const id = this.repo.campaignId()
    if (id !== undefined) return id
    const made = this.repo.transaction(() => {
      const ref = this.repo.reference()
      // training calls at any hour: the legal hours protect real customers
      const settings = JSON.stringify({
        ...(JSON.parse(ref.settings) as object),
        windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }],
        allowPool: false
      })
      return this.repo.create(settings, ref.id, this.deps.clock.now().toISOString())
    })
    this.campaigns.changed()
    return made
  }

  next(): LeadRow | undefined {
    return this.repo.next(this.campaignId())
  }
}
