using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;
using Workbench.Core.Decisioning;
using Workbench.Core.Experiments.Statistics;
using Workbench.Core.Learning;
using Workbench.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workbench.Tests.Core.Campaigns;

// The sample data's finished factorial experiment, as the first start makes it: 8 segments × 2 themes × 2 layouts ×
// 2 send times with a 10% control group, its responses from the seeded simulator, its window closed, so the results and
// the meeting have something real to show.
public sealed class SampleExperimentSeedTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await TestStore.CreateAsync(new FixedClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero)), loadSampleData: true);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task TheFirstStart_HasAFinishedFactorialExperiment_WithLivingResults_AndASecondStartAddsNothing()
    {
        var campaign = (await _store.Services.GetRequiredService<CampaignStore>().GetAsync(SampleExperimentSeed.CampaignId, default))!;
        Assert.Equal(CampaignStatus.Finished, campaign.Status);
        Assert.Equal(8, campaign.SegmentIds.Count);
        Assert.Equal(8, campaign.Variants.Count);
        Assert.Equal(2 * 2 * 2, campaign.Variants.Select(v => (v.Theme, v.Layout, v.SendTime)).Distinct().Count());
        Assert.Contains("planted relative lifts", campaign.Description);
        var run = Assert.Single(await _store.Services.GetRequiredService<CampaignRunner>().RunsAsync(campaign.Id, 10, default));
        Assert.Equal((CampaignRunStatus.Succeeded, SampleExperimentSeed.At), (run.Status, run.AsOf));
        Assert.True(run.Sent > 0);

        var outcomes = await _store.CountAsync("campaign_outcomes");
        var simulated = long.Parse((await _store.RowsAsync($"SELECT COUNT(*) FROM order_lines WHERE order_id LIKE 'SIM-{run.Id}-%'"))[0]);
        var converted = long.Parse((await _store.RowsAsync($"SELECT COUNT(*) FROM campaign_outcomes WHERE converted_at IS NOT NULL AND revenue > 0"))[0]);
        Assert.Equal(run.Sent, outcomes);
        Assert.Equal(converted, simulated); // one purchase per simulated conversion

        var results = (await _store.Services.GetRequiredService<CampaignResultService>().ForRunAsync(run.Id, 7, default))!;
        Assert.False(results.Open);
        Assert.Equal(9, results.Arms.Count); // control and 8 variants
        Assert.Contains(results.Cells, c => c.Segment is not null);
        Assert.False(results.SampleRatio!.Mismatch);
        foreach (var a in results.Arms) output.WriteLine($"{a.Arm}: {a.Customers} customers, {a.Converters} bought");
        foreach (var c in results.Cells.Where(c => c.Segment is null && c.Metric == RunResults.Conversion))
            output.WriteLine($"{c.Variant}: n {c.N} {c.Value:P2} vs {c.ControlValue:P2} (n {c.ControlN}), p {c.PValue:0.0000}, adjusted {c.AdjustedPValue:0.0000}");

        var week = await _store.Services.GetRequiredService<SquadMeeting>().WeekAsync(DateOnly.FromDateTime(SampleExperimentSeed.At.AddDays(7)),
            Correction.BenjaminiHochberg, CorrectionScope.Portfolio, default);
        var experiment = Assert.Single(week.Experiments);
        Assert.Equal([AgendaTag.Ended], experiment.Tags);
        output.WriteLine($"{experiment.Recommendation.Decision}: {experiment.Recommendation.Headline}; significant {week.Significant} of {week.Hypotheses}");

        var before = await _store.SnapshotAsync();
        foreach (var seed in _store.Services.GetServices<Workbench.Core.Import.ISampleDataSeed>()) await seed.SeedAsync(default);
        Assert.Equal(before, await _store.SnapshotAsync());
    }
}
