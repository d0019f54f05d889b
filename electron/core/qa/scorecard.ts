import type { Review, ScorecardBody, Verdict } from '../../../shared/contract'
import { AppError } from '../errors'

/** The scorecard a campaign starts with (all editable): the rules' musts fail a call on their own. */
export const DEFAULT_SCORECARD: ScorecardBody = {
  title: '电销通话质检评分表',
  passMark: 80,
  items: [
    {
      id: 'identity',
      group: '开场',
      title: '报出姓名和工号',
      points: 10,
      autoFail: false,
      check: 'manual',
      hint: '人身保险电话销售服务规范：开场告知姓名、工号'
    },
    {
      id: 'steps',
      group: '开场',
      title: '必说环节齐全（身份说明、录音告知、信息授权）',
      points: 15,
      autoFail: false,
      check: 'mandatorySteps'
    },
    { id: 'needs', group: '沟通', title: '了解客户需求，不强行推销', points: 15, autoFail: false, check: 'manual' },
    {
      id: 'listening',
      group: '沟通',
      title: '耐心倾听，不抢话、不打断',
      points: 15,
      autoFail: false,
      check: 'manual',
      hint: '参考抢话时长与最长独白'
    },
    { id: 'accuracy', group: '合规', title: '产品介绍准确', points: 20, autoFail: false, check: 'manual' },
    {
      id: 'misleading',
      group: '合规',
      title: '夸大收益、承诺保本或误导退保',
      points: 0,
      autoFail: true,
      check: 'manual',
      hint: '一经发现，整通电话不合格'
    },
    {
      id: 'consent',
      group: '合规',
      title: '约访成功时未取得客户同意共享个人信息',
      points: 0,
      autoFail: true,
      check: 'manual',
      hint: '个人信息保护法：向地面人员提供客户信息须经同意'
    },
    { id: 'attitude', group: '服务', title: '语气礼貌，用语规范', points: 15, autoFail: false, check: 'manual' },
    { id: 'closing', group: '服务', title: '结束语与约定事项复述', points: 10, autoFail: false, check: 'manual' }
  ]
}

/**
 * A review's figures from the scorecard: every item scored once, no more than its points; an
 * auto-fail item that failed scores 0 and fails the call. A fail is forced by an auto-fail; a
 * pass needs the pass mark.
 */
export function scoreReview(
  card: ScorecardBody,
  scores: Review['scores'],
  verdict: Verdict
): { scores: Review['scores']; total: number; max: number; autoFailed: boolean } {
  const byId = new Map(scores.map((s) => [s.itemId, s]))
  if (byId.size !== scores.length) throw new AppError('INVALID_INPUT', 'errors.qaScoresIncomplete')
  const out: Review['scores'] = []
  let total = 0
  let max = 0
  let autoFailed = false
  for (const item of card.items) {
    const s = byId.get(item.id)
    if (!s) throw new AppError('INVALID_INPUT', 'errors.qaScoresIncomplete')
    if (s.score > item.points)
      throw new AppError('INVALID_INPUT', 'errors.qaScoreTooHigh', { item: item.title, points: item.points })
    const failed = item.autoFail && s.failed
    const score = failed ? 0 : s.score
    autoFailed ||= failed
    total += score
    max += item.points
    out.push({ itemId: item.id, score, failed, ...(s.note ? { note: s.note } : {}) })
  }
  if (scores.some((s) => !card.items.some((i) => i.id === s.itemId)))
    throw new AppError('INVALID_INPUT', 'errors.qaScoresIncomplete')
  if (autoFailed && verdict !== 'fail') throw new AppError('INVALID_INPUT', 'errors.qaAutoFailVerdict')
  if (verdict === 'pass' && max > 0 && (total * 100) / max < card.passMark)
    throw new AppError('INVALID_INPUT', 'errors.qaBelowPassMark', { mark: card.passMark })
  return { scores: out, total, max, autoFailed }
}
