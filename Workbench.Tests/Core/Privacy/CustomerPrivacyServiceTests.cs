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
        Assert.Equal([$"{erased.AnonymousKey}|∅|∅|∅|∅|Europe/London"],
            await _store.RowsAsync($"SELECT customer_id, first_name, last_name, email, phone, time_zone FROM customers WHERE customer_id = '{erased.AnonymousKey}'"));
        Assert.Equal(["C2|Bob|bob@example.com"], await _store.RowsAsync("SELECT customer_id, first_name, email FROM customers WHERE customer_id = 'C2'"));
        Assert.Equal(1, await _store.CountAsync("consents"));
        Assert.Equal(1, await _store.CountAsync("events"));
    }

    [Fact]
    public async Task EraseAsync_IsAuditedWithoutTheErasedData()
    {
        await _store.Privacy.EraseAsync("C1", "admin");

        var entry = (await _store.Audit.QueryAsync(new(UserName: "admin"), 0, 10)).Items.Single(i => i.Action == "erase");
        Assert.Equal(("customer", "C1"), (entry.EntityType, entry.EntityId));
        var text = JsonSerializer.Serialize(entry.Changes);
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
}
