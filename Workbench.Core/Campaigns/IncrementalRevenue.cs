using System.Globalization;
using Workbench.Core.Csv;
using Workbench.Core.Data;
using Workbench.Core.Decisioning;

namespace Workbench.Core.Campaigns;

// One arm's attributed purchases on one day of the window: day 0 is the first 24 hours from the run's decision moment.
public sealed record DailyArmTotals(string Arm, int Day, double Revenue, double Margin);

public sealed record IncrementalPoint(int Day, double Revenue, double Margin);

public sealed record IncrementalSeries(string Variant, long Customers, IReadOnlyList<IncrementalPoint> Points);

// Cumulative incremental revenue and margin of each variant against control, day by day over the results window.
// Convention: on day d, incremental = (variant's revenue per variant customer − control's revenue per control customer)
// × the variant's customers, the per-customer figures dividing by every customer of the arm (buyers or not), the same
// attribution as CampaignResultService (order lines of the run's targeted customers in [decision moment, + window)); the
// curve is the running sum to the end of day d, so its last point equals the results' absolute lift × customers.
public static class IncrementalRevenue
{
    public static IReadOnlyList<IncrementalSeries> Cumulate(IReadOnlyDictionary<string, long> customersByArm,
        IReadOnlyList<DailyArmTotals> daily, int days, string control)
    {
        if (!customersByArm.TryGetValue(control, out var controlCustomers) || controlCustomers == 0) return [];
        var byArmDay = daily.ToDictionary(d => (d.Arm, d.Day));
        var series = new List<IncrementalSeries>();
        foreach (var (arm, customers) in customersByArm.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (arm == control || customers == 0) continue;
            double revenue = 0, margin = 0;
            var points = new List<IncrementalPoint>(days);
            for (var day = 0; day < days; day++)
            {
                var v = byArmDay.GetValueOrDefault((arm, day));
                var c = byArmDay.GetValueOrDefault((control, day));
                revenue += ((v?.Revenue ?? 0) / customers - (c?.Revenue ?? 0) / controlCustomers) * customers;
                margin += ((v?.Margin ?? 0) / customers - (c?.Margin ?? 0) / controlCustomers) * customers;
                points.Add(new IncrementalPoint(day, revenue, margin));
            }
            series.Add(new IncrementalSeries(arm, customers, points));
        }
        return series;
    }

    // Per arm and day, summed in the store (set-based, the same join as the run's results).
    public static async Task<IReadOnlyList<DailyArmTotals>> DailyAsync(StoreLocation store, long runId, DateTime from, DateTime to, CancellationToken ct)
    {
        var rows = new List<DailyArmTotals>();
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var cmd = connection.Command(
            "SELECT s.arm, CAST(julianday(l.ordered_at) - julianday($from) AS INTEGER) AS day, " +
            "TOTAL(l.quantity * l.unit_price - l.discount), TOTAL(l.quantity * (l.unit_price - p.unit_cost) - l.discount) " +
            "FROM campaign_sends s " +
            "JOIN order_lines l ON l.customer_id = s.customer_id AND l.ordered_at >= $from AND l.ordered_at < $to " +
            "LEFT JOIN products p ON p.sku = l.sku " +
            "WHERE s.run_id = $id AND s.arm <> $holdout GROUP BY s.arm, day ORDER BY s.arm, day",
            ("$id", runId), ("$holdout", NotSentReasons.Holdout), ("$from", StoreTime.Format(from)), ("$to", StoreTime.Format(to)));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) rows.Add(new DailyArmTotals(r.GetString(0), (int)r.GetInt64(1), r.GetDouble(2), r.GetDouble(3)));
        return rows;
    }

    // The curves as CSV, one row per variant and day (day 0 ends 24 hours after the decision moment), money in the store's
    // currency with invariant numbers.
    public static string Csv(IReadOnlyList<IncrementalSeries> series)
    {
        using var text = new StringWriter();
        using (var csv = SafeCsv.CreateWriter(text))
        {
            csv.WriteRow(["variant", "customers", "day", "cumulative_incremental_revenue", "cumulative_incremental_margin"]);
            foreach (var s in series)
            {
                foreach (var p in s.Points)
                {
                    csv.WriteRow([s.Variant, s.Customers.ToString(CultureInfo.InvariantCulture), (p.Day + 1).ToString(CultureInfo.InvariantCulture),
                        p.Revenue.ToString("0.####", CultureInfo.InvariantCulture), p.Margin.ToString("0.####", CultureInfo.InvariantCulture)]);
                }
            }
        }
        return text.ToString();
    }

    public static IReadOnlyDictionary<string, long> Customers(RunResults results) =>
        results.Arms.ToDictionary(a => a.Arm, a => a.Customers, StringComparer.Ordinal);
}
