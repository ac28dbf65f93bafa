using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Analytics.Clv;

namespace Workbench.Core.Analytics.CustomerFeatures;

public sealed record IncrementalFeatureResult(long Customers, DateTime FiguresComputedAt, TimeSpan Duration);

// The features of the customers in touched_customers only, in one transaction: their lines and events read through the
// customer indexes, reduced by the rebuild's own LineAccumulator, scored against the stored population figures (RFM
// cut points, CLV parameters) instead of refitting them. With the same figures and the same day, a customer's rows
// equal what the full rebuild writes (a property test holds them so). Population-wide tables (value drivers) are left
// to the full rebuild.
public sealed class IncrementalFeatures(StoreLocation store, TimeProvider clock, ILogger<IncrementalFeatures> logger)
{
    public async Task<PopulationFigures?> LoadFiguresAsync(CancellationToken ct)
    {
        await using var connection = await StoreConnections.OpenAsync(store, ct);
        return PopulationFigures.FromJson(await connection.ScalarAsync<string?>("SELECT figures_json FROM population_figures WHERE id = 1", ct));
    }

    public async Task<IncrementalFeatureResult> UpdateTouchedAsync(PopulationFigures figures, IProgress<string>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        await using var connection = await StoreConnections.OpenAsync(store, ct);
        await using var tx = await connection.BeginWriteAsync(ct);

        var products = await LoadProductsAsync(connection, ct);
        var customers = await ReadCustomersAsync(connection, ct);
        var lines = await ReadLinesAsync(connection, products, ct);
        var events = await ReadEventsAsync(connection, StoreTime.Format(now.AddDays(-90)), ct);
        progress?.Report($"{customers.Count:N0} touched customers read in {watch.ElapsedMilliseconds} ms");

        await connection.ExecuteAsync("""
            DELETE FROM customer_features WHERE customer_id IN (SELECT customer_id FROM touched_customers);
            DELETE FROM customer_category_activity WHERE customer_id IN (SELECT customer_id FROM touched_customers);
            DELETE FROM customer_event_activity WHERE customer_id IN (SELECT customer_id FROM touched_customers);
            """, ct);

        await using var feature = Insert(connection, "customer_features", FeatureColumns);
        await using var category = Insert(connection, "customer_category_activity", ["customer_id", "category", "net_spend", "share", "orders", "last_bought_at"]);
        await using var activity = Insert(connection, "customer_event_activity", ["customer_id", "type", "total", "last_90d", "last_at"]);
        var accumulator = new LineAccumulator(products.Categories, products.Skus, products.ProductCategory);
        var computedAt = StoreTime.Format(now);
        foreach (var (id, zone, signupDay) in customers)
        {
            long opens = 0, clicks = 0;
            foreach (var e in events.GetValueOrDefault(id) ?? [])
            {
                if (e.Type == "email_open") opens = e.Last90d;
                else if (e.Type == "email_click") clicks = e.Last90d;
                await RunAsync(activity, ct, id, e.Type, e.Total, e.Last90d, e.LastAt);
            }
            if (lines.GetValueOrDefault(id) is not { Count: > 0 } own)
            {
                var row = new object?[FeatureColumns.Length];
                row[0] = id;
                row[1] = 0L;
                row[2] = 0.0;
                row[7] = signupDay < 0 ? null : (long)(today.DayNumber - signupDay);
                row[13] = 0L;
                row[21] = opens;
                row[22] = clicks;
                row[23] = computedAt;
                await RunAsync(feature, ct, row);
                continue;
            }
            accumulator.Clear();
            foreach (var l in own) accumulator.Add(accumulator.Order(l.OrderId), l.Ticks, l.Product, l.Quantity, l.UnitPrice, l.Discount, l.Channel);
            var s = accumulator.Compute(id, today, zone);
            foreach (var c in s.Categories)
                await RunAsync(category, ct, id, c.Category, c.NetSpend, c.Share, c.Orders, Time(c.LastBoughtAt));
            await RunAsync(feature, ct, SummaryRow(s, opens, clicks, computedAt, figures));
        }
        await tx.CommitAsync(ct);
        logger.LogInformation("Features of {Customers} touched customers in {Ms} ms", customers.Count, watch.ElapsedMilliseconds);
        return new IncrementalFeatureResult(customers.Count, figures.ComputedAt, watch.Elapsed);
    }

    // The columns of the full rebuild (FeaturePass), then the population-relative ones it fills in by row id.
    private static readonly string[] FeatureColumns =
    [
        "customer_id", "orders", "net_revenue", "average_order_value", "first_purchase_at", "last_purchase_at", "recency_days",
        "tenure_days", "mean_days_between_orders", "expected_next_purchase_at", "top_category_1", "top_category_2", "top_category_3",
        "category_count", "promo_share", "store_share", "web_share", "app_share", "favourite_weekday", "favourite_daypart",
        "returns_rate", "email_opens_90d", "email_clicks_90d", "computed_at",
        "r_score", "f_score", "m_score", "rfm_cell", "probability_alive", "expected_purchases_52w", "predicted_value_12m",
    ];

    private static object?[] SummaryRow(CustomerFeatureSummary s, long opens, long clicks, string computedAt, PopulationFigures figures)
    {
        var row = new object?[]
        {
            s.CustomerId, s.Orders, s.NetRevenue, Real(s.AverageOrderValue), Time(s.FirstPurchaseAt), Time(s.LastPurchaseAt),
            (long?)s.RecencyDays, (long?)s.TenureDays, Real(s.MeanDaysBetweenOrders), Time(s.ExpectedNextPurchaseAt),
            s.Categories.Count > 0 ? s.Categories[0].Category : null, s.Categories.Count > 1 ? s.Categories[1].Category : null,
            s.Categories.Count > 2 ? s.Categories[2].Category : null, (long)s.Categories.Count, Real(s.PromoShare), Real(s.StoreShare),
            Real(s.WebShare), Real(s.AppShare), (long?)s.FavouriteWeekday, s.FavouriteDaypart, Real(s.ReturnsRate), opens, clicks, computedAt,
            null, null, null, null, null, null, null,
        };
        if (s.Orders > 0 && figures.RecencyCuts.Length > 0)
        {
            var r = RfmScoring.Score(s.RecencyDays ?? -1, figures.RecencyCuts, higherIsBetter: false);
            var f = RfmScoring.Score(s.Orders, figures.FrequencyCuts);
            var m = RfmScoring.Score(s.NetRevenue, figures.MonetaryCuts);
            (row[24], row[25], row[26], row[27]) = ((long)r, (long)f, (long)m, RfmScoring.Cell(r, f, m));
        }
        if (figures.Purchases is { } purchases && s.Repeat is { } repeat)
        {
            var expected = BgNbd.ConditionalExpectedPurchases(purchases, repeat, 52);
            row[28] = Real(BgNbd.ProbabilityAlive(purchases, repeat));
            row[29] = Real(expected);
            if (figures.Spend is { } spend)
                row[30] = Real(expected * GammaGamma.ConditionalExpectedValue(spend, s.Spend?.X ?? 0, s.Spend?.MeanValue ?? 0));
        }
        return row;
    }

    private static double? Real(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static string? Time(DateTime? utc) => utc is { } t ? StoreTime.Format(t) : null;

    private static async Task<ProductIndex> LoadProductsAsync(DbConnection connection, CancellationToken ct)
    {
        List<string> categories = [], skus = [];
        List<int> productCategory = [];
        var skuIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var categoryIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var command = connection.Sql("SELECT sku, category FROM products ORDER BY sku");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var categoryName = reader.GetString(1);
            if (!categoryIndex.TryGetValue(categoryName, out var c))
            {
                c = categories.Count;
                categories.Add(categoryName);
                categoryIndex[categoryName] = c;
            }
            skuIndex[reader.GetString(0)] = skus.Count;
            skus.Add(reader.GetString(0));
            productCategory.Add(c);
        }
        return new ProductIndex(categories, skus, productCategory, skuIndex);
    }

    private static async Task<List<(string Id, TimeZoneInfo? Zone, int SignupDay)>> ReadCustomersAsync(DbConnection connection, CancellationToken ct)
    {
        var zones = new Dictionary<string, TimeZoneInfo?>(StringComparer.Ordinal);
        var customers = new List<(string, TimeZoneInfo?, int)>();
        await using var command = connection.Sql("""
            SELECT c.customer_id, c.time_zone, c.signup_date
            FROM touched_customers t CROSS JOIN customers c WHERE c.customer_id = t.customer_id
            ORDER BY t.customer_id
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            TimeZoneInfo? zone = null;
            if (!reader.IsDBNull(1) && !zones.TryGetValue(reader.GetString(1), out zone))
            {
                zone = TimeZoneInfo.TryFindSystemTimeZoneById(reader.GetString(1), out var found) ? found : null;
                zones[reader.GetString(1)] = zone;
            }
            var signup = !reader.IsDBNull(2) && DateOnly.TryParseExact(reader.GetString(2), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d.DayNumber
                : -1;
            customers.Add((reader.GetString(0), zone, signup));
        }
        return customers;
    }

    private sealed record Line(byte[] OrderId, long Ticks, int Product, double Quantity, double UnitPrice, double Discount, byte Channel);

    // In the order the full rebuild meets them (the customer index of order_lines), so sums add up in the same order.
    // CROSS JOIN keeps the touched customers the outer loop: the planner, without statistics, may otherwise scan the lines.
    private static async Task<Dictionary<string, List<Line>>> ReadLinesAsync(DbConnection connection, ProductIndex products, CancellationToken ct)
    {
        var lines = new Dictionary<string, List<Line>>(StringComparer.Ordinal);
        await using var command = connection.Sql("""
            SELECT c.customer_id, l.order_id, l.ordered_at, l.sku, l.quantity, l.unit_price, l.discount, l.channel
            FROM touched_customers t CROSS JOIN customers c CROSS JOIN order_lines l
            WHERE c.customer_id = t.customer_id AND l.customer_id = c.customer_id
            ORDER BY t.customer_id
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            if (!lines.TryGetValue(id, out var own)) lines[id] = own = [];
            own.Add(new Line(Encoding.UTF8.GetBytes(reader.GetString(1)), StoreTime.ParseTicks(Encoding.UTF8.GetBytes(reader.GetString(2))),
                products.SkuIndex.GetValueOrDefault(reader.GetString(3), -1), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6),
                Channel(reader.IsDBNull(7) ? null : reader.GetString(7))));
        }
        return lines;
    }

    private sealed record EventActivity(string Type, long Total, long Last90d, string LastAt);

    private static async Task<Dictionary<string, List<EventActivity>>> ReadEventsAsync(DbConnection connection, string threshold, CancellationToken ct)
    {
        var events = new Dictionary<string, List<EventActivity>>(StringComparer.Ordinal);
        await using var command = connection.Sql("""
            SELECT c.customer_id, e.type, COUNT(*), TOTAL(e.occurred_at >= $threshold), MAX(e.occurred_at)
            FROM touched_customers t CROSS JOIN customers c CROSS JOIN events e
            WHERE c.customer_id = t.customer_id AND e.customer_id = c.customer_id
            GROUP BY t.customer_id, e.type
            """, ("$threshold", threshold));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            if (!events.TryGetValue(id, out var own)) events[id] = own = [];
            own.Add(new EventActivity(reader.GetString(1), reader.GetInt64(2), (long)reader.GetDouble(3), reader.GetString(4)));
        }
        return events;
    }

    private static byte Channel(string? channel) => channel switch
    {
        "store" => LineAccumulator.Store,
        "web" => LineAccumulator.Web,
        "app" => LineAccumulator.App,
        _ => LineAccumulator.NoChannel,
    };

    private static DbCommand Insert(DbConnection connection, string table, string[] columns)
    {
        var command = connection.Sql($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})");
        for (var i = 0; i < columns.Length; i++) command.Parameters.Add(StoreConnections.Parameter(command, $"$p{i}", null));
        return command;
    }

    private static async Task RunAsync(DbCommand command, CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        await command.ExecuteNonQueryAsync(ct);
    }
}
