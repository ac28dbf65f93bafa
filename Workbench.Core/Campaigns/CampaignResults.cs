using System.Globalization;
using Workbench.Core.Data;
using Workbench.Core.Decisioning;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Core.Campaigns;

// One arm of a run with its attributed purchases: customers, converters, revenue and margin over the window.
public sealed record AttributedArm(string Arm, long Customers, long Converters, double Revenue, double Margin);

// A run's results against its control group from purchases (attribution), so the control group, which got no send, has
// outcomes too. Window: the order lines a targeted customer placed in [From, To) (From included, To excluded), From being
// the run's decision moment for every arm (a send deferred to a customer's local time is still inside). Metrics per
// customer: conversion (at least one line with a positive quantity: a rate), revenue (Σ quantity × unit price −
// discount, returns negative: a mean) and margin (revenue less quantity × the product's unit cost; a line whose product
// has no unit cost adds no margin). The global holdout is left out (it measures all campaigns together, not this one).
// Cells: everyone and each campaign segment the run recorded, per variant against control; fixed-horizon two-proportion
// z-tests (pooled SE for p, unpooled Wald interval) and Welch t-tests, 95%; p-values adjusted by Benjamini–Hochberg over
// every cell of the run (scope: this experiment). CUPED beside each: the pre-period metric is the same metric over the
// window's length before the decision moment ([From − window, From)), θ pooled within the two arms compared.
// Open: the window has not ended yet, so the figures are partial.
// Health: the customers per arm against the campaign's planned allocation (control = its percent; each variant the rest
// × its share of the variants' shares), Pearson's χ² with k − 1 degrees of freedom, a mismatch at p < 0.001.
public sealed record RunResults(long RunId, DateTime From, DateTime To, int WindowDays, bool Open, IReadOnlyList<AttributedArm> Arms,
    IReadOnlyList<CellResult> Cells, IReadOnlyDictionary<string, double> PlannedShares, SampleRatioCheck? SampleRatio)
{
    public const int DefaultWindowDays = 7, MaxWindowDays = 90;
    public const string Conversion = "conversion", Revenue = "revenue", Margin = "margin";
}

// A campaign's control group conversion as its results counted it, for a forecast's baseline.
public sealed record ControlBaseline(long RunId, int WindowDays, long Customers, long Converters)
{
    public double Rate => (double)Converters / Customers;
}

public sealed class CampaignResultService(StoreLocation store, CampaignRunner runner, TimeProvider clock)
{
    // The cumulative incremental revenue and margin of each variant over these results' window, day by day (the same
    // attribution as the results, so each curve ends at the variant's absolute lift × its customers).
    public async Task<IReadOnlyList<IncrementalSeries>> IncrementalAsync(RunResults results, CancellationToken ct)
    {
        var daily = await IncrementalRevenue.DailyAsync(store, results.RunId, results.From, results.To, ct);
        return IncrementalRevenue.Cumulate(IncrementalRevenue.Customers(results), daily, results.WindowDays, ArmAssignment.ControlArm);
    }

    public async Task<RunResults?> ForRunAsync(long runId, int windowDays, CancellationToken ct)
    {
        if (windowDays is < 1 or > RunResults.MaxWindowDays) throw new ArgumentOutOfRangeException(nameof(windowDays), $"the window is 1–{RunResults.MaxWindowDays} days");
        if (await runner.GetAsync(runId, ct) is not { } run) return null;
        var from = run.AsOf;
        var to = from.AddDays(windowDays);
        var cells = new Dictionary<(string? Segment, string Arm), (MomentAccumulator Conversion, MomentAccumulator Revenue, MomentAccumulator Margin)>();
        var arms = new SortedDictionary<string, (long Customers, long Converters, double Revenue, double Margin)>(StringComparer.Ordinal);
        await using (var connection = await StoreSql.OpenAsync(store, ct))
        await using (var cmd = connection.Command(
            "SELECT s.arm, s.segment_id, " +
            "COUNT(CASE WHEN l.ordered_at >= $from AND l.quantity > 0 THEN 1 END), " +
            "TOTAL(CASE WHEN l.ordered_at >= $from THEN l.quantity * l.unit_price - l.discount END), " +
            "TOTAL(CASE WHEN l.ordered_at >= $from THEN l.quantity * (l.unit_price - p.unit_cost) - l.discount END), " +
            "COUNT(CASE WHEN l.ordered_at < $from AND l.quantity > 0 THEN 1 END), " +
            "TOTAL(CASE WHEN l.ordered_at < $from THEN l.quantity * l.unit_price - l.discount END), " +
            "TOTAL(CASE WHEN l.ordered_at < $from THEN l.quantity * (l.unit_price - p.unit_cost) - l.discount END) " +
            "FROM campaign_sends s " +
            "LEFT JOIN order_lines l ON l.customer_id = s.customer_id AND l.ordered_at >= $pre AND l.ordered_at < $to " +
            "LEFT JOIN products p ON p.sku = l.sku " +
            "WHERE s.run_id = $id AND s.arm <> $holdout GROUP BY s.customer_id",
            ("$id", runId), ("$holdout", NotSentReasons.Holdout), ("$pre", StoreTime.Format(from.AddDays(-windowDays))),
            ("$from", StoreTime.Format(from)), ("$to", StoreTime.Format(to))))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var arm = r.GetString(0);
                var segment = r.IsDBNull(1) ? null : r.GetInt64(1).ToString(CultureInfo.InvariantCulture);
                var converted = r.GetInt64(2) > 0 ? 1.0 : 0.0;
                var revenue = r.GetDouble(3);
                var margin = r.GetDouble(4);
                var pre = (Converted: r.GetInt64(5) > 0 ? 1.0 : 0.0, Revenue: r.GetDouble(6), Margin: r.GetDouble(7));
                Add(cells, (null, arm), converted, revenue, margin, pre);
                if (segment is not null) Add(cells, (segment, arm), converted, revenue, margin, pre);
                var a = arms.GetValueOrDefault(arm);
                arms[arm] = (a.Customers + 1, a.Converters + (long)converted, a.Revenue + revenue, a.Margin + margin);
            }
        }
        var metricCells = cells.SelectMany(kv => new[]
        {
            new MetricCell(RunResults.Conversion, MetricKind.Rate, kv.Key.Segment, kv.Key.Arm, kv.Value.Conversion.ToMoments()),
            new MetricCell(RunResults.Revenue, MetricKind.Mean, kv.Key.Segment, kv.Key.Arm, kv.Value.Revenue.ToMoments()),
            new MetricCell(RunResults.Margin, MetricKind.Mean, kv.Key.Segment, kv.Key.Arm, kv.Value.Margin.ToMoments()),
        }).ToList();
        var compared = ExperimentAnalysis.Compare(metricCells, new AnalysisSettings(ArmAssignment.ControlArm, Cuped: true, Experiment: $"run {runId}"));
        var corrected = ExperimentAnalysis.Correct(compared, Correction.BenjaminiHochberg, CorrectionScope.Experiment)
            .OrderBy(c => c.Segment is null ? 0 : 1).ThenBy(c => c.Segment, StringComparer.Ordinal).ThenBy(c => MetricOrder(c.Metric))
            .ThenBy(c => c.Variant, StringComparer.Ordinal).ToList();
        var planned = PlannedShares(run.Campaign);
        var observed = planned.Keys.Select(arm => arms.TryGetValue(arm, out var a) ? a.Customers : 0).ToList();
        var srm = planned.Count >= 2 && observed.Sum() > 0 ? Experiments.Statistics.SampleRatio.Check(observed, planned.Values.ToList()) : null;
        return new RunResults(runId, from, to, windowDays, to > clock.GetUtcNow().UtcDateTime,
            arms.Select(kv => new AttributedArm(kv.Key, kv.Value.Customers, kv.Value.Converters, kv.Value.Revenue, kv.Value.Margin)).ToList(), corrected,
            planned, srm);
    }

    // The control group of the campaign's latest run with results: succeeded, its default window closed (an open one
    // would understate the rate) and customers in the control group. Of the last 20 runs, at most the 5 newest closed
    // ones are counted (each is a results query over its sends); null when none qualifies.
    public async Task<ControlBaseline?> LatestControlBaselineAsync(string campaignId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var closed = (await runner.RunsAsync(campaignId, 20, ct))
            .Where(r => r.Status == CampaignRunStatus.Succeeded && r.AsOf.AddDays(RunResults.DefaultWindowDays) <= now);
        foreach (var run in closed.Take(5))
        {
            var control = (await ForRunAsync(run.Id, RunResults.DefaultWindowDays, ct))?.Arms.FirstOrDefault(a => a.Arm == ArmAssignment.ControlArm);
            if (control is { Customers: > 0 }) return new ControlBaseline(run.Id, RunResults.DefaultWindowDays, control.Customers, control.Converters);
        }
        return null;
    }

    // The share of the targeted customers (the global holdout aside) each arm should get: the control group its percent,
    // each variant the rest in proportion to its share; an arm planned at 0 is left out.
    public static IReadOnlyDictionary<string, double> PlannedShares(Campaign campaign)
    {
        var control = campaign.ControlPercent / 100.0;
        var total = campaign.Variants.Sum(v => v.Share);
        var shares = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (control > 0) shares[ArmAssignment.ControlArm] = control;
        foreach (var v in campaign.Variants)
            if (total > 0 && v.Share > 0) shares[v.Name] = (1 - control) * v.Share / total;
        return shares;
    }

    private static int MetricOrder(string metric) => metric switch { RunResults.Conversion => 0, RunResults.Revenue => 1, _ => 2 };

    private static void Add(Dictionary<(string?, string), (MomentAccumulator Conversion, MomentAccumulator Revenue, MomentAccumulator Margin)> cells,
        (string?, string) key, double converted, double revenue, double margin, (double Converted, double Revenue, double Margin) pre)
    {
        var c = cells.GetValueOrDefault(key);
        c.Conversion.Add(converted, pre.Converted);
        c.Revenue.Add(revenue, pre.Revenue);
        c.Margin.Add(margin, pre.Margin);
        cells[key] = c;
    }
}
