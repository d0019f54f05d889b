/**
 * Which leads are an operator's own, in one place: the desk's card, the lead view, "我的线索" and
 * every method an operator calls with a lead id check it. A lead is theirs while they hold its lease
 * (they are working it), own it (their private pool, 私海), were given it in its latest daily batch,
 * or booked a callback on it that is still pending. Having once called it is not enough: after the
 * outcome a lead goes back to the pool, to whoever the rules give it next.
 *
 * The set of the operator's leads, as SQL with the parameter @op: each part uses its own index.
 */
export const OPERATORS_LEADS = `SELECT id FROM leads WHERE owner_id = @op
  UNION SELECT id FROM leads WHERE lease_by = @op
  UNION SELECT a.lead_id FROM allocations a WHERE a.operator_id = @op
    AND a.day = (SELECT max(b.day) FROM allocations b WHERE b.lead_id = a.lead_id)
  UNION SELECT lead_id FROM callbacks WHERE operator_id = @op AND state = 'pending'`

/** One lead (@lead) of the operator (@op). */
export const IS_OPERATORS_LEAD = `SELECT 1 FROM leads l WHERE l.id = @lead AND (
  l.owner_id = @op OR l.lease_by = @op
  OR EXISTS (SELECT 1 FROM allocations a WHERE a.lead_id = l.id AND a.operator_id = @op
    AND a.day = (SELECT max(b.day) FROM allocations b WHERE b.lead_id = l.id))
  OR EXISTS (SELECT 1 FROM callbacks c WHERE c.lead_id = l.id AND c.operator_id = @op AND c.state = 'pending'))`
