using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Customers;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Customers;

// File A brings three customers in on 1 November; file B, a partial update on 15 November, holds only customer_id and
// email: P1's email changes, P2's is the same as before, P4 is new.
public sealed class FieldProvenanceTests : IAsyncLifetime
{
    private readonly MovableClock _clock = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private TestStore _store = null!;
    private ImportResult _a = null!, _b = null!;

    private const string FileA = """
        customer_id,first_name,last_name,email,region
        P1,Ann,Lee,ann@a.example,London
        P2,Bo,Kay,bo@a.example,Wales
        P3,Cy,Day,cy@a.example,Leeds
        """;

    private const string FileB = """
        customer_id,email
        P1,ann@b.example
        P2,bo@a.example
        P4,di@b.example
        """;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(_clock);
        _a = await ImportAsync("customers-a.csv", FileA);
        _clock.Advance(TimeSpan.FromDays(14));
        _b = await ImportAsync("customers-b.csv", FileB);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private Task<ImportResult> ImportAsync(string fileName, string csv, ImportMode mode = ImportMode.AllOrNothing) =>
        _store.Imports.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            new ImportRequest(ImportKind.Customers, fileName, mode, "test"), null, default);

    private async Task<ImportSource?> SourceAsync(string customerId, string field) =>
        (await _store.Services.GetRequiredService<CustomerService>().ProfileAsync(customerId, default))!.Fields.Single(f => f.Name == field).Source;

    [Fact]
    public async Task PartialUpdate_ChangedEmail_NamesTheUpdate_OtherFieldsKeepTheFirstImport()
    {
        Assert.True(_a.Succeeded && _b.Succeeded);
        Assert.Equal((1L, 1L, 1L), (_b.Inserted, _b.Updated, _b.Unchanged));

        Assert.Equal(new ImportSource(_b.ImportRunId, "customers-b.csv", new DateTime(2026, 11, 15, 9, 0, 0, DateTimeKind.Utc)),
            await SourceAsync("P1", "email"));
        Assert.Equal(new ImportSource(_a.ImportRunId, "customers-a.csv", new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc)),
            await SourceAsync("P1", "first_name"));
        Assert.Equal(_a.ImportRunId, (await SourceAsync("P1", "last_name"))!.ImportRunId);
        Assert.Equal(_a.ImportRunId, (await SourceAsync("P1", "region"))!.ImportRunId);
    }

    [Fact]
    public async Task PartialUpdate_UnchangedValue_DoesNotMoveItsSource()
    {
        // P2's email in B is the one A gave: B held the row, but changed nothing.
        Assert.Equal(_a.ImportRunId, (await SourceAsync("P2", "email"))!.ImportRunId);
        // A customer B brought in has B for every field it gave.
        Assert.Equal(_b.ImportRunId, (await SourceAsync("P4", "email"))!.ImportRunId);
    }

    [Fact]
    public async Task Store_HoldsARowOnlyForTheValueThatChanged()
    {
        // Inserts and unchanged rows write nothing: their fields fall back to the customer's first import.
        Assert.Equal([$"P1|email|{_b.ImportRunId}|2026-11-15 09:00:00"],
            await _store.RowsAsync("SELECT customer_id, field, import_run_id, changed_at FROM customer_field_sources ORDER BY 1, 2"));
    }

    [Fact]
    public async Task LaterImport_ChangingTheName_MovesOnlyTheName()
    {
        _clock.Advance(TimeSpan.FromDays(1));
        // Same email as B gave, same region as A gave, a new first name.
        var c = await ImportAsync("customers-c.csv", "customer_id,first_name,email,region\nP1,Annie,ann@b.example,London\n");

        Assert.Equal(1, c.Updated);
        Assert.Equal(c.ImportRunId, (await SourceAsync("P1", "first_name"))!.ImportRunId);
        Assert.Equal(_b.ImportRunId, (await SourceAsync("P1", "email"))!.ImportRunId);
        Assert.Equal(_a.ImportRunId, (await SourceAsync("P1", "region"))!.ImportRunId);
        Assert.Equal(_a.ImportRunId, (await SourceAsync("P1", "last_name"))!.ImportRunId);
    }

    [Fact]
    public async Task RefusedImport_LeavesTheSourcesAsTheyWere()
    {
        var before = await _store.RowsAsync("SELECT * FROM customer_field_sources ORDER BY 1, 2");

        // All or nothing: P3's new email would change, P2's points are negative, so nothing is written, sources included.
        var d = await ImportAsync("customers-d.csv", "customer_id,email,loyalty_points\nP3,cy@d.example,5\nP2,bo@a.example,-5\n");

        Assert.False(d.Succeeded);
        Assert.Equal(before, await _store.RowsAsync("SELECT * FROM customer_field_sources ORDER BY 1, 2"));
        Assert.Equal(_a.ImportRunId, (await SourceAsync("P3", "email"))!.ImportRunId);
    }

    [Fact]
    public async Task ClearedValue_IsAChange()
    {
        var e = await ImportAsync("customers-e.csv", "customer_id,region\nP3,\n");

        var region = (await _store.Services.GetRequiredService<CustomerService>().ProfileAsync("P3", default))!.Fields.Single(f => f.Name == "region");
        Assert.Equal(("missing", e.ImportRunId), (region.Status, region.Source!.ImportRunId));
    }
}
