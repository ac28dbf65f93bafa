using Workbench.Core.Experiments.Statistics;

namespace Workbench.Core.Experiments;

// Before launch: how many units each arm needs to detect a chosen lift, and how long that takes at the eligible flow.
// Baseline: the control's rate, or its mean and standard deviation. Effect: relative (a share of the baseline) or
// absolute. Equal arms: the control and every variant get the same number of units; two-sided test at α.
public sealed record PlanInput(MetricKind Kind, double Baseline, double? StandardDeviation, double Effect, bool RelativeEffect,
    double Alpha = 0.05, double Power = 0.8, int Variants = 1, long? UnitsPerDay = null)
{
    public const int MaxVariants = 20;
}

public sealed record PowerPoint(long UnitsPerArm, double Power);

public sealed record PlanResult(double AbsoluteEffect, double Target, long UnitsPerArm, long TotalUnits, int? Days,
    IReadOnlyList<PowerPoint> Curve);

public static class ExperimentPlanner
{
    // Null with the reason when the inputs cannot describe a test (a rate outside (0, 1), a lift pushing it past 1…).
    public static (PlanResult? Plan, string? Problem) Plan(PlanInput input)
    {
        if (Problem(input) is { } problem) return (null, problem);
        var effect = input.RelativeEffect ? input.Baseline * input.Effect : input.Effect;
        if (input.Kind == MetricKind.Rate && input.Baseline + effect is <= 0 or >= 1)
            return (null, $"a rate of {input.Baseline:P2} with that lift leaves the range 0–100%: choose a smaller lift");
        var perArm = input.Kind == MetricKind.Rate
            ? Power.UnitsPerArmForRates(input.Baseline, effect, input.Power, input.Alpha)
            : Power.UnitsPerArmForMeans(input.StandardDeviation!.Value, effect, input.Power, input.Alpha);
        var total = perArm * (input.Variants + 1);
        int? days = input.UnitsPerDay is { } flow and > 0 ? (int)Math.Ceiling((double)total / flow) : null;
        // Power at an eighth to twice the units needed, so the chart shows what a shorter or longer test buys.
        var curve = Enumerable.Range(1, 16).Select(i => Math.Max(2, perArm * i / 8))
            .Distinct()
            .Select(n => new PowerPoint(n, input.Kind == MetricKind.Rate
                ? Power.ForRates(input.Baseline, effect, n, n, input.Alpha)
                : Power.ForMeans(input.StandardDeviation!.Value, effect, n, n, input.Alpha)))
            .ToList();
        return (new PlanResult(effect, input.Power, perArm, total, days, curve), null);
    }

    private static string? Problem(PlanInput input)
    {
        if (input.Kind == MetricKind.Rate && input.Baseline is <= 0 or >= 1) return "the baseline rate must be between 0% and 100%, exclusive";
        if (input.Kind == MetricKind.Mean && input.StandardDeviation is not > 0) return "a mean needs its standard deviation, greater than 0";
        if (input.Effect == 0 || !double.IsFinite(input.Effect)) return "the lift to detect must not be 0";
        if (input.RelativeEffect && input.Kind == MetricKind.Mean && input.Baseline == 0) return "a relative lift needs a baseline mean other than 0";
        if (input.Alpha is <= 0 or >= 0.5) return "α must be between 0 and 0.5";
        if (input.Power is <= 0.5 or >= 1) return "the power must be between 50% and 100%";
        if (input.Variants is < 1 or > PlanInput.MaxVariants) return $"between 1 and {PlanInput.MaxVariants} variants besides the control";
        if (input.UnitsPerDay is < 0) return "units per day must not be negative";
        return null;
    }
}
