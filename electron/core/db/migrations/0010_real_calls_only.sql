-- 0010: one rule for every figure — calls on the simulated line (training, demos) count nowhere.
-- Before, the funnel counted a lead as dialed on any dial and as accepted on a simulated success,
-- but as contacted only on a real call (已拨打 2 → 已接通 0 → 同意约访 2). Now a lead's steps are set
-- by real calls only, and the steps after acceptance only for a lead accepted on a real call.

DROP TRIGGER leads_dialed;
CREATE TRIGGER calls_funnel_dialed AFTER INSERT ON calls WHEN NEW.line = 'sip' AND NEW.lead_id IS NOT NULL BEGIN
  UPDATE leads SET milestones = milestones | 1 WHERE id = NEW.lead_id AND (milestones & 1) = 0;
END;

DROP TRIGGER outcomes_funnel;
CREATE TRIGGER outcomes_funnel AFTER INSERT ON outcomes WHEN NEW.simulated = 0 AND (NEW.connected = 1 OR NEW.success = 1) BEGIN
  UPDATE leads SET milestones = milestones | (CASE WHEN NEW.connected = 1 THEN 2 ELSE 0 END) | (CASE WHEN NEW.success = 1 THEN 4 ELSE 0 END)
  WHERE id = NEW.lead_id;
END;

DROP TRIGGER dispatches_funnel_insert;
CREATE TRIGGER dispatches_funnel_insert AFTER INSERT ON dispatches BEGIN
  UPDATE leads SET milestones = milestones | 8 | (CASE WHEN NEW.agent_id IS NOT NULL THEN 16 ELSE 0 END)
    | (CASE WHEN NEW.state IN ('visited', 'signed') THEN 32 ELSE 0 END) | (CASE WHEN NEW.state = 'signed' THEN 64 ELSE 0 END)
  WHERE id = NEW.lead_id AND (milestones & 4) <> 0;
END;
DROP TRIGGER dispatches_funnel_update;
CREATE TRIGGER dispatches_funnel_update AFTER UPDATE OF agent_id, state ON dispatches BEGIN
  UPDATE leads SET milestones = milestones | (CASE WHEN NEW.agent_id IS NOT NULL THEN 16 ELSE 0 END)
    | (CASE WHEN NEW.state IN ('visited', 'signed') THEN 32 ELSE 0 END) | (CASE WHEN NEW.state = 'signed' THEN 64 ELSE 0 END)
  WHERE id = NEW.lead_id AND (milestones & 4) <> 0;
END;
DROP TRIGGER follow_ups_funnel;
CREATE TRIGGER follow_ups_funnel AFTER UPDATE OF state ON follow_ups WHEN NEW.state = 'done' BEGIN
  UPDATE leads SET milestones = milestones | 128 WHERE id = NEW.lead_id AND (milestones & 4) <> 0;
END;
DROP TRIGGER follow_ups_funnel_insert;
CREATE TRIGGER follow_ups_funnel_insert AFTER INSERT ON follow_ups WHEN NEW.state = 'done' BEGIN
  UPDATE leads SET milestones = milestones | 128 WHERE id = NEW.lead_id AND (milestones & 4) <> 0;
END;

-- What happened before, counted again by the rule. (SQLite gives | and << the same precedence, left to
-- right, so each shifted bit is in parentheses: 0009's backfill lacked them and mixed the bits up.)
UPDATE leads SET milestones =
    (EXISTS (SELECT 1 FROM calls c WHERE c.lead_id = leads.id AND c.line = 'sip'))
  | ((EXISTS (SELECT 1 FROM outcomes o WHERE o.lead_id = leads.id AND o.connected = 1 AND o.simulated = 0)) << 1)
  | ((EXISTS (SELECT 1 FROM outcomes o WHERE o.lead_id = leads.id AND o.success = 1 AND o.simulated = 0)) << 2)
WHERE milestones <> 0 OR attempts > 0;
UPDATE leads SET milestones = milestones
  | ((EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = leads.id)) << 3)
  | ((EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = leads.id AND d.agent_id IS NOT NULL)) << 4)
  | ((EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = leads.id AND d.state IN ('visited', 'signed'))) << 5)
  | ((EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = leads.id AND d.state = 'signed')) << 6)
  | ((EXISTS (SELECT 1 FROM follow_ups f WHERE f.lead_id = leads.id AND f.state = 'done')) << 7)
WHERE (milestones & 4) <> 0;
DELETE FROM batch_funnel;
INSERT INTO batch_funnel (batch_id, dialed, contacted, accepted, qa_passed, assigned, visited, signed, followed_up)
  SELECT batch_id, sum(milestones & 1 > 0), sum(milestones & 2 > 0), sum(milestones & 4 > 0), sum(milestones & 8 > 0),
    sum(milestones & 16 > 0), sum(milestones & 32 > 0), sum(milestones & 64 > 0), sum(milestones & 128 > 0)
  FROM leads WHERE milestones > 0 GROUP BY batch_id;
