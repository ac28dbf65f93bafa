namespace Workbench.Core.Experiments.Statistics;

public enum MetricKind { Rate, Mean }

// One cell's sufficient statistics: a metric in a segment (null = everyone) for a variant.
public sealed record MetricCell(string Metric, MetricKind Kind, string? Segment, string Variant, Moments Stats);

// horizon: the units t* at which the confidence sequence is narrowest; null = the units the comparison has now.
public sealed record AnalysisSettings(string Control, bool Cuped = false, string Experiment = "", double? Horizon = null,
    double Alpha = TwoSampleTests.Alpha);

public sealed record Interval(double Low, double High);

public sealed record CupedResult(double Theta, double VarianceReduction, double AbsoluteLift, double? CiLow, double? CiHigh, double? PValue);

// Incremental = absolute lift × treatment units (money for revenue and margin, conversions for a rate), with the
// interval of the lift scaled the same way.
public sealed record IncrementalTotal(double Total, double? Low, double? High);

public sealed record CellResult(string Experiment, string Metric, MetricKind Kind, string? Segment, string Variant,
    long N, double Value, long ControlN, double ControlValue, double AbsoluteLift, double? RelativeLift,
    double? CiLow, double? CiHigh, double? PValue, double? AdjustedPValue, double? ChanceToBeatControl, double? Df,
    CupedResult? Cuped, Interval? ConfidenceSequence, IncrementalTotal Incremental, double? Mde = null, double? AchievedPower = null);

public static class ExperimentAnalysis
{
    // Every non-control variant against the control of the same metric and segment (where both have units).
    public static List<CellResult> Compare(IReadOnlyList<MetricCell> cells, AnalysisSettings settings)
    {
        var controls = new Dictionary<(string Metric, string? Segment), MetricCell>();
        foreach (var cell in cells)
        {
            if (cell.Variant == settings.Control) controls[(cell.Metric, cell.Segment)] = cell;
        }
        var pairs = new List<(MetricCell Control, MetricCell Treatment)>(cells.Count);
        foreach (var cell in cells)
        {
            if (cell.Variant == settings.Control || !controls.TryGetValue((cell.Metric, cell.Segment), out var control)) continue;
            if (cell.Stats.N == 0 || control.Stats.N == 0) continue; // a segment without this variant or without control units
            pairs.Add((control, cell));
        }
        // Every comparison stands alone: on every core, in the input order.
        return pairs.AsParallel().AsOrdered().Select(p => Compare(p.Control, p.Treatment, settings)).ToList();
    }

    public static CellResult Compare(MetricCell control, MetricCell treatment, AnalysisSettings settings)
    {
        var c = control.Stats;
        var t = treatment.Stats;
        Comparison comparison;
        double? chance;
        if (treatment.Kind == MetricKind.Rate)
        {
            comparison = TwoSampleTests.Rates(c.Successes, c.N, t.Successes, t.N, settings.Alpha);
            chance = c.N > 0 && t.N > 0 ? ChanceToBeat.Rates(c.Successes, c.N, t.Successes, t.N) : null;
        }
        else
        {
            comparison = TwoSampleTests.Means(c.N, c.MeanY, c.VarianceY, t.N, t.MeanY, t.VarianceY, settings.Alpha);
            chance = ChanceToBeat.Means(comparison.AbsoluteLift, comparison.StandardError);
        }
        CupedResult? cuped = null;
        if (settings.Cuped && Cuped.Compare(c, t, settings.Alpha) is { } adjusted)
        {
            cuped = new CupedResult(adjusted.Theta, adjusted.VarianceReduction, adjusted.Adjusted.AbsoluteLift,
                adjusted.Adjusted.CiLow, adjusted.Adjusted.CiHigh, adjusted.Adjusted.PValue);
        }
        Interval? sequence = null;
        var units = c.N + t.N;
        if (comparison.StandardError > 0)
        {
            var rho2 = ConfidenceSequence.Rho2(settings.Horizon ?? units, settings.Alpha);
            var half = ConfidenceSequence.HalfWidth(comparison.StandardError, units, rho2, settings.Alpha);
            sequence = new Interval(comparison.AbsoluteLift - half, comparison.AbsoluteLift + half);
        }
        var incremental = new IncrementalTotal(comparison.AbsoluteLift * t.N, comparison.CiLow * t.N, comparison.CiHigh * t.N);
        return new CellResult(settings.Experiment, treatment.Metric, treatment.Kind, treatment.Segment, treatment.Variant,
            t.N, t.MeanY, c.N, c.MeanY, comparison.AbsoluteLift, comparison.RelativeLift, comparison.CiLow, comparison.CiHigh,
            comparison.PValue, null, chance, comparison.Df, cuped, sequence, incremental, Mde(c, t, treatment.Kind, settings.Alpha),
            AchievedPower(c, t, treatment.Kind, settings.Alpha));
    }

    // The smallest absolute lift these units detect with 80% power at α (two-sided): for a rate from the control's rate,
    // for a mean from the control's standard deviation. What the test could have seen, whatever it saw.
    public static double? Mde(Moments control, Moments treatment, MetricKind kind, double alpha)
    {
        if (control.N < 2 || treatment.N < 2) return null;
        var mde = kind == MetricKind.Rate
            ? control.MeanY is > 0 and < 1 ? Power.MdeForRates(control.MeanY, control.N, treatment.N, 0.8, alpha) : double.NaN
            : control.VarianceY > 0 ? Power.MdeForMeans(Math.Sqrt(control.VarianceY), control.N, treatment.N, 0.8, alpha) : double.NaN;
        return double.IsFinite(mde) ? mde : null;
    }

    // The lift achieved power is read at: a tenth of the control's value (the relative lift a squad usually hopes for, the
    // launch card's default), so the figure is comparable across metrics and cells.
    public const double AchievedPowerLift = 0.10;

    // Achieved power: the power these units had, at α two-sided, to detect a lift of AchievedPowerLift × the control's
    // value (rates: from the control's rate, Power.ForRates; means: from the control's standard deviation,
    // Power.ForMeans). Not the "observed power" at the observed lift, which only restates the p-value.
    public static double? AchievedPower(Moments control, Moments treatment, MetricKind kind, double alpha)
    {
        if (control.N < 2 || treatment.N < 2 || control.MeanY == 0) return null;
        var lift = AchievedPowerLift * Math.Abs(control.MeanY);
        var power = kind == MetricKind.Rate
            ? control.MeanY is > 0 and < 1 && control.MeanY + lift < 1 ? Power.ForRates(control.MeanY, lift, control.N, treatment.N, alpha) : double.NaN
            : control.VarianceY > 0 ? Power.ForMeans(Math.Sqrt(control.VarianceY), lift, control.N, treatment.N, alpha) : double.NaN;
        return double.IsFinite(power) ? power : null;
    }

    public static List<CellResult> Correct(IReadOnlyList<CellResult> results, Correction correction, CorrectionScope scope)
    {
        var adjusted = MultipleTesting.Adjust(results.Select(r => new Hypothesis(r.Experiment, r.Metric, r.PValue)).ToArray(),
            correction, scope);
        return results.Select((r, i) => r with { AdjustedPValue = adjusted[i] }).ToList();
    }

    // Most convincing first: adjusted p-value, then the larger relative lift; undefined p-values last.
    public static List<CellResult> Rank(IEnumerable<CellResult> results) =>
        results.OrderBy(r => r.AdjustedPValue ?? r.PValue ?? double.PositiveInfinity)
            .ThenByDescending(r => Math.Abs(r.RelativeLift ?? 0))
            .ToList();
}
