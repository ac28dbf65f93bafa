using Workbench.Core.Data;
using Workbench.Core.Jobs;

namespace Workbench.Core.Playbook;

// Basket: the stored model the recommendations came from (null when the play has no recommendations slot or the
// basket-model job has not run yet).
public sealed record PreviewOutcome(PlayPreviewResult? Result, string? Problem, BasketModelInfo? Basket = null);

// Previews a play for one customer of the store. Until plays have a table, the plays come from a playbook file or,
// without one, the starter library made for the store's categories and regions. The basket model is the one the
// basket-model job stored, never rebuilt here: read once and kept until the job writes another or the products change.
public sealed class PlaybookPreviewService(StoreLocation store, JobScheduleOptions schedule, TimeProvider clock, BasketModelService baskets)
{
    public const double DefaultMinSupport = 0.0005;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private (string Key, BasketModelInfo? Info, ProductCatalog Catalog)? _cached;

    public async Task<PlaybookFile> StarterAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var categories = await ListAsync(connection, "SELECT DISTINCT category FROM products WHERE category <> '' ORDER BY category", ct);
        var regions = await ListAsync(connection, "SELECT DISTINCT region FROM customers WHERE region IS NOT NULL AND region <> '' ORDER BY region", ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, schedule.Zone));
        return StarterLibrary.Generate(new StarterInputs(categories, regions, today));
    }

    public async Task<PreviewOutcome> PreviewAsync(PlaybookFile plays, string playId, string customerId, string? channel, DateTime? at, CancellationToken ct)
    {
        var play = plays.Plays.FirstOrDefault(p => p.Id == playId);
        if (play is null) return new(null, $"no play '{playId}' in the playbook");
        if (channel is not null && !PlayChannels.WithContent.Contains(channel))
            return new(null, $"channel '{channel}' is not one of {string.Join(", ", PlayChannels.WithContent)}");
        var now = at ?? clock.GetUtcNow().UtcDateTime;
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var snapshot = await SnapshotReader.ReadAsync(connection, customerId, now, null, ct);
        if (snapshot is null) return new(null, $"customer '{customerId}' not found");
        BasketModelInfo? info = null;
        ProductCatalog? catalog = null;
        if (play.Recommendations is not null) (info, catalog) = await CatalogAsync(ct);
        var customer = PlaybookCustomer.Prepare(snapshot, now, schedule.Zone);
        return new(PlayPreview.For(play, customer, TemplateVariables.Customer(customer), catalog, schedule.Zone, channel), null, info);
    }

    // Every active play of the playbook for one customer now (or at): the eligible ones rendered, the others with the first
    // blocking reason. Null when the customer does not exist.
    public async Task<(CustomerPlaysResult? Result, BasketModelInfo? Basket)> CustomerPlaysAsync(PlaybookFile plays, string customerId, string? channel,
        DateTime? at, CancellationToken ct)
    {
        var now = at ?? clock.GetUtcNow().UtcDateTime;
        CustomerSnapshot? snapshot;
        await using (var connection = await StoreSql.OpenAsync(store, ct))
            snapshot = await SnapshotReader.ReadAsync(connection, customerId, now, null, ct);
        if (snapshot is null) return (null, null);
        var (info, catalog) = await CatalogAsync(ct);
        var customer = PlaybookCustomer.Prepare(snapshot, now, schedule.Zone);
        return (CustomerPlays.For(plays.Plays, customer, TemplateVariables.Customer(customer), catalog, schedule.Zone, channel), info);
    }

    // Products and the stored basket model at DefaultMinSupport, kept while the model's generation and the products stay
    // the same (one small read per call).
    public async Task<(BasketModelInfo? Info, ProductCatalog Catalog)> CatalogAsync(CancellationToken ct)
    {
        var key = await CatalogKeyAsync(ct);
        if (_cached is { } hit && hit.Key == key) return (hit.Info, hit.Catalog);
        await _loading.WaitAsync(ct);
        try
        {
            if (_cached is { } again && again.Key == key) return (again.Info, again.Catalog);
            var products = new List<ProductInfo>();
            await using (var connection = await StoreSql.OpenAsync(store, ct))
            await using (var cmd = connection.Command("SELECT sku, name, category, price FROM products"))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) products.Add(new ProductInfo(r.GetString(0), r.GetString(1), r.Text(2), r.IsDBNull(3) ? null : r.GetDouble(3)));
            var (info, counts) = await baskets.LoadAsync(ct);
            var catalog = new ProductCatalog(products, counts.Model(DefaultMinSupport));
            _cached = (key, info, catalog);
            return (info, catalog);
        }
        finally
        {
            _loading.Release();
        }
    }

    private const string CatalogKeySql =
        "SELECT COALESCE((SELECT generation FROM basket_model WHERE id = 1), 0) || '|' || " +
        "(SELECT COUNT(*) || '|' || COALESCE(MAX(import_id), 0) || '|' || COALESCE(SUM(revision), 0) FROM products)";

    private async Task<string> CatalogKeyAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var cmd = connection.Command(CatalogKeySql);
        return Convert.ToString(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private static async Task<List<string>> ListAsync(System.Data.Common.DbConnection connection, string sql, CancellationToken ct)
    {
        var list = new List<string>();
        await using var cmd = connection.Command(sql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetString(0));
        return list;
    }
}
