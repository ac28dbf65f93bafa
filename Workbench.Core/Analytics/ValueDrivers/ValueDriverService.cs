using Workbench.Core.Data;
using Workbench.Core.Statistics;

namespace Workbench.Core.Analytics.ValueDrivers;

public sealed record DriverEffect(string Feature, string Label, double TopMean, double RestMean, long TopCount, long RestCount,
    double? CohensD, string Magnitude);

// BG/NBD scores a customer who bought on one day only (x = 0) P(alive) = 1: nothing yet to judge a silence against. Most
// of them are among the others, which lifts the others' mean P(alive); the comparison among repeat buyers (two or more
// purchase days) is the one that says something.
public sealed record AliveByRepeat(long TopBuyers, long TopOneDay, long RestBuyers, long RestOneDay, DriverEffect AmongRepeatBuyers)
{
    public double TopOneDayShare => TopBuyers > 0 ? (double)TopOneDay / TopBuyers : 0;
    public double RestOneDayShare => RestBuyers > 0 ? (double)RestOneDay / RestBuyers : 0;
}

public sealed record EffectSizeReport(long Buyers, long TopCount, double Threshold, IReadOnlyList<DriverEffect> Effects,
    AliveByRepeat? Alive = null);

public sealed record Gateway(string Kind, string Key, string Label, long FirstBuyers, long Eligible, long Repeat90d, double? RepeatRate,
    double AverageNetRevenue, double? AveragePredictedValue);

public sealed record TransitionCell(string From, string To, long Steps, long Customers, double ShareOfFrom);

public sealed record TransitionMatrix(IReadOnlyList<string> Categories, IReadOnlyList<TransitionCell> Cells);

// What separates valuable customers from the rest, where relationships start, and what customers buy next; read from
// the feature tables (the rebuild keeps them current).
public sealed class ValueDriverService(StoreLocation store)
{
    // The behavioural features compared; the value measures themselves (net revenue, predicted value) are left out.
    public static readonly IReadOnlyList<(string Column, string Label)> Features =
    [
        ("orders", "Orders"),
        ("average_order_value", "Average order value"),
        ("recency_days", "Days since last purchase"),
        ("tenure_days", "Tenure (days since first purchase)"),
        ("mean_days_between_orders", "Mean days between orders"),
        ("category_count", "Categories bought"),
        ("promo_share", "Share of spend on discount"),
        ("store_share", "Share of orders in store"),
        ("web_share", "Share of orders on the web"),
        ("app_share", "Share of orders in the app"),
        ("returns_rate", "Returns rate"),
        ("email_opens_90d", "Email opens (90 days)"),
        ("email_clicks_90d", "Email clicks (90 days)"),
        ("probability_alive", "Probability alive"),
    ];

    public const double TopShare = 0.2;

    // Top 20% of buyers by net revenue (the value at the 80th percentile and above, so ties at the edge join the
    // top) against the other buyers: each feature's means and Cohen's d, largest effects first.
    public async Task<EffectSizeReport?> EffectSizesAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var count = connection.Command("SELECT COUNT(*) FROM customer_features WHERE orders > 0");
        var buyers = (long)(await count.ExecuteScalarAsync(ct))!;
        if (buyers < 5) return null;
        var offset = Math.Max(0, (long)Math.Ceiling(buyers * TopShare) - 1);
        await using var threshold = connection.Command(
            "SELECT net_revenue FROM customer_features WHERE orders > 0 ORDER BY net_revenue DESC LIMIT 1 OFFSET $offset", ("$offset", offset));
        var cut = Convert.ToDouble(await threshold.ExecuteScalarAsync(ct));

        var columns = string.Join(", ", Features.Select(f => $"COUNT({f.Column}), TOTAL({f.Column}), TOTAL({f.Column} * {f.Column})"));
        // A repeat buyer bought on two or more days (the UTC dates of the first and last purchase differ), as BG/NBD counts.
        const string repeat = "substr(first_purchase_at, 1, 10) < substr(last_purchase_at, 1, 10)";
        await using var command = connection.Command($"""
            SELECT net_revenue >= $cut AS top, COUNT(*), {columns},
                   COUNT(*) - TOTAL({repeat}), COUNT(CASE WHEN {repeat} THEN probability_alive END),
                   TOTAL(CASE WHEN {repeat} THEN probability_alive END), TOTAL(CASE WHEN {repeat} THEN probability_alive * probability_alive END)
            FROM customer_features WHERE orders > 0 GROUP BY top
            """, ("$cut", cut));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var moments = new Dictionary<bool, Moments[]>();
        var groupSizes = new Dictionary<bool, long>();
        var oneDay = new Dictionary<bool, long>();
        var repeatAlive = new Dictionary<bool, Moments>();
        while (await reader.ReadAsync(ct))
        {
            var top = reader.GetInt64(0) == 1;
            groupSizes[top] = reader.GetInt64(1);
            moments[top] = Features.Select((_, i) => new Moments(reader.GetInt64(2 + 3 * i), reader.GetDouble(3 + 3 * i), reader.GetDouble(4 + 3 * i))).ToArray();
            var at = 2 + 3 * Features.Count;
            oneDay[top] = (long)reader.GetDouble(at);
            repeatAlive[top] = new Moments(reader.GetInt64(at + 1), reader.GetDouble(at + 2), reader.GetDouble(at + 3));
        }
        if (!moments.ContainsKey(true) || !moments.ContainsKey(false)) return null;
        var effects = Features.Select((f, i) =>
            {
                var (t, r) = (moments[true][i], moments[false][i]);
                var d = EffectSize.CohensD(t, r);
                return new DriverEffect(f.Column, f.Label, t.Mean, r.Mean, t.Count, r.Count, d, d is { } v ? EffectSize.Magnitude(v) : "n/a");
            })
            .OrderByDescending(e => Math.Abs(e.CohensD ?? 0))
            .ToList();
        var (topRepeat, restRepeat) = (repeatAlive[true], repeatAlive[false]);
        var repeatD = EffectSize.CohensD(topRepeat, restRepeat);
        var alive = new AliveByRepeat(groupSizes[true], oneDay[true], groupSizes[false], oneDay[false],
            new DriverEffect("probability_alive", "Probability alive, repeat buyers only", topRepeat.Mean, restRepeat.Mean,
                topRepeat.Count, restRepeat.Count, repeatD, repeatD is { } v ? EffectSize.Magnitude(v) : "n/a"));
        return new EffectSizeReport(buyers, groupSizes[true], cut, effects, alive);
    }

    public async Task<IReadOnlyList<Gateway>> GatewaysAsync(string kind, int take, CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var command = connection.Command("""
            SELECT g.kind, g.key, coalesce(p.name, g.key), g.first_buyers, g.eligible_90d, g.repeat_90d, g.net_revenue, g.predicted_value_12m, g.predicted_count
            FROM gateway_entries g LEFT JOIN products p ON g.kind = 'product' AND p.sku = g.key
            WHERE g.kind = $kind ORDER BY g.first_buyers DESC, g.key LIMIT $take
            """, ("$kind", kind), ("$take", take));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var gateways = new List<Gateway>();
        while (await reader.ReadAsync(ct))
        {
            var buyers = reader.GetInt64(3);
            var eligible = reader.GetInt64(4);
            var repeat = reader.GetInt64(5);
            var predictedCount = reader.GetInt64(8);
            gateways.Add(new Gateway(reader.GetString(0), reader.GetString(1), reader.GetString(2), buyers, eligible, repeat,
                eligible > 0 ? (double)repeat / eligible : null, buyers > 0 ? reader.GetDouble(6) / buyers : 0,
                predictedCount > 0 ? reader.GetDouble(7) / predictedCount : null));
        }
        return gateways;
    }

    public async Task<TransitionMatrix> TransitionsAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var command = connection.Command("""
            SELECT from_category, to_category, steps, customers, steps * 1.0 / sum(steps) OVER (PARTITION BY from_category)
            FROM category_transitions ORDER BY from_category, to_category
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var cells = new List<TransitionCell>();
        while (await reader.ReadAsync(ct))
            cells.Add(new TransitionCell(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDouble(4)));
        var categories = cells.Select(c => c.From).Concat(cells.Select(c => c.To)).Distinct().Order(StringComparer.Ordinal).ToList();
        return new TransitionMatrix(categories, cells);
    }
}
