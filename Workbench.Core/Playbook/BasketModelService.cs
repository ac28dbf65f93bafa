using System.Diagnostics;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Playbook;

// The basket model behind "bought together": rebuilt by the basket-model job in one streaming pass over the order lines
// (returns left out) in primary-key order, written in one transaction through the store seam; read back by the preview
// and the decision engine, which build a CoOccurrenceModel from the stored counts instead of reading every line.
public sealed class BasketModelService(StoreLocation store, TimeProvider clock)
{
    public const string LinesSql = "SELECT order_id, sku FROM order_lines WHERE quantity > 0 ORDER BY order_id";
    private const int ProgressEvery = 1 << 20;

    // The caller holds the store's write gate (the pipeline does). Cancelling rolls the write back: the model before stays.
    public Task<BasketModelInfo> RebuildAsync(IProgress<string>? progress, CancellationToken ct) =>
        Task.Run(() => Rebuild(progress, ct), ct);

    private BasketModelInfo Rebuild(IProgress<string>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var builder = new CoOccurrenceBuilder();
        using (var reader = store.Bulk.OpenReader(cacheMegabytes: 64))
        {
            var expected = reader.Scalar("SELECT COUNT(*) FROM order_lines");
            using var rows = reader.Query(LinesSql);
            long read = 0;
            while (rows.Next())
            {
                builder.AddUtf8(rows.Bytes(0), rows.Bytes(1));
                if (++read % ProgressEvery == 0)
                {
                    ct.ThrowIfCancellationRequested();
                    progress?.Report($"{read:N0} of {expected:N0} order lines read in {watch.Elapsed.TotalSeconds:0.0} s");
                }
            }
        }
        ct.ThrowIfCancellationRequested();
        var counts = builder.Counts();
        progress?.Report($"{counts.Orders:N0} baskets, {counts.Skus.Count:N0} items, {counts.Pairs.Count:N0} pairs counted in {watch.Elapsed.TotalSeconds:0.0} s");

        using var session = store.Bulk.BeginSession(BulkSessionOptions.Default with { DerivedData = true, CacheMegabytes = 16 });
        var generation = session.Scalar("SELECT COALESCE(MAX(generation), 0) FROM basket_model") + 1;
        session.Execute("DELETE FROM basket_pairs; DELETE FROM basket_items; DELETE FROM basket_model;");
        using (var items = session.InsertRows("basket_items", ["sku", "orders"]))
        {
            for (var i = 0; i < counts.Skus.Count; i++)
            {
                items.Text(0, counts.Skus[i]);
                items.Integer(1, counts.ItemOrders[i]);
                items.EndRow();
            }
            items.Flush();
        }
        using (var pairs = session.InsertRows("basket_pairs", ["sku_a", "sku_b", "orders"]))
        {
            var written = 0;
            foreach (var (key, n) in counts.Pairs)
            {
                var a = counts.Skus[(int)(key >> 32)];
                var b = counts.Skus[(int)(key & 0xffffffff)];
                var aFirst = string.CompareOrdinal(a, b) < 0;
                pairs.Text(0, aFirst ? a : b);
                pairs.Text(1, aFirst ? b : a);
                pairs.Integer(2, n);
                pairs.EndRow();
                if (++written % ProgressEvery == 0) ct.ThrowIfCancellationRequested();
            }
            pairs.Flush();
        }
        var info = new BasketModelInfo(generation, clock.GetUtcNow().UtcDateTime, counts.Orders, counts.Lines, counts.SkippedBaskets, counts.Skus.Count,
            counts.Pairs.Count, Math.Round(watch.Elapsed.TotalSeconds, 3));
        using (var model = session.InsertRows("basket_model",
                   ["id", "generation", "orders", "order_lines", "skipped_baskets", "max_basket_items", "items", "pairs", "built_at", "seconds"]))
        {
            model.Integer(0, 1);
            model.Integer(1, generation);
            model.Integer(2, info.Orders);
            model.Integer(3, info.OrderLines);
            model.Integer(4, info.SkippedBaskets);
            model.Integer(5, counts.MaxBasketItems);
            model.Integer(6, info.Items);
            model.Integer(7, info.Pairs);
            model.Time(8, info.BuiltAt);
            model.Real(9, info.Seconds);
            model.EndRow();
            model.Flush();
        }
        ct.ThrowIfCancellationRequested();
        session.Commit();
        progress?.Report($"basket model written: {info.Items:N0} items, {info.Pairs:N0} pairs from {info.Orders:N0} orders in {watch.Elapsed.TotalSeconds:0.0} s");
        return info;
    }

    // The stored counts (empty before the job first ran).
    public Task<(BasketModelInfo? Info, BasketCounts Counts)> LoadAsync(CancellationToken ct) => Task.Run(() => Load(ct), ct);

    private (BasketModelInfo?, BasketCounts) Load(CancellationToken ct)
    {
        using var reader = store.Bulk.OpenReader();
        BasketModelInfo? info = null;
        var maxBasket = 0;
        using (var rows = reader.Query("SELECT generation, built_at, orders, order_lines, skipped_baskets, items, pairs, seconds, max_basket_items FROM basket_model WHERE id = 1"))
        {
            if (rows.Next())
            {
                info = new BasketModelInfo(rows.Integer(0), StoreTime.Parse(rows.Text(1)!), rows.Integer(2), rows.Integer(3), rows.Integer(4),
                    (int)rows.Integer(5), (int)rows.Integer(6), rows.Real(7));
                maxBasket = (int)rows.Integer(8);
            }
        }
        if (info is null) return (null, BasketCounts.Empty);
        var skus = new List<string>();
        var orders = new List<int>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var rows = reader.Query("SELECT sku, orders FROM basket_items"))
        {
            while (rows.Next())
            {
                var sku = rows.Text(0)!;
                index[sku] = skus.Count;
                skus.Add(sku);
                orders.Add((int)rows.Integer(1));
            }
        }
        ct.ThrowIfCancellationRequested();
        var pairs = new Dictionary<long, int>(info.Pairs, BasketCounts.PairKeys);
        using (var rows = reader.Query("SELECT sku_a, sku_b, orders FROM basket_pairs"))
        {
            while (rows.Next())
            {
                if (!index.TryGetValue(rows.Text(0)!, out var a) || !index.TryGetValue(rows.Text(1)!, out var b)) continue;
                pairs[BasketCounts.PairKey(a, b)] = (int)rows.Integer(2);
            }
        }
        return (info, new BasketCounts(skus, orders, pairs, info.Orders, info.OrderLines, info.SkippedBaskets, maxBasket));
    }
}
