using System.Globalization;
using CsvHelper;
using Workbench.Core.Audit;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Audit;

public sealed class AuditServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task QueryAsync_FiltersByUserEntityAndDate_AndPagesNewestFirst()
    {
        for (var i = 0; i < 5; i++) await _store.Audit.RecordAsync("ann", AuditActions.Update, "segment", $"S{i}");
        await _store.Audit.RecordAsync("ben", AuditActions.Delete, "segment", "S9");
        await _store.Audit.RecordAsync("ann", AuditActions.Create, "play", "P1");

        var annSegments = await _store.Audit.QueryAsync(new AuditFilter("ann", "segment"), 0, 2);
        var tomorrow = await _store.Audit.QueryAsync(new AuditFilter(From: DateTime.UtcNow.AddDays(1)), 0, 10);
        var today = await _store.Audit.QueryAsync(new AuditFilter(From: DateTime.UtcNow.AddHours(-1), To: DateTime.UtcNow.AddHours(1)), 0, 10);

        Assert.Equal(5, annSegments.Total);
        Assert.Equal(["S4", "S3"], annSegments.Items.Select(i => i.EntityId));
        Assert.Equal(0, tomorrow.Total);
        Assert.Equal(7, today.Total);
    }

    // A script reading in a loop: one row per user, customer and hour, counting the reads; the CSV carries the count.
    [Fact]
    public async Task RecordPersonalDataAccessAsync_KeptPerUserCustomerAndHour_WithACount()
    {
        var clock = new MovableClock(new DateTimeOffset(2026, 12, 1, 9, 10, 0, TimeSpan.Zero));
        await using var store = await TestStore.CreateAsync(clock);

        for (var i = 0; i < 50; i++)
        {
            await store.Audit.RecordPersonalDataAccessAsync("script", "C1");
            clock.Advance(TimeSpan.FromSeconds(30));
        }
        // 09:10 + 50 × 30 s = 09:35; these land in the same hour, the next ones in 10:00–11:00.
        await store.Audit.RecordPersonalDataAccessAsync("script", "C2");
        await store.Audit.RecordPersonalDataAccessAsync("ann", "C1");
        clock.Advance(TimeSpan.FromMinutes(30));
        await store.Audit.RecordPersonalDataAccessAsync("script", "C1");
        await store.Audit.RecordAsync("script", AuditActions.Update, AuditEntities.Customer, "C1");

        var rows = await store.RowsAsync("SELECT user_name, action, entity_id, count, at, hour FROM audit_entries ORDER BY id");
        Assert.Equal([
            "script|view|C1|50|2026-12-01 09:10:00|2026-12-01 09:00:00",
            "script|view|C2|1|2026-12-01 09:35:00|2026-12-01 09:00:00",
            "ann|view|C1|1|2026-12-01 09:35:00|2026-12-01 09:00:00",
            "script|view|C1|1|2026-12-01 10:05:00|2026-12-01 10:00:00",
            "script|update|C1|1|2026-12-01 10:05:00|∅",
        ], rows);
        var page = await store.Audit.QueryAsync(new AuditFilter("script"), 0, 10);
        Assert.Equal(50, page.Items.Single(i => i.EntityId == "C1" && i.At.Hour == 9).Count);
        var csv = new StringWriter();
        await store.Audit.WriteCsvAsync(new AuditFilter("script"), csv);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("at,user,action,entity,entity_id,count,field,from,to", lines[0]);
        Assert.Equal("2026-12-01T09:10:00Z,script,view,customer,C1,50,,,", lines[1]);
    }

    // Reads at once share a write (group commit): each call returns only once its read is in the store, and the counts
    // of 200 concurrent reads by two users of four customers add up to 50 per user and customer.
    [Fact]
    public async Task RecordPersonalDataAccessAsync_ConcurrentReads_EachInTheStoreWhenItsCallReturns_CountsAddUp()
    {
        var clock = new MovableClock(new DateTimeOffset(2026, 12, 1, 9, 10, 0, TimeSpan.Zero));
        await using var store = await TestStore.CreateAsync(clock);

        var calls = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var (user, customer) = (i % 2 == 0 ? "script" : "ann", $"C{i % 4}");
            await store.Audit.RecordPersonalDataAccessAsync(user, customer);
            return await store.RowsAsync($"SELECT count FROM audit_entries WHERE user_name = '{user}' AND entity_id = '{customer}'");
        })).ToList();
        var seen = await Task.WhenAll(calls);

        Assert.All(seen, rows => Assert.True(int.Parse(Assert.Single(rows)) >= 1));
        Assert.Equal(["ann|C1|50|2026-12-01 09:10:00", "ann|C3|50|2026-12-01 09:10:00", "script|C0|50|2026-12-01 09:10:00", "script|C2|50|2026-12-01 09:10:00"],
            await store.RowsAsync("SELECT user_name, entity_id, count, at FROM audit_entries ORDER BY user_name, entity_id"));
    }

    // A read that cannot be recorded fails its call (the API answers with an error, never unaudited), and the next
    // read is recorded once the store is back.
    [Fact]
    public async Task RecordPersonalDataAccessAsync_WriteFails_TheCallFails_TheNextOneIsRecorded()
    {
        await using var store = await TestStore.CreateAsync();
        await store.RowsAsync("ALTER TABLE audit_entries RENAME TO audit_entries_away");

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => store.Audit.RecordPersonalDataAccessAsync("script", "C1"));
        await store.RowsAsync("ALTER TABLE audit_entries_away RENAME TO audit_entries");
        await store.Audit.RecordPersonalDataAccessAsync("script", "C1");

        Assert.Equal(["script|C1|1"], await store.RowsAsync("SELECT user_name, entity_id, count FROM audit_entries WHERE action = 'view'"));
    }

    [Fact]
    public async Task ImportAsync_WritesAuditEntryNamingUserAndOutcome()
    {
        await _store.ImportAsync(ImportKind.Customers, Fixtures.Customers);

        var entry = Assert.Single((await _store.Audit.QueryAsync(new AuditFilter(EntityType: AuditEntities.Import), 0, 10)).Items);
        Assert.Equal(("test", AuditActions.Import), (entry.UserName, entry.Action));
        Assert.Contains(entry.Changes, c => c is { Field: "outcome", To: "Imported" });
        Assert.Contains(entry.Changes, c => c is { Field: "file", To: "customers.csv" });
    }

    [Fact]
    public async Task WriteCsvAsync_HostileValues_AreNeutralisedAsText()
    {
        await _store.Audit.RecordAsync("=cmd|' /C calc'!A0", AuditActions.Update, "customer", "@SUM(1+1)",
            [new FieldChange("first_name", "+HYPERLINK(\"http://evil\")", "-1+2")]);

        var writer = new StringWriter();
        await _store.Audit.WriteCsvAsync(new AuditFilter(), writer);

        using var csv = new CsvReader(new StringReader(writer.ToString()), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (csv.Read()) rows.Add(csv.Parser.Record!);
        Assert.Equal(["at", "user", "action", "entity", "entity_id", "count", "field", "from", "to"], rows[0]);
        Assert.Equal(["'=cmd|' /C calc'!A0", "update", "customer", "'@SUM(1+1)", "1", "first_name", "'+HYPERLINK(\"http://evil\")", "'-1+2"], rows[1][1..]);
    }

    [Fact]
    public async Task RejectedRowsCsv_HostileCustomerNames_AreNeutralisedAsText()
    {
        var csv = "customer_id,first_name,last_name,loyalty_points\n" +
                  "C1,=HYPERLINK(\"http://evil\"),@Smith,abc\n" +
                  "C2,-2+3,\"+cmd|' /C calc'!A0\",-5\n";
        var result = await _store.ImportAsync(ImportKind.Customers, csv, ImportMode.SkipInvalid);
        Assert.Equal(2, result.Rejected);

        await using var stream = await _store.Imports.OpenRejectedRowsAsync(result.ImportRunId, default);
        using var reader = new CsvReader(new StreamReader(stream!), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add(reader.Parser.Record!);

        Assert.Equal(["C1", "'=HYPERLINK(\"http://evil\")", "'@Smith", "abc"], rows[1][..4]);
        Assert.Equal(["C2", "'-2+3", "'+cmd|' /C calc'!A0", "-5"], rows[2][..4]);
    }

    [Fact]
    public async Task RejectedRowsCsv_FixedAndImportedAgain_KeepsTheOriginalValues()
    {
        var csv = "customer_id,first_name,phone,loyalty_points\nC1,=Ann,+44 7700 900123,abc\n";
        var result = await _store.ImportAsync(ImportKind.Customers, csv, ImportMode.SkipInvalid);
        await using var stream = await _store.Imports.OpenRejectedRowsAsync(result.ImportRunId, default);
        var rejected = await new StreamReader(stream!).ReadToEndAsync();
        Assert.Contains("'+44 7700 900123", rejected);

        var fixedFile = rejected.Replace(",abc,", ",5,");
        var again = await _store.ImportAsync(ImportKind.Customers, fixedFile, ImportMode.AllOrNothing);

        Assert.True(again.Succeeded, string.Join("; ", again.Problems));
        Assert.Equal(["C1|=Ann|+44 7700 900123|5"], await _store.RowsAsync("SELECT customer_id, first_name, phone, loyalty_points FROM customers"));
    }
}
