using System.Text;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Import;

public sealed class ImportIndexTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private Task<List<string>> CustomerIndexesAsync() =>
        _store.RowsAsync("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' AND sql IS NOT NULL ORDER BY name");

    // The request's TotalBytes says how big the file is; claiming a big one takes the drop-and-rebuild path.
    private Task<ImportResult> ImportBigAsync(string csv) =>
        _store.Imports.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            new ImportRequest(ImportKind.Customers, "customers.csv", ImportMode.AllOrNothing, "test", ImportService.RebuildIndexesFromBytes), null, default);

    [Fact]
    public async Task ImportAsync_BigFile_RebuildsTheSecondaryIndexesItDropped()
    {
        var before = await CustomerIndexesAsync();

        var result = await ImportBigAsync(Fixtures.Customers);

        Assert.True(result.Succeeded);
        Assert.Contains("ix_customers_email_nocase", before);
        Assert.Contains("IX_customers_region_customer_id", before);
        Assert.Equal(before, await CustomerIndexesAsync());
        Assert.Equal(["C1"], await _store.RowsAsync("SELECT customer_id FROM customers INDEXED BY ix_customers_email_nocase WHERE email LIKE 'anna%'"));
    }

    [Fact]
    public async Task ImportAsync_BigFileRefused_LeavesTheIndexesInPlace()
    {
        var before = await CustomerIndexesAsync();

        var result = await ImportBigAsync("customer_id,time_zone\nC1,Not/AZone\n");

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal(before, await CustomerIndexesAsync());
    }
}
