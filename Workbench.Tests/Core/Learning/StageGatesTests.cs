using Workbench.Core.Campaigns;
using Workbench.Core.Experiments.Statistics;
using Workbench.Core.Learning;

namespace Workbench.Tests.Core.Learning;

// The stage-gate recommendation on hand-made results: each case names the figures and why they lead where they do.
// Rates enter as 0/1 moments (M2 = n·p·(1 − p)), margins and revenue as means with a stated standard deviation; the
// comparisons are the engine's own (tested against published values elsewhere), BH over the run's cells.
public sealed class StageGatesTests
{
    private static readonly DateTime From = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

    private sealed record Arm(string Name, long N, long Converters, double MarginMean, double RevenueMean = 30);

    private static (RunResults Results, List<CellResult> Cells) Results(bool open, SampleRatioCheck? srm, params Arm[] arms)
    {
        var cells = new List<MetricCell>();
        foreach (var a in arms)
        {
            var p = (double)a.Converters / a.N;
            cells.Add(new MetricCell(RunResults.Conversion, MetricKind.Rate, null, a.Name, new Moments(a.N, p, a.N * p * (1 - p), 0, 0, 0)));
            cells.Add(new MetricCell(RunResults.Revenue, MetricKind.Mean, null, a.Name, new Moments(a.N, a.RevenueMean, (a.N - 1) * 400.0, 0, 0, 0)));
            cells.Add(new MetricCell(RunResults.Margin, MetricKind.Mean, null, a.Name, new Moments(a.N, a.MarginMean, (a.N - 1) * 100.0, 0, 0, 0)));
        }
        var compared = ExperimentAnalysis.Correct(ExperimentAnalysis.Compare(cells, new AnalysisSettings("control", Experiment: "run 1")),
            Correction.BenjaminiHochberg, CorrectionScope.Experiment);
        var results = new RunResults(1, From, From.AddDays(7), 7, open,
            arms.Select(a => new AttributedArm(a.Name, a.N, a.Converters, a.N * a.RevenueMean, a.N * a.MarginMean)).ToList(),
            compared, new Dictionary<string, double>(), srm);
        return (results, compared);
    }

    private static Recommendation Recommend(bool open, SampleRatioCheck? srm, params Arm[] arms)
    {
        var (results, cells) = Results(open, srm, arms);
        return StageGates.Recommend(results, cells, StageGateOptions.Default);
    }

    // 5% → 8% on 2,000 customers each: z ≈ 3.9, p ≈ 1e-4, far below 0.05 after BH over 6 cells; margin 10 → 11 (sd 10)
    // is not worse. Every gate passes, so the pilot scales, and b (5.5%) is not the best.
    [Fact]
    public void EveryGatePassed_Scales_TheBestVariant()
    {
        var r = Recommend(false, new SampleRatioCheck(0.5, 0.78, 2, false),
            new Arm("control", 2000, 100, 10), new Arm("a", 2000, 160, 11), new Arm("b", 2000, 110, 10));
        Assert.Equal(DecisionKind.Scale, r.Decision);
        Assert.Equal("a", r.Variant);
        Assert.All(r.Gates, g => Assert.True(g.Passed, g.Name + ": " + g.Detail));
        Assert.Contains(r.Evidence, e => e.StartsWith("Best variant a: conversion 8.0% against 5.0% in control, +3.00 pp (+60.0%)", StringComparison.Ordinal));
        // Incremental revenue: (30 − 30) × 2,000 = 0.00 here; margin: (11 − 10) × 2,000 = 2,000.00.
        Assert.Contains(r.Evidence, e => e.StartsWith("Incremental margin 2,000.00", StringComparison.Ordinal));
    }

    // 5% → 2%: significantly worse (z ≈ −5); stop, whatever else holds.
    [Fact]
    public void ASignificantlyWorseBestVariant_Stops()
    {
        var r = Recommend(false, null, new Arm("control", 2000, 100, 10), new Arm("a", 2000, 40, 10));
        Assert.Equal(DecisionKind.Stop, r.Decision);
        Assert.Contains("significantly worse", r.Headline);
    }

    // 5.00% in both arms of 100,000: the 95% interval's top is 1.959964 × √(2 × 0.05 × 0.95 / 100,000) = 0.00191, i.e.
    // +3.8% relative, below the smallest worthwhile lift of 5%: a finished, futile test stops.
    [Fact]
    public void AFinishedTestWhoseIntervalExcludesAWorthwhileLift_StopsAsFutile()
    {
        var (results, cells) = Results(false, null, new Arm("control", 100_000, 5_000, 10), new Arm("a", 100_000, 5_000, 10));
        var cell = cells.Single(c => c.Metric == RunResults.Conversion);
        Assert.Equal(1.959964 * Math.Sqrt(2 * 0.05 * 0.95 / 100_000), cell.CiHigh!.Value, 5);
        var r = StageGates.Recommend(results, cells, StageGateOptions.Default);
        Assert.Equal(DecisionKind.Stop, r.Decision);
        Assert.Contains("rules out a lift of 5.0%", r.Headline);
        // The same figures with a worthwhile lift of 3% no longer rule it out: iterate.
        Assert.Equal(DecisionKind.Iterate, StageGates.Recommend(results, cells, StageGateOptions.Default with { SmallestWorthwhileLift = 0.03 }).Decision);
    }

    [Fact]
    public void AWinnerWhoseWindowIsOpen_KeepsRunning()
    {
        var r = Recommend(true, null, new Arm("control", 2000, 100, 10), new Arm("a", 2000, 160, 11));
        Assert.Equal(DecisionKind.Iterate, r.Decision);
        Assert.Contains("still open", r.Headline);
        Assert.False(r.Gates.Single(g => g.Name == "Window closed").Passed);
    }

    [Fact]
    public void ASampleRatioMismatch_Iterates_EvenWithAWinner()
    {
        var r = Recommend(false, new SampleRatioCheck(40, 1e-9, 1, true), new Arm("control", 2000, 100, 10), new Arm("a", 2000, 160, 11));
        Assert.Equal(DecisionKind.Iterate, r.Decision);
        Assert.Contains("sample ratio", r.Headline);
    }

    // Conversion up significantly, margin per customer 10 → 8 (sd 10, n 2,000: t ≈ −6.3): the guardrail fails.
    [Fact]
    public void AWinnerThatLosesMargin_Iterates()
    {
        var r = Recommend(false, null, new Arm("control", 2000, 100, 10), new Arm("a", 2000, 160, 8));
        Assert.Equal(DecisionKind.Iterate, r.Decision);
        Assert.Contains("loses margin", r.Headline);
        Assert.False(r.Gates.Single(g => g.Name == "Margin holds").Passed);
    }

    // 200 customers per arm (below 300): 5% → 20% is significant, yet the pilot does not scale.
    [Fact]
    public void TooFewCustomers_Iterates()
    {
        var r = Recommend(false, null, new Arm("control", 200, 10, 10), new Arm("a", 200, 40, 10));
        Assert.True(r.Gates.Single(g => g.Name == "Beats control").Passed);
        Assert.Equal(DecisionKind.Iterate, r.Decision);
        Assert.Contains("more customers", r.Headline);
    }
}
