using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Quality;
using Workbench.Core.Import;
using Workbench.Core.Analytics.ValueDrivers;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Analytics;

// The committed sample-data loaded as on the app's first start, the clock on the day after its last day (2026-11-22),
// then two hand-made customers with the same history, one silent for 15 days, the other for 292.
public sealed class SampleWorldStore : IAsyncLifetime
{
    public TestStore Store { get; private set; } = null!;
    public long SampleImports { get; private set; }

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync(new FixedClock(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)), loadSampleData: true);
        // The five sample files (the sample experiment's seed imports its simulated outcomes and purchases after them).
        SampleImports = StoreInitializer.LoadOrder.Count;
        await Store.ImportAsync(ImportKind.Customers, "customer_id\nH1\nH2\n");
        // Five purchase days 14 days apart: H1's last on 8 November (15 days before the clock), H2's on 4 February (292).
        var lines = new List<string> { "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel" };
        for (var k = 0; k < 5; k++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"H1-{k},1,H1,{new DateTime(2026, 11, 8, 12, 0, 0).AddDays(14 * (k - 4)):yyyy-MM-ddTHH:mm:ss},GRO-1001,2,1.59,0,store"));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"H2-{k},1,H2,{new DateTime(2026, 2, 4, 12, 0, 0).AddDays(14 * (k - 4)):yyyy-MM-ddTHH:mm:ss},GRO-1001,2,1.59,0,store"));
        }
        await Store.ImportAsync(ImportKind.Transactions, string.Join('\n', lines));
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();
}

public sealed class SampleWorldAnalyticsTests(SampleWorldStore world) : IClassFixture<SampleWorldStore>
{
    private TestStore Store => world.Store;

    [Fact]
    public async Task FirstStart_QualityTrendStartsAfterTheWholeSample()
    {
        var trend = await Store.Services.GetRequiredService<QualityService>().TrendAsync(50, default);
        var sampleRuns = (await Store.RowsAsync("SELECT id FROM import_runs ORDER BY id")).Take((int)world.SampleImports).Select(long.Parse).ToList();

        // Five sample files, one snapshot for them, taken after the last (consents); then one per hand-made import.
        Assert.Equal(5, sampleRuns.Count);
        Assert.Equal(sampleRuns[^1], trend[0].ImportRunId);
        Assert.DoesNotContain(trend, t => t.ImportRunId < sampleRuns[^1]);
        // Its figures are the whole sample's: the 15 planted invalid emails and both kinds of duplicate already there.
        Assert.Equal(15, trend[0].Offenders["invalid-email"]);
        Assert.True(trend[0].Offenders["duplicate-email"] > 0 && trend[0].Offenders["duplicate-phone"] > 0);
    }

    [Fact]
    public async Task FirstStart_TheFiveSampleFilesGetOnePipelineRunForEveryone_AfterTheLast()
    {
        var sampleRuns = (await Store.RowsAsync("SELECT id FROM import_runs ORDER BY id")).Take((int)world.SampleImports).ToList();
        var firstRequest = long.Parse((await Store.RowsAsync("SELECT MIN(request_id) FROM job_runs"))[0]);

        // One request: every job once, in dependency order, for everyone (rows = all customers), named after the five imports.
        Assert.Equal(
        [
            $"customer-stats|Import|imports {sampleRuns[0]}–{sampleRuns[^1]}|Succeeded",
            $"customer-features|Import|imports {sampleRuns[0]}–{sampleRuns[^1]}|Succeeded",
            $"segment-memberships|Import|imports {sampleRuns[0]}–{sampleRuns[^1]}|Succeeded",
            $"kpi-months|Import|imports {sampleRuns[0]}–{sampleRuns[^1]}|Succeeded",
            $"basket-model|Import|imports {sampleRuns[0]}–{sampleRuns[^1]}|Succeeded",
            $"quality-snapshot|Import|imports {sampleRuns[0]}–{sampleRuns[^1]}|Succeeded",
        ], await Store.RowsAsync($"SELECT job || '|' || \"trigger\" || '|' || requested_by || '|' || status FROM job_runs WHERE request_id = {firstRequest} ORDER BY id"));
        var customers = (await Store.RowsAsync("SELECT COUNT(*) FROM customers WHERE customer_id NOT IN ('H1', 'H2')"))[0];
        Assert.Equal([customers, customers], await Store.RowsAsync(
            $"SELECT rows FROM job_runs WHERE request_id = {firstRequest} AND job IN ('customer-stats', 'customer-features') ORDER BY id"));
        // Nothing ran for the sample files one by one: the next request is the hand-made customers' import.
        Assert.Equal(["1"], await Store.RowsAsync($"SELECT COUNT(DISTINCT request_id) FROM job_runs WHERE request_id <= {firstRequest}"));
    }

    [Fact]
    public async Task SampleWorld_ProbabilityAliveSpreadsWithSilence()
    {
        // Repeat buyers (3+ orders) silent for at least four times their mean gap against those who bought within one gap.
        var silent = await StatsAsync("orders >= 3 AND recency_days >= 4 * mean_days_between_orders");
        var regulars = await StatsAsync("orders >= 3 AND recency_days <= mean_days_between_orders");
        var repeaters = await StatsAsync("orders >= 2");

        Assert.True(silent.Count >= 100 && regulars.Count >= 100, $"{silent.Count} silent, {regulars.Count} regulars");
        Assert.True(silent.Mean < 0.25, $"silent customers' mean P(alive) {silent.Mean:0.000}");
        Assert.True(regulars.Mean > 0.75, $"recent regulars' mean P(alive) {regulars.Mean:0.000}");
        Assert.True(regulars.Min > silent.Mean, $"the least likely regular {regulars.Min:0.000} against the silent mean {silent.Mean:0.000}");
        // Across repeat buyers the scores fill the range, not a band near 1.
        Assert.True(repeaters.Low > 0.2 && repeaters.High > 0.2, $"{repeaters.Low:P0} below 0.2, {repeaters.High:P0} above 0.8");
    }

    [Fact]
    public async Task SameHistory_SilentForLonger_ScoresLower()
    {
        var rows = await Store.RowsAsync(
            "SELECT customer_id, probability_alive FROM customer_features WHERE customer_id IN ('H1', 'H2') ORDER BY customer_id");
        var alive = rows.Select(r => double.Parse(r.Split('|')[1], CultureInfo.InvariantCulture)).ToArray();

        // The case: five purchases 14 days apart, then 292 days of silence, scored 0.99998 before.
        Assert.True(alive[0] > 0.8, $"H1, silent 15 days: {alive[0]:0.000}");
        Assert.True(alive[1] < 0.1, $"H2, silent 292 days: {alive[1]:0.000}");
    }

    [Fact]
    public async Task ValueDrivers_ProbabilityAlive_DiffersBetweenTheTopFifthAndTheRest()
    {
        var report = (await Store.Services.GetRequiredService<ValueDriverService>().EffectSizesAsync(default))!;
        var alive = report.Effects.Single(e => e.Feature == "probability_alive");

        // One-time buyers score 1 by the model's definition (no repeat purchase, no evidence of dropping out), and most
        // of them are outside the top fifth; the top fifth's repeat buyers include those who stopped.
        Assert.True(Math.Abs(alive.TopMean - alive.RestMean) >= 0.1, $"top {alive.TopMean:0.000} against rest {alive.RestMean:0.000}");
        Assert.True(Math.Abs(alive.CohensD ?? 0) >= 0.3, $"Cohen's d {alive.CohensD:0.00}");
    }

    private async Task<(long Count, double Mean, double Min, double Low, double High)> StatsAsync(string where)
    {
        var row = (await Store.RowsAsync($"""
            SELECT COUNT(*), avg(probability_alive), min(probability_alive), avg(probability_alive < 0.2), avg(probability_alive > 0.8)
            FROM customer_features WHERE {where} AND customer_id NOT IN ('H1', 'H2')
            """)).Single().Split('|');
        double D(int i) => double.Parse(row[i], CultureInfo.InvariantCulture);
        return (long.Parse(row[0], CultureInfo.InvariantCulture), D(1), D(2), D(3), D(4));
    }
}
