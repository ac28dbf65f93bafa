using Microsoft.Data.Sqlite;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;
using Workbench.Tests.Core.Segments;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Playbook;

public sealed class SnapshotReaderTests
{
    // The snapshot read from the store and evaluated in memory must pick the customers the SQL compiler picks:
    // random rules over random customers written into a real SQLite store (the segment engine's fixture).
    [Fact]
    public async Task ReadAsync_RandomRules_SnapshotFactsAgreeWithTheSqlCompiler()
    {
        await using var store = await TestStore.CreateAsync();
        var customers = SegmentFixture.Random(150, seed: 23);
        await SegmentFixture.WriteAsync(store.Location.ConnectionString, customers);
        await using var connection = new SqliteConnection(store.Location.ConnectionString);
        await connection.OpenAsync();

        var facts = new List<CustomerFacts>();
        foreach (var c in customers)
            facts.Add((await SnapshotReader.ReadAsync(connection, c.CustomerId, SegmentFixture.AsOf, null, default))!.ToFacts());

        var generator = new RandomRules(seed: 29);
        var split = 0;
        for (var i = 0; i < 150; i++)
        {
            var rule = generator.Group(depth: 0);
            var expected = await RuleQuery.IdsAsync(connection, RuleSqlCompiler.Compile(rule, SegmentFixture.AsOf), default);
            var actual = facts.Where(f => RuleEvaluator.Matches(rule, f, SegmentFixture.AsOf)).Select(f => f.CustomerId).ToList();
            Assert.True(expected.SequenceEqual(actual), $"rule {i}: {RuleJson.Serialize(rule)}\nSQL {expected.Count}, snapshot {actual.Count}");
            if (actual.Count > 0 && actual.Count < customers.Count) split++;
        }
        Assert.True(split > 60, $"only {split} rules split the customers");
    }

    [Fact]
    public async Task ReadAsync_LinesEventsSegmentsAndZone()
    {
        await using var store = await TestStore.CreateAsync();
        var at = new DateTime(2026, 11, 20, 9, 30, 0, DateTimeKind.Utc);
        await using var connection = new SqliteConnection(store.Location.ConnectionString);
        await connection.OpenAsync();
        await Exec(connection, "INSERT INTO customers (customer_id, first_name, time_zone, birth_date, loyalty_points, import_id, created_import_id, revision, seen_import_id) VALUES ('C9', 'Zoë', 'Europe/Dublin', '1980-02-29', 1200, 0, 0, 0, 0)");
        await Exec(connection, "INSERT INTO products (sku, name, category, price, import_id, created_import_id, revision, seen_import_id) VALUES ('GAR-1', 'Trowel', 'Garden', 5, 0, 0, 0, 0)");
        await Exec(connection, "INSERT INTO order_lines (order_id, line_no, customer_id, ordered_at, sku, quantity, unit_price, discount, import_id, created_import_id, revision, seen_import_id) VALUES "
            + "('O1', 1, 'C9', '2026-11-20 09:30:00', 'GAR-1', 2, 5, 1, 0, 0, 0, 0), ('O2', 1, 'C9', '2026-12-20 09:30:00', 'GAR-1', 1, 5, 0, 0, 0, 0, 0)");
        await Exec(connection, "INSERT INTO events (event_key, customer_id, occurred_at, type, sku, category, import_id, created_import_id, revision, seen_import_id) VALUES "
            + "('E1', 'C9', '2026-11-21 10:00:00', 'cart_abandon', 'GAR-1', 'Garden', 0, 0, 0, 0), ('E0', 'C9', '2026-01-01 10:00:00', 'page_view', NULL, NULL, 0, 0, 0, 0)");
        await Exec(connection, "INSERT INTO segments (id, name, description, owner, rule_json, version, created_at, updated_at, updated_by) VALUES (5, 's', '', 'o', '{}', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'o')");
        await Exec(connection, "INSERT INTO segment_members (segment_id, customer_id) VALUES (5, 'C9')");

        var s = (await SnapshotReader.ReadAsync(connection, "C9", new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), null, default))!;
        Assert.Equal(("Zoë", "Europe/Dublin", new DateOnly(1980, 2, 29), 1200L), (s.Profile.FirstName, s.Profile.TimeZone, s.Profile.BirthDate, s.Profile.LoyaltyPoints));
        Assert.Null(s.Features);
        // The line after `now` is not read; the amount is quantity × unit price − discount.
        var line = Assert.Single(s.Purchases);
        Assert.Equal(new PurchaseLine("O1", at, "GAR-1", "Garden", 2, 9), line);
        // Events of the last 30 days only.
        Assert.Equal(["cart_abandon"], s.Events.Select(e => e.Type));
        Assert.Equal([5L], s.SegmentIds);
        Assert.Empty(s.Consents);
        Assert.Null(await SnapshotReader.ReadAsync(connection, "nobody", DateTime.UtcNow, null, default));
    }

    [Fact]
    public async Task ReadAsync_ContactsAndPointsReadings_FromTheirTables_UpToNow()
    {
        await using var store = await TestStore.CreateAsync();
        var now = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
        await using var connection = new SqliteConnection(store.Location.ConnectionString);
        await connection.OpenAsync();
        await Exec(connection, "INSERT INTO customers (customer_id, first_name, time_zone, loyalty_points, import_id, created_import_id, revision, seen_import_id) VALUES ('C9', 'Zoë', 'Europe/London', 1200, 0, 0, 0, 0), ('C8', 'Al', NULL, NULL, 0, 0, 0, 0)");
        await Exec(connection, "INSERT INTO consents (customer_id, channel, status, updated_at, source, import_id, created_import_id, revision, seen_import_id) VALUES ('C9', 'email', 'granted', '2026-01-01 00:00:00', 't', 0, 0, 0, 0)");
        await Exec(connection, "INSERT INTO contact_history (customer_id, at, play_id, channel, exclusion_group) VALUES "
            + "('C9', '2026-11-22 09:00:00', 'p1', 'email', 'weekly'), ('C9', '2026-10-01 09:00:00', 'p2', 'sms', NULL), "
            + "('C9', '2026-11-25 09:00:00', 'p1', 'email', NULL), ('C8', '2026-11-23 09:00:00', 'p1', 'email', NULL)");
        await Exec(connection, "INSERT INTO points_history (customer_id, at, points) VALUES "
            + "('C9', '2026-11-01 03:00:00', 400), ('C9', '2026-11-23 03:00:00', 1200), ('C9', '2026-11-30 03:00:00', 50)");

        var s = (await SnapshotReader.ReadAsync(connection, "C9", now, null, default))!;

        // Newest first, nothing after now, nothing of another customer.
        Assert.Equal([new PlayContact("p1", "weekly", "email", new DateTime(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc)),
            new PlayContact("p2", null, "sms", new DateTime(2026, 10, 1, 9, 0, 0, DateTimeKind.Utc))], s.Contacts);
        // Oldest first, as the points trigger reads them.
        Assert.Equal([new PointsReading(new DateTime(2026, 11, 1, 3, 0, 0, DateTimeKind.Utc), 400), new PointsReading(new DateTime(2026, 11, 23, 3, 0, 0, DateTimeKind.Utc), 1200)],
            s.PointsHistory);

        // What they decide: p1 contacted 2 days ago is in its 7-day cooldown; 1,000 points were crossed yesterday.
        var customer = PlaybookCustomer.Prepare(s, now, TimeZoneInfo.Utc);
        var play = PlaybookFixture.Play("p1") with { CooldownDays = 7, Channels = ["email"], Content = [PlaybookFixture.Play().Content[0]] };
        var verdict = Eligibility.Evaluate(play, "email", customer, TimeZoneInfo.Utc);
        Assert.Equal(ReasonKind.Cooldown, verdict.FirstBlocking!.Kind);
        Assert.Equal("last contact 2026-11-22 09:00 UTC; cooldown ends 2026-11-29 09:00 UTC", verdict.FirstBlocking.CustomerValue);
        // 12 days on, the latest contact (25 November) is a week behind too.
        var later = PlaybookCustomer.Prepare((await SnapshotReader.ReadAsync(connection, "C9", now.AddDays(12), null, default))!, now.AddDays(12), TimeZoneInfo.Utc);
        Assert.True(Eligibility.Evaluate(play, "email", later, TimeZoneInfo.Utc).Eligible);
        var points = TriggerEvaluator.Evaluate(new LifecycleTrigger(LifecycleMoment.LoyaltyPointsCrossed, 3, 1000), customer, TimeZoneInfo.Utc);
        Assert.True(points.Fired, points.CustomerValue);
        var withoutHistory = PlaybookCustomer.Prepare(s with { PointsHistory = [] }, now, TimeZoneInfo.Utc);
        Assert.False(TriggerEvaluator.Evaluate(new LifecycleTrigger(LifecycleMoment.LoyaltyPointsCrossed, 3, 1000), withoutHistory, TimeZoneInfo.Utc).Fired);
    }

    // A snapshot is read for every preview and every real-time decision, so each of its statements must reach the
    // customer's rows through an index. SQLite's own plan says how: "SEARCH" is an index or key lookup, "SCAN" reads a
    // whole table. Only the saved segments themselves (a few hundred rows) may be scanned, to probe each one's
    // memberships by its key; a lookup of segment_members by customer_id alone scanned 2.6M rows at 1M customers.
    [Fact]
    public async Task ReadAsync_EveryStatement_FindsTheCustomerByAnIndex()
    {
        await using var store = await TestStore.CreateAsync();
        await using var connection = new SqliteConnection(store.Location.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(10, SnapshotReader.Statements.Count);
        foreach (var sql in SnapshotReader.Statements)
        {
            var plan = new List<string>();
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "EXPLAIN QUERY PLAN " + sql;
                foreach (var name in new[] { "$id", "$since", "$now", "$max" })
                    if (sql.Contains(name, StringComparison.Ordinal)) cmd.Parameters.AddWithValue(name, name == "$max" ? 10 : "C1");
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) plan.Add(r.GetString(3));
            }
            var scans = plan.Where(step => step.StartsWith("SCAN ", StringComparison.Ordinal) && !step.StartsWith("SCAN s ", StringComparison.Ordinal) && step != "SCAN s").ToList();
            Assert.True(plan.Any(step => step.StartsWith("SEARCH ", StringComparison.Ordinal)), $"{sql}\n{string.Join("\n", plan)}");
            Assert.True(scans.Count == 0, $"{sql}\nscans: {string.Join("; ", scans)}");
        }
    }

    // A campaign run reads snapshots in batches (one range read per table); each must equal the customer's own read.
    // Random customers of the segment engine's fixture, plus memberships, contact history and points readings for some,
    // read in batches of 7 so that batch edges fall everywhere.
    [Fact]
    public async Task ReadBatchAsync_EveryCustomer_EqualsTheirOwnRead()
    {
        await using var store = await TestStore.CreateAsync();
        var customers = SegmentFixture.Random(120, seed: 31);
        await SegmentFixture.WriteAsync(store.Location.ConnectionString, customers);
        await using var connection = new SqliteConnection(store.Location.ConnectionString);
        await connection.OpenAsync();
        await Exec(connection, "INSERT INTO segments (id, name, description, owner, rule_json, version, created_at, updated_at, updated_by) VALUES "
            + "(5, 's', '', 'o', '{}', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'o'), (6, 't', '', 'o', '{}', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'o')");
        var ids = customers.Select(c => c.CustomerId).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            if (i % 3 == 0) await Exec(connection, $"INSERT INTO segment_members (segment_id, customer_id) VALUES (5, '{ids[i]}')");
            if (i % 4 == 0) await Exec(connection, $"INSERT INTO segment_members (segment_id, customer_id) VALUES (6, '{ids[i]}')");
            if (i % 5 == 0) await Exec(connection, $"INSERT INTO contact_history (customer_id, at, play_id, channel, exclusion_group) VALUES ('{ids[i]}', '2025-06-0{1 + i % 8} 09:00:00', 'p{i % 3}', 'email', NULL), ('{ids[i]}', '2025-07-01 09:00:00', 'p9', 'sms', 'g')");
            if (i % 6 == 0) await Exec(connection, $"INSERT INTO points_history (customer_id, at, points) VALUES ('{ids[i]}', '2025-01-01 03:00:00', {i}), ('{ids[i]}', '2025-02-01 03:00:00', {i * 2})");
        }

        var batched = new List<SnapshotWithContacts>();
        string? after = null;
        var batches = 0;
        while (true)
        {
            var batch = await SnapshotReader.ReadBatchAsync(connection, after, 7, SegmentFixture.AsOf, null, [5, 6], default);
            batched.AddRange(batch.Customers);
            batches++;
            if (batch.Last is null) break;
            after = batch.Last;
        }
        Assert.Equal(ids.Order(StringComparer.Ordinal), batched.Select(b => b.Snapshot.CustomerId));
        Assert.Equal((120 + 6) / 7, batches);
        foreach (var b in batched)
        {
            var own = (await SnapshotReader.ReadAsync(connection, b.Snapshot.CustomerId, SegmentFixture.AsOf, null, default))!;
            Assert.Equal(Canonical(own), Canonical(b.Snapshot));
        }
        Assert.Contains(batched, b => b.Snapshot.SegmentIds.Count == 2);
        Assert.Contains(batched, b => b.Snapshot.Contacts.Count == 2 && b.Snapshot.PointsHistory.Count == 2);
    }

    private static string Canonical(CustomerSnapshot s) => System.Text.Json.JsonSerializer.Serialize(new
    {
        s.CustomerId, s.Profile, s.Features,
        Consents = s.Consents.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList(),
        Segments = s.SegmentIds.Order().ToList(), s.Events, s.Purchases, s.Contacts, s.PointsHistory,
        Categories = s.CategoryLastBought?.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList(),
        EventTypes = s.EventLastAt?.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList(),
    });

    // The batch read walks the same indexes as a range: every statement searches, none scans a table.
    [Fact]
    public async Task ReadBatchAsync_EveryStatement_WalksAnIndexRange()
    {
        await using var store = await TestStore.CreateAsync();
        await using var connection = new SqliteConnection(store.Location.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(10, SnapshotReader.BatchStatements.Count);
        foreach (var sql in SnapshotReader.BatchStatements)
        {
            var plan = new List<string>();
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "EXPLAIN QUERY PLAN " + sql;
                foreach (var name in new[] { "$lo", "$hi", "$after", "$since", "$now", "$take", "$segment" })
                    if (sql.Contains(name, StringComparison.Ordinal)) cmd.Parameters.AddWithValue(name, name is "$take" or "$segment" ? 10 : "C1");
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) plan.Add(r.GetString(3));
            }
            Assert.True(plan.Any(step => step.StartsWith("SEARCH ", StringComparison.Ordinal)), $"{sql}\n{string.Join("\n", plan)}");
            Assert.True(!plan.Any(step => step.StartsWith("SCAN ", StringComparison.Ordinal)), $"{sql}\n{string.Join("\n", plan)}");
        }
    }

    private static async Task Exec(SqliteConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
