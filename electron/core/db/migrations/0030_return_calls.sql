-- 0030: return calls (回拨路由). A customer who calls one of the centre's numbers back is routed by
-- the hub to the operator of their lead; the call is the rung operator's from the first ring
-- (calls.direction 'inbound', shown_number: the centre's number dialled). One nobody answered becomes
-- a callback for the lead's owner, marked as such for the wallboard.
ALTER TABLE callbacks ADD COLUMN origin TEXT CHECK (origin IN ('missed_inbound'));
CREATE INDEX callbacks_missed_inbound ON callbacks (due_at) WHERE origin = 'missed_inbound' AND state = 'pending';
