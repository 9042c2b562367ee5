import { sql, type Kysely } from 'kysely';

// Multilateral governance: proposals with a deadline, one position per state,
// the decision rule in force per kind, accredited observer organisations and
// the directory settings that proposals change. Free text (an observer's
// contact, a vote's explanation) is sealed; the rest is what the members
// decide on and is not confidential between them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('governance_proposals')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('observer-accreditation', 'observer-suspension', 'freshness-period', 'template-version', 'decision-rule')`),
    )
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'adopted', 'rejected', 'withdrawn')`))
    // What may not be open twice at once (e.g. the organisation's normalised name, the kind a rule is for).
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('sealed_payload', 'bytea')
    .addColumn('rule', 'jsonb', (c) => c.notNull())
    .addColumn('electorate', sql`text[]`, (c) => c.notNull())
    .addColumn('proposer_role', 'text', (c) => c.notNull())
    .addColumn('proposer_state', 'text')
    .addColumn('proposer_sub', 'text', (c) => c.notNull())
    .addColumn('deadline', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision', 'jsonb')
    .execute();
  await sql`create unique index governance_proposals_one_open on governance_proposals (kind, dedupe_key) where status = 'open'`.execute(db);
  await sql`create index governance_proposals_due on governance_proposals (deadline) where status = 'open'`.execute(db);

  await db.schema
    .createTable('governance_votes')
    .addColumn('proposal_id', 'uuid', (c) => c.notNull().references('governance_proposals.id'))
    .addColumn('state_code', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull().check(sql`position in ('support', 'object', 'abstain')`))
    .addColumn('key_id', 'text')
    .addColumn('explanation', 'bytea')
    .addColumn('cast_by', 'text', (c) => c.notNull())
    .addColumn('cast_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('governance_votes_pk', ['proposal_id', 'state_code'])
    .execute();

  await db.schema
    .createTable('governance_rules')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('rule', 'jsonb', (c) => c.notNull())
    .addColumn('proposal_id', 'uuid', (c) => c.notNull().references('governance_proposals.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('directory_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('proposal_id', 'uuid', (c) => c.notNull().references('governance_proposals.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('observer_organizations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('industry', 'academia', 'civil-society', 'international-organization')`))
    .addColumn('contact', 'bytea', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('accredited', 'suspended')`))
    .addColumn('accredited_by', 'uuid', (c) => c.notNull().references('governance_proposals.id'))
    .addColumn('accredited_at', 'timestamptz', (c) => c.notNull())
    .addColumn('suspended_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['observer_organizations', 'directory_settings', 'governance_rules', 'governance_votes', 'governance_proposals']) {
    await db.schema.dropTable(t).execute();
  }
}
