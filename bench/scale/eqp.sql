.print '== board at now / at T: cc_store_foreach_event_row(after_seq=0, NULL)'
EXPLAIN QUERY PLAN SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes FROM custody_event WHERE seq > 0 ORDER BY seq;
.print '== timeline / report per record: cc_store_foreach_event_row(0, record)'
EXPLAIN QUERY PLAN SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes FROM custody_event WHERE record_id = 'X' AND seq > 0 ORDER BY seq;
.print '== report: cc_store_list_month_records'
EXPLAIN QUERY PLAN SELECT DISTINCT record_id FROM (SELECT record_id FROM custody_event WHERE type = 'arrival' AND occurred_at >= '2025-05-30' AND occurred_at < '2025-07-03') ORDER BY 1;
.print '== report: cc_store_month_changed_since'
EXPLAIN QUERY PLAN SELECT 1 FROM custody_event WHERE seq > 1793644 AND +record_id IN (SELECT record_id FROM custody_event WHERE type = 'arrival' AND occurred_at >= '2025-05-30' AND occurred_at < '2025-07-03') LIMIT 1;
.print '== report: cc_store_list_month_escalations'
EXPLAIN QUERY PLAN SELECT * FROM escalation WHERE record_id IN (SELECT record_id FROM custody_event WHERE type = 'arrival' AND occurred_at >= '2025-05-30' AND occurred_at < '2025-07-03') ORDER BY record_id, id;
.print '== report: cc_store_lookup_report_cache'
EXPLAIN QUERY PLAN SELECT figures, checked_seq, settled_at FROM report_cache WHERE month = 'a' AND suite = '' AND policy = 'p';
.print '== report (record_is_known) / importer: cc_store_lookup_arrival'
EXPLAIN QUERY PLAN SELECT e.event_id, e.occurred_at FROM custody_event AS e WHERE e.record_id = 'X' AND e.type = 'arrival' AND NOT EXISTS (SELECT 1 FROM custody_event AS c WHERE c.supersedes = e.event_id AND c.record_id = e.record_id) ORDER BY e.seq LIMIT 1;
.print '== report/doctor: cc_store_list_quarantine'
EXPLAIN QUERY PLAN SELECT * FROM quarantine ORDER BY id;
.print '== agent start: cc_store_get_max_seq'
EXPLAIN QUERY PLAN SELECT coalesce(max(seq), 0) FROM custody_event;
.print '== agent start: cc_store_list_live_records'
EXPLAIN QUERY PLAN SELECT record_id FROM custody_event WHERE type = 'arrival'
EXCEPT SELECT record_id FROM custody_event WHERE type IN ('transferred_to_la', 'left_for_court', 'released') AND occurred_at < '2026-12-06T00:00:00Z'
UNION SELECT t.record_id FROM custody_event AS c JOIN custody_event AS t ON t.event_id = c.supersedes WHERE c.supersedes IS NOT NULL AND t.type IN ('transferred_to_la', 'left_for_court', 'released')
UNION SELECT record_id FROM escalation WHERE resolved_at IS NULL
UNION SELECT record_id FROM quarantine WHERE origin = 'custody_event' AND record_id IS NOT NULL AND resolved_at IS NULL
UNION SELECT record_id FROM custody_event WHERE seq > 1793644 ORDER BY 1;
.print '== agent pass: cc_ledger_load_held -> foreach_event_row(after_seq, NULL)'
EXPLAIN QUERY PLAN SELECT seq, event_id, record_id, type, occurred_at, recorded_at, officer, data, supersedes FROM custody_event WHERE seq > 1793644 ORDER BY seq;
.print '== agent pass: cc_store_list_record_escalations'
EXPLAIN QUERY PLAN SELECT * FROM escalation WHERE record_id = 'X' ORDER BY id;
.print '== agent: list_deliveries'
EXPLAIN QUERY PLAN SELECT key FROM delivery WHERE agent = 'a';
