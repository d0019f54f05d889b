import {
  campaignSettingsSchema,
  scriptBodySchema,
  type Campaign,
  type CampaignSettings,
  type Disposition,
  type Script,
  type ScriptBody
} from '../../../shared/contract'
import type { CoreDeps, DomainHandlers } from '../context'
import { CampaignsRepo, type CampaignRow, type ScriptRow } from './repo'
import { requireUser } from '../context'
import { AppError } from '../errors'

/** Outcomes a Chinese insurance telesales team starts from (all editable per campaign). */
export const DEFAULT_DISPOSITIONS: Disposition[] = [
  {
    code: 'accepted',
    label: '同意约访',
    connected: true,
    final: true,
    success: true,
    callback: false,
    retryMinutes: null,
    dncDays: null,
    hotkey: '1'
  },
  {
    code: 'callback',
    label: '考虑中-预约回拨',
    connected: true,
    final: false,
    success: false,
    callback: true,
    retryMinutes: null,
    dncDays: null,
    hotkey: '2'
  },
  // A clear refusal: do not call again for at least 6 months (docs/domain.md).
  {
    code: 'refused',
    label: '拒绝',
    connected: true,
    final: true,
    success: false,
    callback: false,
    retryMinutes: null,
    dncDays: 180,
    hotkey: '3'
  },
  {
    code: 'no_answer',
    label: '无人接听',
    connected: false,
    final: false,
    success: false,
    callback: false,
    retryMinutes: 120,
    dncDays: null,
    hotkey: '4'
  },
  {
    code: 'busy',
    label: '忙线',
    connected: false,
    final: false,
    success: false,
    callback: false,
    retryMinutes: 30,
    dncDays: null,
    hotkey: '5'
  },
  {
    code: 'vacant',
    label: '空号',
    connected: false,
    final: true,
    success: false,
    callback: false,
    retryMinutes: null,
    dncDays: null,
    hotkey: '6'
  },
  {
    code: 'suspended',
    label: '停机',
    connected: false,
    final: true,
    success: false,
    callback: false,
    retryMinutes: null,
    dncDays: null,
    hotkey: '7'
  },
  {
    code: 'wrong_number',
    label: '错号',
    connected: true,
    final: true,
    success: false,
    callback: false,
    retryMinutes: null,
    dncDays: null,
    hotkey: '8'
  },
  {
    code: 'insured',
    label: '已投保',
    connected: true,
    final: true,
    success: false,
    callback: false,
    retryMinutes: null,
    dncDays: null,
    hotkey: '9'
  },
  {
    code: 'do_not_call',
    label: '要求不再来电',
    connected: true,
    final: true,
    success: false,
    callback: false,
    retryMinutes: null,
    dncDays: 0,
    hotkey: '0'
  }
]

export const DEFAULT_CAMPAIGN_SETTINGS: CampaignSettings = {
  // The source plans' rhythm: Monday–Friday, 10:00–12:00 and 13:30–18:00.
  windows: [
    { days: [1, 2, 3, 4, 5], start: '10:00', end: '12:00' },
    { days: [1, 2, 3, 4, 5], start: '13:30', end: '18:00' }
  ],
  statutoryCalendar: true,
  holidays: [],
  extraWorkdays: [],
  outsideArea: 'accept',
  outsideScope: 'city',
  maxAttempts: 6,
  allowPool: true,
  dialMode: 'preview',
  progressiveDelaySec: 10,
  wrapUpSec: 30,
  recordingNotice: false,
  insurer: '',
  dailyTarget: 20,
  dispositions: DEFAULT_DISPOSITIONS,
  // The source plans have QA confirm each success before it is handed over; a few percent of
  // the rest by hand (docs/domain.md), and every call the two channels say went badly.
  qa: {
    gate: true,
    reviewSuccesses: true,
    samplePercent: 5,
    rules: [
      { metric: 'talkOverShare', op: 'gt', value: 0.1 },
      { metric: 'longestMonologueMs', op: 'gt', value: 90_000 }
    ]
  }
}

/** The script a new campaign starts with: the steps the rules require, ticked as they are said. */
export const DEFAULT_SCRIPT: { title: string; body: ScriptBody } = {
  title: '标准约访话术',
  body: {
    steps: [
      {
        id: 'identity',
        title: '身份说明',
        text: '{{称呼}}您好！我是{{公司}}的电话客服{{坐席姓名}}，工号{{工号}}。请问您是{{姓名}}吗？',
        mandatory: true,
        branches: [
          { label: '是本人', to: 'notice' },
          { label: '不是本人', to: 'close' }
        ]
      },
      {
        id: 'notice',
        title: '录音告知',
        text: '为保障您的权益，本次通话将被录音。',
        mandatory: true,
        branches: [{ label: '继续', to: 'needs' }]
      },
      {
        id: 'needs',
        title: '需求了解',
        text: '{{姓名}}{{称呼}}，想了解一下您和家人目前的保障情况，方便占用您两分钟吗？',
        mandatory: false,
        branches: [
          { label: '愿意听', to: 'offer' },
          { label: '犹豫', to: 'hesitate' },
          { label: '拒绝', to: 'close' }
        ]
      },
      {
        id: 'hesitate',
        title: '犹豫时',
        text: '理解您的顾虑。我们只是安排{{区县}}的专业顾问上门为您免费讲解，不需要您现在做任何决定。',
        mandatory: false,
        branches: [
          { label: '可以', to: 'offer' },
          { label: '还是不要', to: 'close' }
        ]
      },
      {
        id: 'offer',
        title: '约访',
        text: '我们{{区县}}的顾问这周可以上门，您看哪天方便？',
        mandatory: false,
        branches: [
          { label: '约好时间', to: 'consent' },
          { label: '以后再说', to: 'close' }
        ]
      },
      {
        id: 'consent',
        title: '信息授权',
        text: '为安排上门，需要把您的姓名、电话和地址提供给我们的顾问，您同意吗？',
        mandatory: true,
        branches: [{ label: '同意', to: 'close' }]
      },
      { id: 'close', title: '结束语', text: '感谢您的接听，祝您生活愉快，再见！', mandatory: false, branches: [] }
    ],
    objections: [
      { objection: '我没时间', answer: '理解您很忙，我只占用您一分钟，或者我换个时间再打给您？' },
      { objection: '我已经有保险了', answer: '那很好！很多客户也是让我们的顾问帮忙检视一下现有保障，看看有没有缺口。' },
      {
        objection: '你们怎么有我的电话',
        answer: '您的信息来自我们的合作渠道，如果您不希望再接到来电，我可以为您登记。'
      },
      { objection: '不需要', answer: '好的，不打扰您了。如果以后有需要，欢迎随时联系我们。' }
    ]
  }
}

export class CampaignsService {
  readonly repo: CampaignsRepo

  constructor(private deps: CoreDeps) {
    this.repo = new CampaignsRepo(deps.db)
  }

  private toCampaign(r: CampaignRow): Campaign {
    const merged = { ...DEFAULT_CAMPAIGN_SETTINGS, ...(JSON.parse(r.settings) as Partial<CampaignSettings>) }
    // Settings that no longer fit (an older build's, hand-edited) fall back to the defaults.
    const parsed = campaignSettingsSchema.safeParse(merged)
    return {
      id: r.id,
      name: r.name,
      active: r.active === 1,
      training: r.training === 1,
      createdAt: r.created_at,
      settings: parsed.success ? parsed.data : DEFAULT_CAMPAIGN_SETTINGS
    }
  }

  get(id: number): Campaign {
    const c = this.list().find((x) => x.id === id)
    if (!c) throw new AppError('NOT_FOUND')
    return c
  }

  /** A campaign that takes new leads and batches: a closed one (not active) takes none. */
  open(id: number): Campaign {
    const c = this.get(id)
    if (!c.active) throw new AppError('CONFLICT', 'errors.campaignClosed', { name: c.name })
    if (c.training) throw new AppError('CONFLICT', 'errors.trainingCampaignNoLists')
    return c
  }

  private all: Campaign[] | null = null

  /** All campaigns, kept parsed until one changes (the queue asks on every claim). */
  list(): Campaign[] {
    this.all ??= this.repo.list().map((r) => this.toCampaign(r))
    return this.all
  }

  /** A campaign was written (here, or by the training campaign's first use): read them again. */
  changed(): void {
    this.all = null
  }

  disposition(campaignId: number, code: string): Disposition {
    const d = this.get(campaignId).settings.dispositions.find((x) => x.code === code)
    if (!d) throw new AppError('INVALID_INPUT', 'errors.unknownDisposition', { code })
    return d
  }

  currentScript(campaignId: number): Script | null {
    return this.toScript(this.repo.currentScript(campaignId))
  }

  /** One version of a script (the one a call started with). */
  script(id: number): Script | null {
    return this.toScript(this.repo.script(id))
  }

  private toScript(r: ScriptRow | undefined): Script | null {
    if (!r) return null
    return {
      id: r.id,
      campaignId: r.campaign_id,
      version: r.version,
      title: r.title,
      body: scriptBodySchema.parse(JSON.parse(r.body)),
      createdAt: r.created_at,
      createdBy: r.username
    }
  }

  publishScript(campaignId: number, title: string, body: ScriptBody, userId: number | null): Script {
    this.get(campaignId)
    this.repo.addScript(campaignId, title, JSON.stringify(body), userId, this.deps.clock.now().toISOString())
    return this.currentScript(campaignId)!
  }

  /** The id of the campaign's current script; a campaign without one gets the default script first. */
  currentScriptId(campaignId: number): number {
    const id = this.repo.currentScriptId(campaignId)
    return id ?? this.publishScript(campaignId, DEFAULT_SCRIPT.title, DEFAULT_SCRIPT.body, null).id
  }

  handlers(): DomainHandlers<'campaigns' | 'scripts'> {
    const { db, audit, clock } = this.deps
    return {
      'campaigns.list': () => this.list(),
      'campaigns.create': (input, ctx) => {
        const { user } = requireUser(ctx)
        if (this.repo.nameTaken(input.name))
          throw new AppError('CONFLICT', 'errors.campaignExists', { name: input.name })
        let id: number
        try {
          id = db
            .transaction(() => {
              const newId = this.repo.add(input.name, clock.now().toISOString())
              this.changed() // the default script is published for a campaign the list already knows
              this.currentScriptId(newId)
              audit.write({
                userId: user.id,
                username: user.username,
                action: 'campaigns.create',
                entity: 'campaign',
                entityId: newId,
                details: { name: input.name },
                source: ctx.conn.source
              })
              return newId
            })
            .immediate()
        } finally {
          this.changed()
        }
        return this.get(id)
      },
      'campaigns.update': (input, ctx) => {
        const { user } = requireUser(ctx)
        const current = this.get(input.id)
        const settings = campaignSettingsSchema.parse({ ...current.settings, ...input.settings })
        db.transaction(() => {
          this.repo.update(input.id, input.name ?? null, input.active ?? null, JSON.stringify(settings))
          audit.write({
            userId: user.id,
            username: user.username,
            action: 'campaigns.update',
            entity: 'campaign',
            entityId: input.id,
            details: { name: input.name, active: input.active, settings: input.settings },
            source: ctx.conn.source
          })
        }).immediate()
        this.changed()
        return this.get(input.id)
      },
      'scripts.current': (input) => {
        this.get(input.campaignId)
        this.currentScriptId(input.campaignId)
        return this.currentScript(input.campaignId)
      },
      'scripts.versions': (input) =>
        this.repo.versions(input.campaignId).map((r) => ({
          id: r.id,
          campaignId: r.campaign_id,
          version: r.version,
          title: r.title,
          createdAt: r.created_at,
          createdBy: r.username
        })),
      'scripts.publish': (input, ctx) => {
        const { user } = requireUser(ctx)
        const s = db
          .transaction(() => {
            const script = this.publishScript(input.campaignId, input.title, input.body, user.id)
            audit.write({
              userId: user.id,
              username: user.username,
              action: 'scripts.publish',
              entity: 'campaign',
              entityId: input.campaignId,
              details: { version: script.version, title: input.title },
              source: ctx.conn.source
            })
            return script
          })
          .immediate()
        return s
      }
    }
  }
}
