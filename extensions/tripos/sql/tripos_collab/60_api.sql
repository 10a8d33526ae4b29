-- ---------------------------------------------------------------------------
-- API (SECURITY INVOKER; the privileged steps check the caller themselves)
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.invite_collaborator(p_trip_id uuid, p_email text, p_role text DEFAULT 'viewer',
                                               p_can_invite boolean DEFAULT false,
                                               p_expires_in interval DEFAULT '7 days')
RETURNS TABLE (invitation_id uuid, token text)
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.invite_collaborator(p_trip_id, p_email, p_role, p_can_invite, p_expires_in);
END;
COMMENT ON FUNCTION @extschema@.invite_collaborator(uuid, text, text, boolean, interval) IS
  'Invites an email to a trip (the owner, or a collaborator allowed to invite): returns the single-use token, shown only here';

CREATE FUNCTION @extschema@.accept_invitation(p_token text) RETURNS @extschema@.collaborators
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.answer_invitation(p_token, true);
END;
COMMENT ON FUNCTION @extschema@.accept_invitation(text) IS
  'Accepts an invitation addressed to the caller''s email: once, before it expires; returns the collaborator row';

CREATE FUNCTION @extschema@.decline_invitation(p_token text) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.answer_invitation(p_token, false);
END;

CREATE FUNCTION @extschema@.revoke_invitation(p_invitation_id uuid) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.revoke_invitation(p_invitation_id);
END;

CREATE FUNCTION @extschema@.change_collaborator_role(p_trip_id uuid, p_user_id uuid, p_role text,
                                                    p_can_invite boolean DEFAULT NULL)
RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.change_collaborator(p_trip_id, p_user_id, p_role, p_can_invite, false);
END;
COMMENT ON FUNCTION @extschema@.change_collaborator_role(uuid, uuid, text, boolean) IS
  'Owner only: sets an accepted collaborator''s role (viewer or editor) and, when given, can_invite';

CREATE FUNCTION @extschema@.remove_collaborator(p_trip_id uuid, p_user_id uuid) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.change_collaborator(p_trip_id, p_user_id, NULL, NULL, true);
END;
COMMENT ON FUNCTION @extschema@.remove_collaborator(uuid, uuid) IS
  'The owner removes a collaborator, or a collaborator leaves (p_user_id = themselves); the owner is never removed';

CREATE FUNCTION @extschema@.add_expense(p_trip_id uuid, p_title text, p_amount_minor bigint, p_currency text,
                                       p_paid_by uuid, p_split_method text, p_participants uuid[],
                                       p_split_values numeric[] DEFAULT NULL, p_trip_item_id uuid DEFAULT NULL,
                                       p_category text DEFAULT 'other', p_expense_date date DEFAULT CURRENT_DATE,
                                       p_notes text DEFAULT NULL)
RETURNS @extschema@.expenses
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.add_expense(p_trip_id, p_title, p_amount_minor, p_currency, p_paid_by,
                                            p_split_method, p_participants, p_split_values, p_trip_item_id,
                                            p_category, p_expense_date, p_notes);
END;
COMMENT ON FUNCTION @extschema@.add_expense(uuid, text, bigint, text, uuid, text, uuid[], numeric[], uuid, text, date, text) IS
  'A trip editor records an expense and its split among members: equal (values ignored), exact (minor units), percent (summing to 100) or shares (weights); remainders go deterministically so the shares sum to the amount';

CREATE FUNCTION @extschema@.record_settlement(p_trip_id uuid, p_from_user uuid, p_to_user uuid,
                                             p_amount_minor bigint, p_currency text, p_note text DEFAULT NULL)
RETURNS @extschema@.settlements
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.record_settlement(p_trip_id, p_from_user, p_to_user, p_amount_minor, p_currency, p_note);
END;
COMMENT ON FUNCTION @extschema@.record_settlement(uuid, uuid, uuid, bigint, text, text) IS
  'A member records a payment they made or received to settle the trip''s expenses';

-- balance = paid - owed + settlements sent - settlements received
-- (positive: the group owes the member). Rows the caller can see only.
CREATE VIEW @extschema@.trip_balances WITH (security_invoker = true) AS
  SELECT trip_id, user_id, currency, sum(delta)::bigint AS balance_minor
    FROM (SELECT e.trip_id, e.paid_by AS user_id, e.currency, e.amount_minor AS delta FROM @extschema@.expenses e
          UNION ALL
          SELECT e.trip_id, s.user_id, e.currency, -s.share_minor
            FROM @extschema@.expense_splits s JOIN @extschema@.expenses e ON e.id = s.expense_id
          UNION ALL
          SELECT t.trip_id, t.from_user, t.currency, t.amount_minor FROM @extschema@.settlements t
          UNION ALL
          SELECT t.trip_id, t.to_user, t.currency, -t.amount_minor FROM @extschema@.settlements t) AS moves
   GROUP BY trip_id, user_id, currency;
COMMENT ON VIEW @extschema@.trip_balances IS
  'Per trip, member and currency: paid - owed + settlements sent - received, in minor units (positive: the group owes them); user_id NULL: the trip''s former members (deleted accounts), whose part stays so the balances still sum to 0';

CREATE FUNCTION @extschema@.settlement_suggestions(p_trip_id uuid, p_currency text)
RETURNS TABLE (from_user uuid, to_user uuid, amount_minor bigint)
AS 'MODULE_PATHNAME', 'tripos_settlement_suggestions'
LANGUAGE c STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.settlement_suggestions(uuid, text) IS
  'Who pays whom to settle the trip in one currency, with the fewest transfers (exact up to 16 members with a balance); a NULL user is the trip''s former members (deleted accounts)';

CREATE VIEW @extschema@.vote_tallies WITH (security_invoker = true) AS
  SELECT trip_id, trip_item_id, saved_place_id,
         count(*) FILTER (WHERE vote_type = 'up') AS up_votes,
         count(*) FILTER (WHERE vote_type = 'down') AS down_votes,
         count(*) FILTER (WHERE vote_type = 'favorite') AS favorites,
         count(*) FILTER (WHERE vote_type = 'up') - count(*) FILTER (WHERE vote_type = 'down') AS score
    FROM @extschema@.votes
   GROUP BY trip_id, trip_item_id, saved_place_id;
COMMENT ON VIEW @extschema@.vote_tallies IS 'Votes per itinerary item or saved place of a trip';

CREATE FUNCTION @extschema@.expense_split_problems()
RETURNS TABLE (expense_id uuid, amount_minor bigint, splits_minor bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT e.id, e.amount_minor, coalesce(sum(s.share_minor), 0)::bigint
    FROM @extschema@.expenses e LEFT JOIN @extschema@.expense_splits s ON s.expense_id = e.id
   GROUP BY e.id, e.amount_minor
  HAVING coalesce(sum(s.share_minor), 0) <> e.amount_minor;
END;
COMMENT ON FUNCTION @extschema@.expense_split_problems() IS
  'Expenses whose splits do not sum to the amount (empty when all is well): the oracle of the tests';

REVOKE ALL ON FUNCTION
  @extschema@.invite_collaborator(uuid, text, text, boolean, interval), @extschema@.accept_invitation(text),
  @extschema@.decline_invitation(text), @extschema@.revoke_invitation(uuid),
  @extschema@.change_collaborator_role(uuid, uuid, text, boolean), @extschema@.remove_collaborator(uuid, uuid),
  @extschema@.add_expense(uuid, text, bigint, text, uuid, text, uuid[], numeric[], uuid, text, date, text),
  @extschema@.record_settlement(uuid, uuid, uuid, bigint, text, text),
  @extschema@.settlement_suggestions(uuid, text), @extschema@.expense_split_problems()
FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION
  @extschema@.invite_collaborator(uuid, text, text, boolean, interval), @extschema@.accept_invitation(text),
  @extschema@.decline_invitation(text), @extschema@.revoke_invitation(uuid),
  @extschema@.change_collaborator_role(uuid, uuid, text, boolean), @extschema@.remove_collaborator(uuid, uuid),
  @extschema@.add_expense(uuid, text, bigint, text, uuid, text, uuid[], numeric[], uuid, text, date, text),
  @extschema@.record_settlement(uuid, uuid, uuid, bigint, text, text),
  @extschema@.settlement_suggestions(uuid, text), @extschema@.expense_split_problems()
TO authenticated, service_role;
REVOKE ALL ON @extschema@.trip_balances, @extschema@.vote_tallies FROM PUBLIC, anon;
GRANT SELECT ON @extschema@.trip_balances, @extschema@.vote_tallies TO authenticated, service_role;
