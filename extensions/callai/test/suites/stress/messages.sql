-- A message on one of ten conversations (index and counts under contention).
\set k random(1, 10)
INSERT INTO callai.conversation_messages (conversation_id, role, content)
SELECT id, 'customer', 'message ' || :k FROM callai.conversations WHERE conversation_key = 'k' || :k;
