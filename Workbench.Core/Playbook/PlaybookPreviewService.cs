using Workbench.Core.Data;
using Workbench.Core.Jobs;

namespace Workbench.Core.Playbook;

public sealed record PreviewOutcome(PlayPreviewResult? Result, string? Problem);

public sealed record PlaysNowOutcome(PlaysNowResult? Result, string? Problem);

// Previews a play for one customer of the store, or every active play at once (PlaysNowAsync). Until plays have a
// table, the plays come from a playbook file or, without one, the starter library made for the store's categories and
// regions. The basket model is built from every order line when first needed and kept until the next import (the
// latest import run id keys it); a job of the pipeline is to keep it later.
public sealed class PlaybookPreviewService(StoreLocation store, JobScheduleOptions schedule, TimeProvider clock)
{
    public const double DefaultMinSupport = 0.0005;

    private readonly SemaphoreSlim _catalogGate = new(1, 1);
    private (long ImportRunId, ProductCatalog Catalog)? _catalog;

    public async Task<PlaybookFile> StarterAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var categories = await ListAsync(connection, "SELECT DISTINCT category FROM products WHERE category <> '' ORDER BY category", ct);
        var regions = await ListAsync(connection, "SELECT DISTINCT region FROM customers WHERE region IS NOT NULL AND region <> '' ORDER BY region", ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, schedule.Zone));
        return StarterLibrary.Generate(new StarterInputs(categories, regions, today));
    }

    public async Task<PreviewOutcome> PreviewAsync(PlaybookFile plays, string playId, string customerId, string? channel, DateTime? at, CancellationToken ct,
        IReadOnlyDictionary<string, string>? variants = null)
    {
        var play = plays.Plays.FirstOrDefault(p => p.Id == playId);
        if (play is null) return new(null, $"no play '{playId}' in the playbook");
        if (channel is not null && !PlayChannels.WithContent.Contains(channel))
            return new(null, $"channel '{channel}' is not one of {string.Join(", ", PlayChannels.WithContent)}");
        var now = at ?? clock.GetUtcNow().UtcDateTime;
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var snapshot = await SnapshotReader.ReadAsync(connection, customerId, now, null, ct);
        if (snapshot is null) return new(null, $"customer '{customerId}' not found");
        var catalog = play.Recommendations is null ? null : await KeptCatalogAsync(connection, ct);
        var customer = PlaybookCustomer.Prepare(snapshot, now, schedule.Zone);
        return new(PlayPreview.For(play, customer, TemplateVariables.Customer(customer), catalog, schedule.Zone, channel, variants), null);
    }

    // Every active play for one customer: one snapshot, the customer's variables converted once, the basket model
    // read once and only when an eligible play has a recommendations slot.
    public async Task<PlaysNowOutcome> PlaysNowAsync(IEnumerable<Play> plays, string customerId, DateTime? at, CancellationToken ct)
    {
        var now = at ?? clock.GetUtcNow().UtcDateTime;
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var snapshot = await SnapshotReader.ReadAsync(connection, customerId, now, null, ct);
        if (snapshot is null) return new(null, $"customer '{customerId}' not found");
        var customer = PlaybookCustomer.Prepare(snapshot, now, schedule.Zone);
        var verdicts = PlaysNow.Evaluate(plays, customer, schedule.Zone);
        var catalog = PlaysNow.NeedsCatalog(verdicts) ? await KeptCatalogAsync(connection, ct) : null;
        return new(PlaysNow.Render(verdicts, customer, TemplateVariables.Customer(customer), catalog), null);
    }

    private async Task<ProductCatalog> KeptCatalogAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        long importRun;
        await using (var cmd = connection.Command("SELECT COALESCE(MAX(id), 0) FROM import_runs"))
            importRun = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        if (_catalog is { } kept && kept.ImportRunId == importRun) return kept.Catalog;
        await _catalogGate.WaitAsync(ct);
        try
        {
            if (_catalog is { } again && again.ImportRunId == importRun) return again.Catalog;
            var catalog = await CatalogAsync(connection, DefaultMinSupport, ct);
            _catalog = (importRun, catalog);
            return catalog;
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    // Products and the basket model in one pass over the order lines in primary-key order (returns left out).
    public static async Task<ProductCatalog> CatalogAsync(System.Data.Common.DbConnection connection, double minSupport, CancellationToken ct)
    {
        var products = new List<ProductInfo>();
        await using (var cmd = connection.Command("SELECT sku, name, category, price FROM products"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) products.Add(new ProductInfo(r.GetString(0), r.GetString(1), r.Text(2), r.IsDBNull(3) ? null : r.GetDouble(3)));
        var builder = new CoOccurrenceBuilder();
        await using (var cmd = connection.Command("SELECT order_id, sku FROM order_lines WHERE quantity > 0 ORDER BY order_id"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) builder.Add(r.GetString(0), r.GetString(1));
        return new ProductCatalog(products, builder.Build(minSupport));
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
