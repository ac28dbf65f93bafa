using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Segments.Clv;
using Workbench.Core.Segments.ValueDrivers;

namespace Workbench.Core.Segments.Features;

public sealed record FeatureRebuildResult(
    long Customers, long Buyers, DateOnly AsOf, BgNbdFit? Purchases, GammaGammaFit? Spend, TimeSpan Duration);

// Rebuilds the feature tables from the store, after each import and on demand. One streaming pass over the order lines
// in customer order (order_lines(customer_id) index) reduces each customer's lines to features, while the event
// activity is aggregated in SQL on a second connection; the population-wide parts (RFM cut points, the CLV fit) follow
// in memory, and every table is rewritten in one transaction, so readers see the old features or the new, never a mix.
public sealed class FeatureService(StoreLocation store, TimeProvider clock, ILogger<FeatureService> logger) : IImportFollowUp
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Activity => "the customer features and the lifetime value model";

    public async Task AfterImportAsync(ImportResult result, CancellationToken ct)
    {
        var rebuilt = await RebuildAsync(null, ct);
        logger.LogInformation("Features rebuilt after import {Id}: {Customers} customers in {Seconds:0.0} s",
            result.ImportRunId, rebuilt.Customers, rebuilt.Duration.TotalSeconds);
    }

    public async Task<FeatureRebuildResult> RebuildAsync(IProgress<string>? progress, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await Task.Run(() => RebuildLockedAsync(progress, ct), ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<FeatureRebuildResult> RebuildLockedAsync(IProgress<string>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);

        await using var writer = await StoreSql.OpenAsync(store, ct);
        await using var reader = await StoreSql.OpenAsync(store, ct);
        var writeHandle = writer.Handle!;
        Exec(writeHandle, "BEGIN IMMEDIATE");
        var events = Task.Run(() => RebuildEventActivity(writeHandle, now), CancellationToken.None);
        try
        {
            var products = await LoadProductsAsync(reader, ct);
            var (rows, transitions) = await ReadCustomersAsync(reader.Handle!, products, today, progress, ct);
            progress?.Report($"{rows.Count:N0} buyers reduced in {watch.Elapsed.TotalSeconds:0.0} s");
            await events;
            progress?.Report($"event activity aggregated by {watch.Elapsed.TotalSeconds:0.0} s");

            ScoreRfm(rows);
            var (purchases, spend) = FitClv(rows, ct);
            progress?.Report(purchases is null
                ? "no repeat history to fit the CLV model"
                : $"CLV fitted by {watch.Elapsed.TotalSeconds:0.0} s: r={purchases.Parameters.R:0.###} alpha={purchases.Parameters.Alpha:0.###} a={purchases.Parameters.A:0.###} b={purchases.Parameters.B:0.###}");

            ct.ThrowIfCancellationRequested();
            var customers = WriteFeatures(writeHandle, rows, now);
            WriteValueDrivers(writeHandle, rows, transitions, today);
            Exec(writeHandle, "COMMIT");
            progress?.Report($"features written for {customers:N0} customers by {watch.Elapsed.TotalSeconds:0.0} s");
            return new FeatureRebuildResult(customers, rows.Count, today, purchases, spend, watch.Elapsed);
        }
        catch
        {
            // The event aggregation works on the same connection: let it finish before rolling back.
            try { await events; } catch (Exception) { }
            if (raw.sqlite3_get_autocommit(writeHandle) == 0) Exec(writeHandle, "ROLLBACK");
            throw;
        }
    }

    private sealed record ProductIndex(List<string> Categories, List<string> Skus, List<int> ProductCategory, Dictionary<string, int> SkuIndex);

    private static async Task<ProductIndex> LoadProductsAsync(SqliteConnection connection, CancellationToken ct)
    {
        var index = new ProductIndex([], [], [], new Dictionary<string, int>(StringComparer.Ordinal));
        var categoryIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var command = connection.Command("SELECT sku, category FROM products ORDER BY sku");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var category = reader.GetString(1);
            if (!categoryIndex.TryGetValue(category, out var c))
            {
                c = index.Categories.Count;
                index.Categories.Add(category);
                categoryIndex[category] = c;
            }
            index.SkuIndex[reader.GetString(0)] = index.Skus.Count;
            index.Skus.Add(reader.GetString(0));
            index.ProductCategory.Add(c);
        }
        return index;
    }

    private readonly record struct CategoryCell(string Category, double NetSpend, double Share, long Orders, long LastTicks);

    // One buyer's features copied out of the reducer's summary into plain fields (no nested objects; NaN, 0 or −1 for
    // none), so a million of them fit in memory until the RFM cut points and the CLV fit are known.
    private sealed class FeatureRow
    {
        public FeatureRow(CustomerFeatureSummary s)
        {
            CustomerId = s.CustomerId;
            Orders = s.Orders;
            NetRevenue = s.NetRevenue;
            AverageOrderValue = s.AverageOrderValue ?? double.NaN;
            FirstTicks = s.FirstPurchaseAt?.Ticks ?? 0;
            LastTicks = s.LastPurchaseAt?.Ticks ?? 0;
            NextTicks = s.ExpectedNextPurchaseAt?.Ticks ?? 0;
            RecencyDays = s.RecencyDays ?? -1;
            TenureDays = s.TenureDays ?? -1;
            MeanGap = s.MeanDaysBetweenOrders ?? double.NaN;
            Categories = s.Categories.Select(c => new CategoryCell(c.Category, c.NetSpend, c.Share, c.Orders, c.LastBoughtAt.Ticks)).ToArray();
            Promo = s.PromoShare ?? double.NaN;
            Store = s.StoreShare ?? double.NaN;
            Web = s.WebShare ?? double.NaN;
            App = s.AppShare ?? double.NaN;
            Weekday = (sbyte)(s.FavouriteWeekday ?? -1);
            Daypart = s.FavouriteDaypart;
            ReturnsRate = s.ReturnsRate ?? double.NaN;
            RepeatX = s.Repeat?.X ?? -1;
            RepeatTx = s.Repeat?.Tx ?? 0;
            RepeatT = s.Repeat?.T ?? 0;
            SpendX = s.Spend?.X ?? 0;
            SpendMean = s.Spend?.MeanValue ?? 0;
            FirstDay = s.First?.Day.DayNumber ?? -1;
            SecondDay = s.First?.SecondDay?.DayNumber ?? -1;
            FirstCategories = s.First?.Categories.ToArray() ?? [];
            FirstSkus = s.First?.Skus.ToArray() ?? [];
        }

        public readonly string CustomerId;
        public readonly long Orders, FirstTicks, LastTicks, NextTicks;
        public readonly double NetRevenue, AverageOrderValue, MeanGap, Promo, Store, Web, App, ReturnsRate, RepeatTx, RepeatT, SpendMean;
        public readonly int RecencyDays, TenureDays, RepeatX, SpendX, FirstDay, SecondDay;
        public readonly sbyte Weekday;
        public readonly string? Daypart;
        public readonly CategoryCell[] Categories;
        public readonly string[] FirstCategories, FirstSkus;
        public int? R, F, M;
        public double? ProbabilityAlive, ExpectedPurchases52w, PredictedValue12m;

        public RepeatHistory? Repeat => RepeatX < 0 ? null : new RepeatHistory(RepeatX, RepeatTx, RepeatT);
    }

    private static double? Value(double value) => double.IsNaN(value) ? null : value;

    private static string? Time(long ticks) => ticks == 0 ? null : StoreSql.Format(new DateTime(ticks, DateTimeKind.Utc));

    private readonly record struct RawLine(int Order, long Ticks, int Product, double Quantity, double UnitPrice, double Discount, byte Channel);

    private sealed class Batch
    {
        public const int Customers = 2_000;
        public readonly List<(string Id, TimeZoneInfo? Zone, int Start, int Count)> Owners = new(Customers);
        public readonly List<RawLine> Lines = new(Customers * 32);
    }

    // Two stages on two cores: this thread steps through the rows and decodes them into batches of customers, a second
    // one reduces each customer's lines to features.
    private sealed class Transitions : Dictionary<CategoryStep, (long Steps, long Customers)>;

    private static async Task<(List<FeatureRow> Rows, Transitions Steps)> ReadCustomersAsync(sqlite3 handle, ProductIndex products,
        DateOnly today, IProgress<string>? progress, CancellationToken ct)
    {
        const string sql = """
            SELECT c.customer_id, c.time_zone, l.order_id, l.ordered_at, l.sku, l.quantity, l.unit_price, l.discount, l.channel
            FROM customers c JOIN order_lines l ON l.customer_id = c.customer_id
            ORDER BY c.customer_id
            """;
        var rows = new List<FeatureRow>();
        var transitions = new Transitions();
        var batches = System.Threading.Channels.Channel.CreateBounded<Batch>(
            new System.Threading.Channels.BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var reduce = Task.Run(async () =>
        {
            var accumulator = new LineAccumulator(products.Categories, products.Skus, products.ProductCategory);
            await foreach (var batch in batches.Reader.ReadAllAsync(ct))
            {
                foreach (var (id, zone, start, count) in batch.Owners)
                {
                    accumulator.Clear();
                    for (var i = start; i < start + count; i++)
                    {
                        var l = batch.Lines[i];
                        accumulator.Add(l.Order, l.Ticks, l.Product, l.Quantity, l.UnitPrice, l.Discount, l.Channel);
                    }
                    var summary = accumulator.Compute(id, today, zone);
                    // The category steps are summed here and not kept per customer: they would be most of the memory.
                    if (summary.First is { Steps.Count: > 0 } first)
                    {
                        Count(transitions, first.Steps);
                        summary = summary with { First = first with { Steps = [] } };
                    }
                    rows.Add(new FeatureRow(summary));
                }
                if (rows.Count % 100_000 < Batch.Customers) progress?.Report($"{rows.Count:N0} buyers");
            }
        }, ct);
        // Should the reducer fail, the channel is closed with its error, so the reader never waits on a full channel.
        _ = reduce.ContinueWith(t => batches.Writer.TryComplete(t.Exception), CancellationToken.None,
            TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);

        try
        {
            var zones = new Dictionary<string, TimeZoneInfo?>(StringComparer.Ordinal);
            var skus = products.SkuIndex.GetAlternateLookup<ReadOnlySpan<char>>();
            var orders = new List<byte[]>();
            var currentId = new byte[256];
            var currentLength = -1;
            var chars = new char[256];
            var batch = new Batch();
            var start = 0;
            string? customerId = null;
            TimeZoneInfo? zone = null;

            Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var stmt));
            using (stmt)
            {
                int rc;
                while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
                {
                    if (IsNewCustomer(stmt, ref currentId, ref currentLength))
                    {
                        if (customerId is not null)
                        {
                            batch.Owners.Add((customerId, zone, start, batch.Lines.Count - start));
                            if (batch.Owners.Count == Batch.Customers)
                            {
                                await batches.Writer.WriteAsync(batch, ct);
                                batch = new Batch();
                            }
                        }
                        start = batch.Lines.Count;
                        customerId = Encoding.UTF8.GetString(currentId, 0, currentLength);
                        zone = Zone(zones, raw.sqlite3_column_type(stmt, 1) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(stmt, 1).utf8_to_string());
                        orders.Clear();
                    }
                    batch.Lines.Add(Decode(stmt, orders, skus, chars));
                }
                if (rc != raw.SQLITE_DONE) Check(handle, rc);
            }
            if (customerId is not null) batch.Owners.Add((customerId, zone, start, batch.Lines.Count - start));
            if (batch.Owners.Count > 0) await batches.Writer.WriteAsync(batch, ct);
            batches.Writer.Complete();
        }
        catch (Exception e)
        {
            batches.Writer.TryComplete(e);
            throw;
        }
        finally
        {
            try { await reduce; } catch when (ct.IsCancellationRequested) { }
        }
        return (rows, transitions);
    }

    private static void Count(Transitions transitions, IReadOnlyList<CategoryStep> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var firstTime = true;
            for (var j = 0; j < i; j++)
            {
                if (steps[j] == step)
                {
                    firstTime = false;
                    break;
                }
            }
            var (count, customers) = transitions.GetValueOrDefault(step);
            transitions[step] = (count + 1, customers + (firstTime ? 1 : 0));
        }
    }

    private static bool IsNewCustomer(sqlite3_stmt stmt, ref byte[] currentId, ref int currentLength)
    {
        var id = raw.sqlite3_column_blob(stmt, 0);
        if (currentLength >= 0 && id.SequenceEqual(currentId.AsSpan(0, currentLength))) return false;
        if (id.Length > currentId.Length) currentId = new byte[id.Length * 2];
        id.CopyTo(currentId);
        currentLength = id.Length;
        return true;
    }

    private static RawLine Decode(sqlite3_stmt stmt, List<byte[]> orders, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> skus, char[] chars)
    {
        var product = -1;
        var skuBytes = raw.sqlite3_column_blob(stmt, 4);
        if (skuBytes.Length <= chars.Length)
        {
            var n = Encoding.UTF8.GetChars(skuBytes, chars);
            if (skus.TryGetValue(chars.AsSpan(0, n), out var p)) product = p;
        }
        return new RawLine(OrderKeys.Ordinal(orders, raw.sqlite3_column_blob(stmt, 2)), StoreTime.ParseTicks(raw.sqlite3_column_blob(stmt, 3)),
            product, raw.sqlite3_column_double(stmt, 5), raw.sqlite3_column_double(stmt, 6), raw.sqlite3_column_double(stmt, 7),
            Channel(raw.sqlite3_column_blob(stmt, 8)));
    }

    private static byte Channel(ReadOnlySpan<byte> channel) => channel switch
    {
        [(byte)'s', (byte)'t', (byte)'o', (byte)'r', (byte)'e'] => LineAccumulator.Store,
        [(byte)'w', (byte)'e', (byte)'b'] => LineAccumulator.Web,
        [(byte)'a', (byte)'p', (byte)'p'] => LineAccumulator.App,
        _ => LineAccumulator.NoChannel,
    };

    private static TimeZoneInfo? Zone(Dictionary<string, TimeZoneInfo?> zones, string? id)
    {
        if (id is null) return null;
        if (!zones.TryGetValue(id, out var zone))
        {
            zone = TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) ? found : null;
            zones[id] = zone;
        }
        return zone;
    }

    // R, F and M scores over the buyers (customers with at least one order).
    private static void ScoreRfm(List<FeatureRow> rows)
    {
        var buyers = rows.Where(r => r.Orders > 0).ToList();
        var recencyCuts = RfmScoring.CutPoints(buyers.Select(r => (double)r.RecencyDays).ToList());
        var frequencyCuts = RfmScoring.CutPoints(buyers.Select(r => (double)r.Orders).ToList());
        var monetaryCuts = RfmScoring.CutPoints(buyers.Select(r => r.NetRevenue).ToList());
        foreach (var row in buyers)
        {
            row.R = RfmScoring.Score(row.RecencyDays, recencyCuts, higherIsBetter: false);
            row.F = RfmScoring.Score(row.Orders, frequencyCuts);
            row.M = RfmScoring.Score(row.NetRevenue, monetaryCuts);
        }
    }

    // BG/NBD on every buyer's repeat history (identical summaries passed once with a weight), Gamma-Gamma on the
    // repeaters; then per customer P(alive), expected purchases in the next 52 weeks and the 12-month value.
    private static (BgNbdFit?, GammaGammaFit?) FitClv(List<FeatureRow> rows, CancellationToken ct)
    {
        // Counted in a dictionary, not grouped: a GroupBy would hold every row again in its groups.
        var counts = new Dictionary<(int X, double Tx, double T), int>();
        foreach (var r in rows)
        {
            if (r.RepeatX < 0) continue;
            var key = (r.RepeatX, r.RepeatTx, r.RepeatT);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var grouped = counts.Select(c => new RepeatHistory(c.Key.X, c.Key.Tx, c.Key.T, c.Value)).ToList();
        if (grouped.Count == 0 || grouped.All(h => h.X == 0)) return (null, null);
        var purchases = BgNbd.Fit(grouped, ct);
        var spendHistories = rows.Where(r => r.SpendX >= 1 && r.SpendMean > 0).Select(r => new SpendHistory(r.SpendX, r.SpendMean)).ToList();
        var spend = spendHistories.Count >= 10 ? GammaGamma.Fit(spendHistories, ct) : null;
        foreach (var row in rows)
        {
            if (row.Repeat is not { } repeat) continue;
            row.ProbabilityAlive = BgNbd.ProbabilityAlive(purchases.Parameters, repeat);
            row.ExpectedPurchases52w = BgNbd.ConditionalExpectedPurchases(purchases.Parameters, repeat, 52);
            if (spend is not null)
            {
                var value = GammaGamma.ConditionalExpectedValue(spend.Parameters, row.SpendX, row.SpendMean);
                row.PredictedValue12m = row.ExpectedPurchases52w * value;
            }
        }
        return (purchases, spend);
    }

    private static void RebuildEventActivity(sqlite3 handle, DateTime now)
    {
        Exec(handle, $"""
            DELETE FROM customer_event_activity;
            INSERT INTO customer_event_activity (customer_id, type, total, last_90d, last_at)
            SELECT customer_id, type, COUNT(*), TOTAL(occurred_at >= '{StoreSql.Format(now.AddDays(-90))}'), MAX(occurred_at)
            FROM events GROUP BY customer_id, type;
            """);
    }

    // As the migration names it (CustomerCategoryActivityConfiguration).
    private const string CategoryIndex = "IX_customer_category_activity_category_last_bought_at";

    internal static readonly string[] FeatureColumns =
    [
        "customer_id", "orders", "net_revenue", "average_order_value", "first_purchase_at", "last_purchase_at", "recency_days",
        "tenure_days", "mean_days_between_orders", "expected_next_purchase_at", "r_score", "f_score", "m_score", "rfm_cell",
        "top_category_1", "top_category_2", "top_category_3", "category_count", "promo_share", "store_share", "web_share",
        "app_share", "favourite_weekday", "favourite_daypart", "returns_rate", "email_opens_90d", "email_clicks_90d",
        "probability_alive", "expected_purchases_52w", "predicted_value_12m", "computed_at",
    ];

    private static long WriteFeatures(sqlite3 handle, List<FeatureRow> rows, DateTime now)
    {
        // The category index is dropped for the load and built once after it: one sorted build instead of millions
        // of scattered inserts. Inside the transaction, so a failure restores it.
        Exec(handle, $"DROP INDEX IF EXISTS {CategoryIndex}; DELETE FROM customer_features; DELETE FROM customer_category_activity;");
        var computedAt = StoreSql.Format(now);
        var insert = $"INSERT INTO customer_features ({string.Join(", ", FeatureColumns)}) VALUES ({string.Join(", ", FeatureColumns.Select((_, i) => "?" + (i + 1)))})";
        Check(handle, raw.sqlite3_prepare_v2(handle, insert, out var features));
        using (features)
        {
            foreach (var row in rows)
            {
                var i = 1;
                Text(features, i++, row.CustomerId);
                Integer(features, i++, row.Orders);
                Real(features, i++, row.NetRevenue);
                Real(features, i++, Value(row.AverageOrderValue));
                Text(features, i++, Time(row.FirstTicks));
                Text(features, i++, Time(row.LastTicks));
                Integer(features, i++, row.RecencyDays < 0 ? null : row.RecencyDays);
                Integer(features, i++, row.TenureDays < 0 ? null : row.TenureDays);
                Real(features, i++, Value(row.MeanGap));
                Text(features, i++, Time(row.NextTicks));
                Integer(features, i++, row.R);
                Integer(features, i++, row.F);
                Integer(features, i++, row.M);
                Text(features, i++, row.R is { } r && row.F is { } fs && row.M is { } m ? RfmScoring.Cell(r, fs, m) : null);
                Text(features, i++, row.Categories.Length > 0 ? row.Categories[0].Category : null);
                Text(features, i++, row.Categories.Length > 1 ? row.Categories[1].Category : null);
                Text(features, i++, row.Categories.Length > 2 ? row.Categories[2].Category : null);
                Integer(features, i++, row.Categories.Length);
                Real(features, i++, Value(row.Promo));
                Real(features, i++, Value(row.Store));
                Real(features, i++, Value(row.Web));
                Real(features, i++, Value(row.App));
                Integer(features, i++, row.Weekday < 0 ? null : row.Weekday);
                Text(features, i++, row.Daypart);
                Real(features, i++, Value(row.ReturnsRate));
                Integer(features, i++, 0);
                Integer(features, i++, 0);
                Real(features, i++, row.ProbabilityAlive);
                Real(features, i++, row.ExpectedPurchases52w);
                Real(features, i++, row.PredictedValue12m);
                Text(features, i, computedAt);
                Step(handle, features);
            }
        }

        const string activitySql = """
            INSERT INTO customer_category_activity (customer_id, category, net_spend, share, orders, last_bought_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """;
        Check(handle, raw.sqlite3_prepare_v2(handle, activitySql, out var activity));
        using (activity)
        {
            foreach (var row in rows)
            {
                foreach (var a in row.Categories)
                {
                    Text(activity, 1, row.CustomerId);
                    Text(activity, 2, a.Category);
                    Real(activity, 3, a.NetSpend);
                    Real(activity, 4, a.Share);
                    Integer(activity, 5, a.Orders);
                    Text(activity, 6, Time(a.LastTicks));
                    Step(handle, activity);
                }
            }
        }

        Exec(handle, $"CREATE INDEX {CategoryIndex} ON customer_category_activity (category, last_bought_at);");

        // Customers without a purchase get a row all the same (tenure from their signup), then email engagement.
        var today = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Exec(handle, $"""
            INSERT INTO customer_features (customer_id, orders, net_revenue, tenure_days, category_count, email_opens_90d, email_clicks_90d, computed_at)
            SELECT c.customer_id, 0, 0,
                   CASE WHEN c.signup_date IS NULL THEN NULL ELSE CAST(julianday('{today}') - julianday(c.signup_date) AS INTEGER) END,
                   0, 0, 0, '{computedAt}'
            FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_features f WHERE f.customer_id = c.customer_id);

            UPDATE customer_features SET email_opens_90d = a.last_90d
            FROM customer_event_activity a WHERE a.customer_id = customer_features.customer_id AND a.type = 'email_open';
            UPDATE customer_features SET email_clicks_90d = a.last_90d
            FROM customer_event_activity a WHERE a.customer_id = customer_features.customer_id AND a.type = 'email_click';
            """);
        Check(handle, raw.sqlite3_prepare_v2(handle, "SELECT COUNT(*) FROM customer_features", out var count));
        using (count)
        {
            raw.sqlite3_step(count);
            return raw.sqlite3_column_int64(count, 0);
        }
    }

    // Gateways (what the first purchase day held, and who came back within 90 days) and category steps, summed over
    // every buyer; customers whose first purchase is younger than 90 days count as first buyers but not as eligible.
    private static void WriteValueDrivers(sqlite3 handle, List<FeatureRow> rows, Transitions transitions, DateOnly today)
    {
        var gateways = new Dictionary<(string Kind, string Key), GatewayEntry>();
        foreach (var row in rows)
        {
            if (row.FirstDay < 0) continue;
            var eligible = today.DayNumber - row.FirstDay >= 90;
            var repeat = eligible && row.SecondDay >= 0 && row.SecondDay - row.FirstDay <= 90;
            foreach (var category in row.FirstCategories) Count(("category", category));
            foreach (var sku in row.FirstSkus) Count(("product", sku));

            void Count((string Kind, string Key) key)
            {
                if (!gateways.TryGetValue(key, out var g)) gateways[key] = g = new GatewayEntry { Kind = key.Kind, Key = key.Key };
                g.FirstBuyers++;
                if (eligible) g.Eligible90d++;
                if (repeat) g.Repeat90d++;
                g.NetRevenue += row.NetRevenue;
                if (row.PredictedValue12m is { } v && double.IsFinite(v))
                {
                    g.PredictedValue12m += v;
                    g.PredictedCount++;
                }
            }
        }

        Exec(handle, "DELETE FROM gateway_entries; DELETE FROM category_transitions;");
        Check(handle, raw.sqlite3_prepare_v2(handle, """
            INSERT INTO gateway_entries (kind, key, first_buyers, eligible_90d, repeat_90d, net_revenue, predicted_value_12m, predicted_count)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """, out var gateway));
        using (gateway)
        {
            foreach (var g in gateways.Values)
            {
                Text(gateway, 1, g.Kind);
                Text(gateway, 2, g.Key);
                Integer(gateway, 3, g.FirstBuyers);
                Integer(gateway, 4, g.Eligible90d);
                Integer(gateway, 5, g.Repeat90d);
                Real(gateway, 6, g.NetRevenue);
                Real(gateway, 7, g.PredictedValue12m);
                Integer(gateway, 8, g.PredictedCount);
                Step(handle, gateway);
            }
        }
        Check(handle, raw.sqlite3_prepare_v2(handle,
            "INSERT INTO category_transitions (from_category, to_category, steps, customers) VALUES (?1, ?2, ?3, ?4)", out var transition));
        using (transition)
        {
            foreach (var (step, (steps, customers)) in transitions)
            {
                Text(transition, 1, step.From);
                Text(transition, 2, step.To);
                Integer(transition, 3, steps);
                Integer(transition, 4, customers);
                Step(handle, transition);
            }
        }
    }

    private static void Text(sqlite3_stmt stmt, int i, string? value) =>
        raw.sqlite3_bind_text(stmt, i, value ?? null);

    private static void Integer(sqlite3_stmt stmt, int i, long? value)
    {
        if (value is { } v) raw.sqlite3_bind_int64(stmt, i, v);
        else raw.sqlite3_bind_null(stmt, i);
    }

    private static void Real(sqlite3_stmt stmt, int i, double? value)
    {
        if (value is { } v && double.IsFinite(v)) raw.sqlite3_bind_double(stmt, i, v);
        else raw.sqlite3_bind_null(stmt, i);
    }

    private static void Step(sqlite3 handle, sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        if (rc != raw.SQLITE_DONE) Check(handle, rc);
        raw.sqlite3_reset(stmt);
    }

    private static void Exec(sqlite3 handle, string sql) => Check(handle, raw.sqlite3_exec(handle, sql));

    private static void Check(sqlite3 handle, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
            throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(handle).utf8_to_string()}");
    }
}
