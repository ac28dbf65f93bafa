using System.Globalization;
using System.Text.Json;
using Workbench.Core.Privacy;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Privacy;

public sealed class CustomerPrivacyServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        Assert.True((await _store.ImportAsync(ImportKind.Customers, Fixtures.Customers)).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Products, Fixtures.Products)).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Transactions, """
            order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount
            O1,1,C1,2026-01-05,P1,2,3.50,0.50
            O1,2,C1,2026-01-05,P3,1,45.00,
            O2,1,C2,2026-02-01,P2,1,499.00,20
            O3,1,C1,2026-03-01,P1,-1,3.50,
            """)).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Events, """
            event_id,customer_id,occurred_at,type,sku
            E1,C1,2026-01-04,product_view,P1
            E2,C2,2026-01-04,product_view,P2
            """)).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Consents, """
            customer_id,channel,status,updated_at
            C1,email,granted,2026-01-01
            C2,sms,denied,2026-01-01
            """)).Succeeded);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<double> RevenueAsync() =>
        double.Parse((await _store.RowsAsync("SELECT SUM(quantity * unit_price - discount) FROM order_lines"))[0], CultureInfo.InvariantCulture);

    [Fact]
    public async Task EraseAsync_RemovesPersonalDataButKeepsAggregateRevenue()
    {
        var revenueBefore = await RevenueAsync();
        var linesBefore = await _store.CountAsync("order_lines");

        var erased = await _store.Privacy.EraseAsync("C1", "admin");

        Assert.NotNull(erased);
        Assert.StartsWith(CustomerPrivacyService.ErasedPrefix, erased.AnonymousKey);
        Assert.Equal(revenueBefore, await RevenueAsync(), 6);
        Assert.Equal(linesBefore, await _store.CountAsync("order_lines"));
        Assert.Empty(await _store.RowsAsync("SELECT 1 FROM customers WHERE customer_id = 'C1'"));
        Assert.Empty(await _store.RowsAsync("SELECT 1 FROM order_lines WHERE customer_id = 'C1'"));
        Assert.Empty(await _store.RowsAsync("SELECT 1 FROM consents WHERE customer_id = 'C1'"));
        Assert.Empty(await _store.RowsAsync("SELECT 1 FROM events WHERE customer_id = 'C1'"));
        Assert.Equal(3, (await _store.RowsAsync($"SELECT 1 FROM order_lines WHERE customer_id = '{erased.AnonymousKey}'")).Count);
        Assert.Equal([$"{erased.AnonymousKey}|∅|∅|∅|∅|∅|∅|∅|2025-01-10"],
            await _store.RowsAsync($"SELECT customer_id, first_name, last_name, email, phone, time_zone, loyalty_points, preferred_channel, signup_date FROM customers WHERE customer_id = '{erased.AnonymousKey}'"));
        Assert.Equal(["C2|Bob|bob@example.com"], await _store.RowsAsync("SELECT customer_id, first_name, email FROM customers WHERE customer_id = 'C2'"));
        Assert.Equal(1, await _store.CountAsync("consents"));
        Assert.Equal(1, await _store.CountAsync("events"));
    }

    // Every table of the migrated store with a customer_id column is either deleted or re-keyed on erasure (and so is in
    // the export): a table added without a decision would keep the erased customer's id in the file.
    [Fact]
    public async Task EveryTableKeyedByCustomer_IsDeletedOrRekeyed()
    {
        var tables = await _store.RowsAsync(
            "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'customer_id' ORDER BY m.name");
        var covered = CustomerPrivacyService.DeletedTables.Concat(CustomerPrivacyService.RekeyedTables).Append("customers").ToHashSet();
        Assert.Contains("contact_history", tables);
        Assert.Equal([], tables.Except(covered).ToList());
        Assert.Equal([], covered.Except(tables).ToList());
    }

    [Fact]
    public async Task EraseAsync_PointsHistoryDeleted_ContactHistoryAndTheTouchedQueueRekeyed()
    {
        await _store.RowsAsync("""
            INSERT INTO points_history (customer_id, at, points) VALUES ('C1', '2026-01-01 00:00:00', 100), ('C1', '2026-02-01 00:00:00', 250), ('C2', '2026-01-01 00:00:00', 40);
            INSERT INTO contact_history (customer_id, at, play_id, channel, exclusion_group) VALUES ('C1', '2026-01-03 09:00:00', 'p1', 'email', NULL), ('C2', '2026-01-03 09:00:00', 'p1', 'sms', NULL);
            INSERT OR REPLACE INTO touched_customers (customer_id, import_run_id) VALUES ('C1', 1);
            """);

        var erased = (await _store.Privacy.EraseAsync("C1", "admin"))!;

        Assert.Equal(["C2|40"], await _store.RowsAsync("SELECT customer_id, points FROM points_history ORDER BY 1"));
        Assert.Equal([$"{erased.AnonymousKey}|email", "C2|sms"], await _store.RowsAsync("SELECT customer_id, channel FROM contact_history ORDER BY channel"));
        Assert.Empty(await _store.RowsAsync("SELECT 1 FROM touched_customers WHERE customer_id = 'C1'"));
        Assert.Single(await _store.RowsAsync($"SELECT 1 FROM touched_customers WHERE customer_id = '{erased.AnonymousKey}'"));
    }

    [Fact]
    public async Task EraseAsync_RemovesTheCustomersFieldSources()
    {
        // A partial update changes C1's and C2's email: one field-source row each.
        Assert.True((await _store.ImportAsync(ImportKind.Customers, "customer_id,email\nC1,anna@new.example\nC2,bob@new.example\n")).Succeeded);
        Assert.Equal(["C1|email", "C2|email"], await _store.RowsAsync("SELECT customer_id, field FROM customer_field_sources ORDER BY 1"));

        var erased = (await _store.Privacy.EraseAsync("C1", "admin"))!;

        // C1's row is gone, not re-keyed; C2's stays.
        Assert.Equal(["C2|email"], await _store.RowsAsync("SELECT customer_id, field FROM customer_field_sources ORDER BY 1"));
        Assert.Empty(await _store.RowsAsync($"SELECT 1 FROM customer_field_sources WHERE customer_id = '{erased.AnonymousKey}'"));
    }

    [Fact]
    public async Task EraseAsync_IsAuditedWithoutTheErasedData()
    {
        await _store.Privacy.EraseAsync("C1", "admin");

        var entry = (await _store.Audit.QueryAsync(new(UserName: "admin"), 0, 10)).Items.Single(i => i.Action == "erase");
        // That an erasure happened, by whom and when, with counts: neither the id nor the key that would link them.
        Assert.Equal(("customer", null), (entry.EntityType, entry.EntityId));
        var text = JsonSerializer.Serialize(entry.Changes);
        Assert.DoesNotContain("C1", text);
        Assert.DoesNotContain("ERASED-", text);
        Assert.Contains("consents", text);
        Assert.DoesNotContain("Anna", text);
        Assert.DoesNotContain("anna@example.com", text);
        Assert.DoesNotContain("Smith", text);
    }

    [Fact]
    public async Task EraseAsync_UnknownCustomer_ReturnsNullAndChangesNothing()
    {
        var before = await _store.SnapshotAsync();

        Assert.Null(await _store.Privacy.EraseAsync("NOPE", "admin"));

        Assert.Equal(before, await _store.SnapshotAsync());
    }

    [Fact]
    public async Task ExportAsync_HoldsCustomerConsentsEventsAndOrderLines_AndLogsTheAccess()
    {
        var json = await _store.Privacy.ExportAsync("C1", "admin");

        using var doc = JsonDocument.Parse(json!);
        var root = doc.RootElement;
        Assert.Equal("Anna", root.GetProperty("customer").GetProperty("first_name").GetString());
        Assert.Equal(1, root.GetProperty("consents").GetArrayLength());
        Assert.Equal(1, root.GetProperty("events").GetArrayLength());
        Assert.Equal(3, root.GetProperty("order_lines").GetArrayLength());
        var actions = (await _store.Audit.QueryAsync(new(UserName: "admin", EntityType: "customer"), 0, 10)).Items.Select(i => i.Action);
        Assert.Equal(["export", "view"], actions);
        Assert.Null(await _store.Privacy.ExportAsync("NOPE", "admin"));
    }

    [Fact]
    public async Task EraseAsync_RemovesTheCustomersRowsFromKeptRejectedRowsFiles()
    {
        var import = await _store.ImportAsync(ImportKind.Transactions, """
            order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price
            O9,1,C1,not-a-date,P1,1,3.50
            O9,2,C2,not-a-date,P1,1,3.50
            """, ImportMode.SkipInvalid);
        Assert.Equal(2, import.Rejected);

        var export = await _store.Privacy.ExportAsync("C1", "admin");
        var erased = await _store.Privacy.EraseAsync("C1", "admin");

        using (var doc = JsonDocument.Parse(export!))
        {
            var row = Assert.Single(doc.RootElement.GetProperty("rejected_rows").EnumerateArray());
            Assert.Equal(("O9", "not-a-date"), (row.GetProperty("order_id").GetString(), row.GetProperty("ordered_at").GetString()));
        }
        Assert.Equal(1, erased!.RejectedRowsRemoved);
        await using var stream = await _store.Imports.OpenRejectedRowsAsync(import.ImportRunId, default);
        var rejected = await new StreamReader(stream!).ReadToEndAsync();
        Assert.DoesNotContain(",C1,", rejected);
        Assert.Contains("O9,2,C2,not-a-date", rejected);
    }

    [Fact]
    public async Task EraseAsync_EarlierAuditEntriesAboutTheCustomer_DropTheIdAndKeepTheirCount()
    {
        await _store.Audit.RecordPersonalDataAccessAsync("ana", "C1");
        await _store.Audit.RecordPersonalDataAccessAsync("ana", "C1");
        await _store.Audit.RecordPersonalDataAccessAsync("ana", "C2");
        var before = await _store.CountAsync("audit_entries");

        var erased = await _store.Privacy.EraseAsync("C1", "admin");

        // The two reads of C1 in this hour are one entry counting 2 (personal-data reads are kept per user, customer and hour).
        Assert.Equal(1, erased!.AuditEntriesUnlinked);
        Assert.Equal(["2"], await _store.RowsAsync("SELECT count FROM audit_entries WHERE user_name = 'ana' AND action = 'view' AND entity_id IS NULL"));
        Assert.Empty(await _store.RowsAsync("SELECT 1 FROM audit_entries WHERE entity_id = 'C1' OR changes LIKE '%C1%' OR changes LIKE '%ERASED-%'"));
        Assert.Equal(["C2"], await _store.RowsAsync("SELECT entity_id FROM audit_entries WHERE user_name = 'ana' AND entity_id IS NOT NULL"));
        // The views of C1 are still there (with their count), without the id; plus the erasure's own entry.
        Assert.Equal(before + 1, await _store.CountAsync("audit_entries"));
    }

    [Fact]
    public async Task EraseAsync_TheErasedEmailIsInNeitherTheDatabaseFileNorItsWal()
    {
        // Copies of the row in pages freed without secure_delete, as a large import's dropped and rebuilt index leaves.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(_store.Location.ConnectionString))
        {
            await connection.OpenAsync();
            await using var junk = connection.CreateCommand();
            junk.CommandText = """
                CREATE TABLE junk AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
                    SELECT email, first_name || ' ' || last_name AS name FROM customers, n;
                DROP TABLE junk;
                """;
            await junk.ExecuteNonQueryAsync();
        }
        var email = System.Text.Encoding.UTF8.GetBytes("anna@example.com");
        Assert.True(Occurrences(email) > 0, "the email should be in the files before the erasure");

        var erased = await _store.Privacy.EraseAsync("C1", "admin");

        Assert.True(erased!.Checkpointed);
        Assert.True(erased.FreePagesOverwritten > 0);
        Assert.Equal(0, Occurrences(email));
        Assert.Equal(0, Occurrences(System.Text.Encoding.UTF8.GetBytes("Smith")));
        Assert.True(Occurrences(System.Text.Encoding.UTF8.GetBytes("bob@example.com")) > 0);
    }

    // Raw bytes of the database file and its WAL, read as they are on disk.
    private int Occurrences(byte[] needle)
    {
        var count = 0;
        foreach (var path in new[] { _store.DatabasePath, _store.DatabasePath + "-wal" })
        {
            if (!File.Exists(path)) continue;
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            file.CopyTo(buffer);
            var bytes = buffer.ToArray().AsSpan();
            for (var at = bytes.IndexOf(needle); at >= 0; at = bytes.IndexOf(needle) is var next && next >= 0 ? next : -1)
            {
                count++;
                bytes = bytes[(at + needle.Length)..];
            }
        }
        return count;
    }

    [Fact]
    public async Task EraseAsync_RejectedRowsFileOfAKilledImport_IsDeleted()
    {
        // What a killed import leaves: a rejected-rows file that no import run names (its run rolled back).
        var directory = Path.Combine(_store.Location.FilesDirectory, "rejected");
        Directory.CreateDirectory(directory);
        var orphan = Path.Combine(directory, "20260101-000000-killed.csv");
        await File.WriteAllTextAsync(orphan, "customer_id,first_name,email,line,reason\nC1,Anna,anna@example.com,2,whatever\nC2,Bob,bob@exa");
        File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow.AddHours(-1));

        var erased = await _store.Privacy.EraseAsync("C1", "admin");

        Assert.Equal(1, erased!.UnfinishedImportFilesRemoved);
        Assert.False(File.Exists(orphan));
    }
}
