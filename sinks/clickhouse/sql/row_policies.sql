-- Row policies: a BI user of one tenant sees only that tenant's rows. Not a migration: access control
-- lives on the server (chDB has no access storage), and the tenant list changes without a release.
-- Generate the statements for your tenants with
--     python -m sinks.clickhouse.row_policies --database ticketstream acme globex
-- and run them as an admin (clickhouse-client --multiquery). Placeholders: {db} the database, {tenant}
-- the tenant id as a SQL string, {name} the tenant id as an identifier part, {tables} every table with a
-- tenant_id column. Every statement is idempotent.

-- The role a tenant's BI users get; grant it with: GRANT ticketstream_tenant_<tenant> TO <user>.
CREATE ROLE IF NOT EXISTS ticketstream_tenant_{name};
GRANT SELECT ON {db}.* TO ticketstream_tenant_{name};

-- Rows of other tenants (and rows without a tenant) are invisible to the role, on every table.
CREATE ROW POLICY IF NOT EXISTS ticketstream_tenant_{name} ON {tables}
    FOR SELECT USING tenant_id = {tenant} AS permissive TO ticketstream_tenant_{name};

-- Writers and admins (the pipeline's user, the ticketstream_all role) keep seeing every row: once any
-- policy exists on a table, a user without one of its own may see nothing
-- (users_without_row_policies_can_read_rows), so give them an explicit allow-all policy.
CREATE ROLE IF NOT EXISTS ticketstream_all;
CREATE ROW POLICY IF NOT EXISTS ticketstream_all ON {tables}
    FOR SELECT USING 1 AS permissive TO ticketstream_all;
