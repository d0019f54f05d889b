-- 0008: indexes the reports need — the funnel takes the leads imported in a period and looks up
-- their dispatches and follow-ups; the live board counts a campaign's leads by state.
CREATE INDEX leads_created ON leads (created_at);
CREATE INDEX dispatches_lead ON dispatches (lead_id);
CREATE INDEX follow_ups_lead ON follow_ups (lead_id);
CREATE INDEX calls_started ON calls (started_at);
