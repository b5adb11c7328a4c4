.timer on
.print 'full list_live_records (checkpoint = max seq)'
SELECT count(*) FROM (SELECT record_id FROM custody_event WHERE type = 'arrival'
EXCEPT SELECT record_id FROM custody_event WHERE type IN ('transferred_to_la', 'left_for_court', 'released') AND occurred_at < '2026-12-06T00:00:00Z'
UNION SELECT t.record_id FROM custody_event AS c JOIN custody_event AS t ON t.event_id = c.supersedes WHERE c.supersedes IS NOT NULL AND t.type IN ('transferred_to_la', 'left_for_court', 'released')
UNION SELECT record_id FROM escalation WHERE resolved_at IS NULL
UNION SELECT record_id FROM quarantine WHERE origin = 'custody_event' AND record_id IS NOT NULL AND resolved_at IS NULL
UNION SELECT record_id FROM custody_event WHERE seq > 1793644);
.print 'arm: seq > checkpoint'
SELECT count(*) FROM (SELECT record_id FROM custody_event WHERE seq > 1793644 UNION SELECT 'x');
.print 'arm: arrival EXCEPT close'
SELECT count(*) FROM (SELECT record_id FROM custody_event WHERE type = 'arrival'
EXCEPT SELECT record_id FROM custody_event WHERE type IN ('transferred_to_la', 'left_for_court', 'released') AND occurred_at < '2026-12-06T00:00:00Z');
.print 'arm: corrected closes'
SELECT count(*) FROM (SELECT t.record_id FROM custody_event AS c JOIN custody_event AS t ON t.event_id = c.supersedes WHERE c.supersedes IS NOT NULL AND t.type IN ('transferred_to_la', 'left_for_court', 'released'));
.print 'max seq'
SELECT coalesce(max(seq),0) FROM custody_event;
.print 'month raw scan'
SELECT count(*), sum(length(data)) FROM custody_event WHERE record_id IN (SELECT record_id FROM custody_event WHERE type = 'arrival' AND occurred_at >= '2025-06-01' AND occurred_at < '2025-07-01');
.print 'per-record reads of the month (record_id index, non-covering), as the report does'
SELECT count(*), sum(length(e.data)) FROM (SELECT DISTINCT record_id AS r FROM custody_event WHERE type='arrival' AND occurred_at >= '2025-05-30' AND occurred_at < '2025-07-03') JOIN custody_event e ON e.record_id = r;
.print 'records in the month text range'
SELECT count(DISTINCT record_id) FROM custody_event WHERE type='arrival' AND occurred_at >= '2025-05-30' AND occurred_at < '2025-07-03';
