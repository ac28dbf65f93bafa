using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Workbench.Core.Customers;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Segments.Clv;

namespace Workbench.Core.Segments.Features;

public sealed record FeatureRebuildResult(
    long Customers, long Buyers, DateOnly AsOf, BgNbdFit? Purchases, GammaGammaFit? Spend, TimeSpan Duration);

// Rebuilds the feature tables from the store: one streaming pass over the order lines in customer order (the KPI
// engine of the Customer 360 per customer), the population-wide parts (RFM cut points, the CLV fit) in memory, then
// every table rewritten in one transaction. Runs after each import and on demand.
public sealed class FeatureService(StoreLocation store, TimeProvider clock, ILogger<FeatureService> logger) : IImportFollowUp
{
    private readonly SemaphoreSlim _gate = new(1, 1);

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
        var clockwatch = Stopwatch.StartNew();
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        await using var connection = await StoreSql.OpenAsync(store, ct);

        var products = await LoadProductsAsync(connection, ct);
        var rows = await ReadCustomersAsync(connection, products, today, progress, ct);
        progress?.Report($"{rows.Count:N0} buyers read in {clockwatch.Elapsed.TotalSeconds:0.0} s");

        ScoreRfm(rows);
        var (purchases, spend) = FitClv(rows, ct);
        progress?.Report(purchases is null ? "no repeat history to fit the CLV model" :
            $"CLV fitted: r={purchases.Parameters.R:0.###} alpha={purchases.Parameters.Alpha:0.###} a={purchases.Parameters.A:0.###} b={purchases.Parameters.B:0.###}");

        var customers = await WriteAsync(connection, rows, now, ct);
        progress?.Report($"features written for {customers:N0} customers in {clockwatch.Elapsed.TotalSeconds:0.0} s");
        return new FeatureRebuildResult(customers, rows.Count, today, purchases, spend, clockwatch.Elapsed);
    }

    private static async Task<Dictionary<string, (string Category, double? UnitCost)>> LoadProductsAsync(SqliteConnection connection, CancellationToken ct)
    {
        var products = new Dictionary<string, (string, double?)>(StringComparer.Ordinal);
        await using var command = connection.Command("SELECT sku, category, unit_cost FROM products");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) products[reader.GetString(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));
        return products;
    }

    // The lines of each customer, in customer order through the order_lines(customer_id) index, turned into features.
    private static async Task<List<FeatureRow>> ReadCustomersAsync(SqliteConnection connection,
        Dictionary<string, (string Category, double? UnitCost)> products, DateOnly today, IProgress<string>? progress, CancellationToken ct)
    {
        const string sql = """
            SELECT c.customer_id, c.time_zone, l.order_id, l.ordered_at, l.sku, l.quantity, l.unit_price, l.discount, l.channel
            FROM customers c JOIN order_lines l ON l.customer_id = c.customer_id
            ORDER BY c.customer_id
            """;
        var rows = new List<FeatureRow>();
        var zones = new Dictionary<string, TimeZoneInfo?>(StringComparer.Ordinal);
        var lines = new List<KpiLine>();
        string? current = null;
        TimeZoneInfo? zone = null;
        await using var command = connection.Command(sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var customerId = reader.GetString(0);
            if (!string.Equals(customerId, current, StringComparison.Ordinal))
            {
                if (current is not null) Flush();
                current = customerId;
                zone = Zone(zones, reader.IsDBNull(1) ? null : reader.GetString(1));
            }
            var sku = reader.GetString(4);
            products.TryGetValue(sku, out var product);
            lines.Add(new KpiLine(reader.GetString(2), ParseTime(reader.GetString(3)), sku, reader.GetDouble(5), reader.GetDouble(6),
                reader.GetDouble(7), product.UnitCost, product.Category, reader.IsDBNull(8) ? null : reader.GetString(8)));
        }
        if (current is not null) Flush();
        return rows;

        void Flush()
        {
            rows.Add(new FeatureRow(FeatureCalculator.Compute(current!, lines, today, zone)));
            lines.Clear();
            if (rows.Count % 100_000 == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report($"{rows.Count:N0} buyers");
            }
        }
    }

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

    private static DateTime ParseTime(string text) =>
        DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture), DateTimeKind.Utc);

    // R, F and M scores over the buyers (customers with at least one order).
    private static void ScoreRfm(List<FeatureRow> rows)
    {
        var buyers = rows.Where(r => r.Values.Kpis.Orders > 0).ToList();
        var recencyCuts = RfmScoring.CutPoints(buyers.Select(r => (double)r.Values.Kpis.DaysSinceLastPurchase!.Value).ToList());
        var frequencyCuts = RfmScoring.CutPoints(buyers.Select(r => (double)r.Values.Kpis.Orders).ToList());
        var monetaryCuts = RfmScoring.CutPoints(buyers.Select(r => r.Values.Kpis.NetRevenue).ToList());
        foreach (var row in buyers)
        {
            row.R = RfmScoring.Score(row.Values.Kpis.DaysSinceLastPurchase!.Value, recencyCuts, higherIsBetter: false);
            row.F = RfmScoring.Score(row.Values.Kpis.Orders, frequencyCuts);
            row.M = RfmScoring.Score(row.Values.Kpis.NetRevenue, monetaryCuts);
        }
    }

    // BG/NBD on every buyer's repeat history (identical summaries passed once with a weight), Gamma-Gamma on the
    // repeaters; then per customer P(alive), expected purchases in the next 52 weeks and the 12-month value.
    private static (BgNbdFit?, GammaGammaFit?) FitClv(List<FeatureRow> rows, CancellationToken ct)
    {
        var histories = rows.Where(r => r.Values.Repeat is not null).Select(r => r.Values.Repeat!).ToList();
        if (histories.Count == 0 || histories.All(h => h.X == 0)) return (null, null);
        var grouped = histories.GroupBy(h => (h.X, h.Tx, h.T)).Select(g => new RepeatHistory(g.Key.X, g.Key.Tx, g.Key.T, g.Count())).ToList();
        BgNbdFit purchases;
        try
        {
            purchases = BgNbd.Fit(grouped, ct);
        }
        catch (ArithmeticException)
        {
            return (null, null);
        }
        var spendHistories = rows.Where(r => r.Values.Spend is { MeanValue: > 0 }).Select(r => r.Values.Spend!).ToList();
        GammaGammaFit? spend = spendHistories.Count >= 10 ? GammaGamma.Fit(spendHistories, ct) : null;
        foreach (var row in rows)
        {
            if (row.Values.Repeat is not { } repeat) continue;
            row.ProbabilityAlive = BgNbd.ProbabilityAlive(purchases.Parameters, repeat);
            row.ExpectedPurchases52w = BgNbd.ConditionalExpectedPurchases(purchases.Parameters, repeat, 52);
            if (spend is not null)
            {
                var value = GammaGamma.ConditionalExpectedValue(spend.Parameters, row.Values.Spend?.X ?? 0, row.Values.Spend?.MeanValue ?? 0);
                row.PredictedValue12m = row.ExpectedPurchases52w * value;
            }
        }
        return (purchases, spend);
    }

    private static async Task<long> WriteAsync(SqliteConnection connection, List<FeatureRow> rows, DateTime now, CancellationToken ct)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using (var clear = connection.Command("DELETE FROM customer_features; DELETE FROM customer_category_activity; DELETE FROM customer_event_activity;"))
        {
            clear.Transaction = transaction;
            await clear.ExecuteNonQueryAsync(ct);
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO customer_features ({string.Join(", ", FeatureColumns)}) VALUES ({string.Join(", ", FeatureColumns.Select(c => "$" + c))})";
            var parameters = FeatureColumns.ToDictionary(c => c, c => insert.Parameters.Add("$" + c, SqliteType.Text));
            insert.Prepare();
            foreach (var row in rows)
            {
                row.Bind(parameters, now);
                await insert.ExecuteNonQueryAsync(ct);
            }
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO customer_category_activity (customer_id, category, net_spend, share, orders, last_bought_at)
                VALUES ($customer, $category, $net, $share, $orders, $last)
                """;
            var customer = insert.Parameters.Add("$customer", SqliteType.Text);
            var category = insert.Parameters.Add("$category", SqliteType.Text);
            var net = insert.Parameters.Add("$net", SqliteType.Real);
            var share = insert.Parameters.Add("$share", SqliteType.Real);
            var orders = insert.Parameters.Add("$orders", SqliteType.Integer);
            var last = insert.Parameters.Add("$last", SqliteType.Text);
            insert.Prepare();
            foreach (var row in rows)
            {
                foreach (var activity in row.Values.Categories)
                {
                    customer.Value = row.Values.CustomerId;
                    category.Value = activity.Category;
                    net.Value = activity.NetSpend;
                    share.Value = activity.Share;
                    orders.Value = activity.Orders;
                    last.Value = StoreSql.Format(activity.LastBoughtAt);
                    await insert.ExecuteNonQueryAsync(ct);
                }
            }
        }

        var since90 = StoreSql.Format(now.AddDays(-90));
        const string setBased = """
            INSERT INTO customer_features (customer_id, orders, net_revenue, tenure_days, category_count, email_opens_90d, email_clicks_90d, computed_at)
            SELECT c.customer_id, 0, 0,
                   CASE WHEN c.signup_date IS NULL THEN NULL ELSE CAST(julianday($today) - julianday(c.signup_date) AS INTEGER) END,
                   0, 0, 0, $now
            FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_features f WHERE f.customer_id = c.customer_id);

            INSERT INTO customer_event_activity (customer_id, type, total, last_90d, last_at)
            SELECT customer_id, type, COUNT(*), TOTAL(occurred_at >= $since90), MAX(occurred_at)
            FROM events GROUP BY customer_id, type;

            UPDATE customer_features SET
                email_opens_90d = coalesce((SELECT a.last_90d FROM customer_event_activity a
                                            WHERE a.customer_id = customer_features.customer_id AND a.type = 'email_open'), 0),
                email_clicks_90d = coalesce((SELECT a.last_90d FROM customer_event_activity a
                                             WHERE a.customer_id = customer_features.customer_id AND a.type = 'email_click'), 0);
            """;
        await using (var command = connection.Command(setBased, ("$today", now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                         ("$now", StoreSql.Format(now)), ("$since90", since90)))
        {
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);

        await using var count = connection.Command("SELECT COUNT(*) FROM customer_features");
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    internal static readonly string[] FeatureColumns =
    [
        "customer_id", "orders", "net_revenue", "average_order_value", "first_purchase_at", "last_purchase_at", "recency_days",
        "tenure_days", "mean_days_between_orders", "expected_next_purchase_at", "r_score", "f_score", "m_score", "rfm_cell",
        "top_category_1", "top_category_2", "top_category_3", "category_count", "promo_share", "store_share", "web_share",
        "app_share", "favourite_weekday", "favourite_daypart", "returns_rate", "email_opens_90d", "email_clicks_90d",
        "probability_alive", "expected_purchases_52w", "predicted_value_12m", "computed_at",
    ];

    private sealed class FeatureRow(CustomerFeatureValues values)
    {
        public CustomerFeatureValues Values { get; } = values;
        public int? R, F, M;
        public double? ProbabilityAlive, ExpectedPurchases52w, PredictedValue12m;

        public void Bind(Dictionary<string, SqliteParameter> p, DateTime now)
        {
            var v = Values;
            var k = v.Kpis;
            Set(p["customer_id"], v.CustomerId);
            Set(p["orders"], k.Orders);
            Set(p["net_revenue"], k.NetRevenue);
            Set(p["average_order_value"], k.AverageOrderValue);
            Set(p["first_purchase_at"], k.FirstPurchaseAt is { } f ? StoreSql.Format(f) : null);
            Set(p["last_purchase_at"], k.LastPurchaseAt is { } l ? StoreSql.Format(l) : null);
            Set(p["recency_days"], k.DaysSinceLastPurchase);
            Set(p["tenure_days"], v.TenureDays);
            Set(p["mean_days_between_orders"], v.MeanDaysBetweenOrders);
            Set(p["expected_next_purchase_at"], v.ExpectedNextPurchaseAt is { } n ? StoreSql.Format(n) : null);
            Set(p["r_score"], R);
            Set(p["f_score"], F);
            Set(p["m_score"], M);
            Set(p["rfm_cell"], R is { } r && F is { } fs && M is { } m ? RfmScoring.Cell(r, fs, m) : null);
            Set(p["top_category_1"], v.Categories.Count > 0 ? v.Categories[0].Category : null);
            Set(p["top_category_2"], v.Categories.Count > 1 ? v.Categories[1].Category : null);
            Set(p["top_category_3"], v.Categories.Count > 2 ? v.Categories[2].Category : null);
            Set(p["category_count"], v.Categories.Count);
            Set(p["promo_share"], v.PromoShare);
            Set(p["store_share"], v.StoreShare);
            Set(p["web_share"], v.WebShare);
            Set(p["app_share"], v.AppShare);
            Set(p["favourite_weekday"], v.FavouriteWeekday);
            Set(p["favourite_daypart"], v.FavouriteDaypart);
            Set(p["returns_rate"], v.ReturnsRate);
            Set(p["email_opens_90d"], 0);
            Set(p["email_clicks_90d"], 0);
            Set(p["probability_alive"], ProbabilityAlive);
            Set(p["expected_purchases_52w"], ExpectedPurchases52w);
            Set(p["predicted_value_12m"], PredictedValue12m);
            Set(p["computed_at"], StoreSql.Format(now));
        }

        private static void Set(SqliteParameter parameter, object? value)
        {
            parameter.SqliteType = value switch
            {
                double => SqliteType.Real,
                int or long => SqliteType.Integer,
                _ => SqliteType.Text,
            };
            parameter.Value = value ?? DBNull.Value;
        }
    }
}
