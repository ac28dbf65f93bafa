using System.Globalization;
using Workbench.Core.Campaigns;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Core.Learning;

// The bar a pilot clears to be scaled. Alpha: the significance level of the adjusted p-values. MinCustomersPerArm:
// the fewest customers any arm (control included) may have. SmallestWorthwhileLift: the relative conversion lift below
// which scaling is not worth it; a finished test whose 95% interval rules it out is stopped as futile.
public sealed record StageGateOptions(double Alpha = 0.05, long MinCustomersPerArm = 300, double SmallestWorthwhileLift = 0.05)
{
    public static readonly StageGateOptions Default = new();
}

public sealed record GateCheck(string Name, bool Passed, string Detail);

// The recommended decision for one experiment, with the variant it is about (the best one on conversion), the
// evidence in words and every stage-gate check.
public sealed record Recommendation(DecisionKind Decision, string? Variant, string Headline, IReadOnlyList<string> Evidence,
    IReadOnlyList<GateCheck> Gates);

// Pure: a run's results (with p-values adjusted in the scope the squad chose) in, the recommendation out. Primary
// metric: conversion (attributed purchases) for everyone; guardrail: margin per customer. The best variant has the
// largest absolute conversion lift (ties: the first by name). Gates, in order: sample ratio healthy (no χ² mismatch at
// p < 0.001), attribution window closed, every arm at least MinCustomersPerArm customers, the best variant's conversion
// lift positive with adjusted p < Alpha, its margin lift not significantly negative (adjusted p < Alpha with a negative
// lift). Scale: every gate passes. Stop: the best variant is significantly worse than control (harm), or the window
// closed with enough customers and the best variant's interval excludes the smallest worthwhile lift (futile).
// Iterate: anything else; a sample-ratio mismatch always iterates, since its figures cannot be trusted either way.
public static class StageGates
{
    public static Recommendation Recommend(RunResults results, IReadOnlyList<CellResult> cells, StageGateOptions options)
    {
        var conversion = cells.Where(c => c.Segment is null && c.Metric == RunResults.Conversion)
            .OrderByDescending(c => c.AbsoluteLift).ThenBy(c => c.Variant, StringComparer.Ordinal).ToList();
        var best = conversion.FirstOrDefault();
        var margin = best is null ? null : cells.FirstOrDefault(c => c.Segment is null && c.Metric == RunResults.Margin && c.Variant == best.Variant);
        var revenue = best is null ? null : cells.FirstOrDefault(c => c.Segment is null && c.Metric == RunResults.Revenue && c.Variant == best.Variant);

        var healthy = results.SampleRatio is not { Mismatch: true };
        var smallest = results.Arms.Count == 0 ? 0 : results.Arms.Min(a => a.Customers);
        var hasControl = results.Arms.Any(a => a.Arm == Decisioning.ArmAssignment.ControlArm);
        var significant = best is { AdjustedPValue: { } p } && p < options.Alpha;
        var wins = best is not null && significant && best.AbsoluteLift > 0;
        var harms = best is not null && significant && best.AbsoluteLift < 0;
        var marginHarm = margin is { AdjustedPValue: { } mp } && mp < options.Alpha && margin.AbsoluteLift < 0;
        var enough = hasControl && smallest >= options.MinCustomersPerArm;
        var gates = new List<GateCheck>
        {
            new("Sample ratio", healthy, results.SampleRatio is { } srm
                ? $"χ² = {F(srm.ChiSquare, "0.00")}, p {P(srm.PValue)}{(srm.Mismatch ? ": the arms did not get their planned share" : "")}"
                : "no planned split to check"),
            new("Window closed", !results.Open, results.Open
                ? $"the {results.WindowDays}-day attribution window runs to {results.To:yyyy-MM-dd HH:mm} UTC"
                : $"the {results.WindowDays}-day attribution window ended {results.To:yyyy-MM-dd HH:mm} UTC"),
            new("Enough customers", enough,
                hasControl ? $"smallest arm {smallest:N0} customers (at least {options.MinCustomersPerArm:N0})" : "no control group to compare against"),
            new("Beats control", wins, best is null ? "no variant compared with control"
                : $"{best.Variant}: conversion {Lift(best)}, adjusted p {P(best.AdjustedPValue)} (below {F(options.Alpha, "0.##")} to pass)"),
            new("Margin holds", best is not null && !marginHarm, margin is null ? "no margin figure"
                : $"{margin.Variant}: margin per customer {Money(margin.AbsoluteLift)}, adjusted p {P(margin.AdjustedPValue)}"),
        };

        var evidence = new List<string>();
        if (best is not null)
        {
            evidence.Add($"Best variant {best.Variant}: conversion {Percent(best.Value)} against {Percent(best.ControlValue)} in control, {Lift(best)} " +
                         $"(95% interval {Pp(best.CiLow)} to {Pp(best.CiHigh)}), p {P(best.PValue)}, adjusted p {P(best.AdjustedPValue)}.");
            if (revenue is not null)
                evidence.Add($"Incremental revenue {Money(revenue.Incremental.Total)} (95% interval {Money(revenue.Incremental.Low)} to {Money(revenue.Incremental.High)}) over {revenue.N:N0} customers.");
            if (margin is not null)
                evidence.Add($"Incremental margin {Money(margin.Incremental.Total)} (95% interval {Money(margin.Incremental.Low)} to {Money(margin.Incremental.High)}).");
        }

        var relativeHigh = best is { CiHigh: { } hi } && best.ControlValue > 0 ? hi / best.ControlValue : (double?)null;
        var futile = best is not null && !results.Open && enough && !wins && relativeHigh is { } h && h < options.SmallestWorthwhileLift;
        var (decision, headline) =
            !healthy ? (DecisionKind.Iterate, "Fix the assignment and run again: the sample ratio does not match the plan, so no result here can be trusted.")
            : best is null ? (DecisionKind.Iterate, "Nothing to judge yet: the run needs customers in control and in a variant.")
            : harms ? (DecisionKind.Stop, $"Stop: {best.Variant}, the best variant, converts significantly worse than control.")
            : gates.All(g => g.Passed) ? (DecisionKind.Scale, $"Scale {best.Variant}: it beats control on conversion after correction and keeps the margin.")
            : futile ? (DecisionKind.Stop, $"Stop: the test is finished and its interval rules out a lift of {Percent(options.SmallestWorthwhileLift)} or more.")
            : wins && marginHarm ? (DecisionKind.Iterate, $"Iterate: {best.Variant} wins conversions but loses margin; rework the offer.")
            : results.Open ? (DecisionKind.Iterate, "Keep it running: the attribution window is still open.")
            : !enough ? (DecisionKind.Iterate, "Iterate with more customers: an arm is below the minimum.")
            : (DecisionKind.Iterate, $"Iterate: {best.Variant} is not significant after correction, but the interval still allows a worthwhile lift.");
        return new Recommendation(decision, best?.Variant, headline, evidence, gates);
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
    // "= 0.0123", or "< 0.0001" for the smallest, to follow "p".
    private static string P(double? p) => p is not { } v ? "= —" : v < 0.0001 ? "< 0.0001" : "= " + F(v, "0.0000");
    private static string Percent(double v) => F(v, "0.0%");
    private static string Pp(double? v) => v is { } x ? (x >= 0 ? "+" : "") + F(100 * x, "0.00") + " pp" : "—";
    private static string Lift(CellResult c) => Pp(c.AbsoluteLift) + (c.RelativeLift is { } r ? $" ({(r >= 0 ? "+" : "")}{F(r, "0.0%")})" : "");
    private static string Money(double? v) => v is { } x ? x.ToString("#,##0.00", CultureInfo.InvariantCulture) : "—";
}
