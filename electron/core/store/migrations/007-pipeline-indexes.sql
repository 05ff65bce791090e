-- Indexes the rules stage reads on every batch (found by review with EXPLAIN QUERY PLAN):
-- the complaint-thread check looks up a conversation's earlier messages, and a chat's next
-- message looks for its contact's open conversation. Without them both scan whole tables.

CREATE INDEX messages_by_conversation ON messages (platform, conversation_ref) WHERE conversation_ref IS NOT NULL;
CREATE INDEX interactions_by_contact ON interactions (contact_id, state);
