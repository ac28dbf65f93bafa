using System.Globalization;
using Workbench.Core.Csv;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Core.Experiments;

// The data behind the page's table and charts as CSV (formulas neutralised, invariant numbers, empty = undefined).
public static class AnalysisCsv
{
    public static string Results(IEnumerable<CellResult> results)
    {
        using var text = new StringWriter();
        using (var csv = SafeCsv.CreateWriter(text))
        {
            csv.WriteRow(["metric", "segment", "variant", "n", "value", "control_n", "control_value", "absolute_lift", "relative_lift",
                "ci_low", "ci_high", "p_value", "adjusted_p_value", "chance_to_beat_control", "df", "cs_low", "cs_high",
                "cuped_theta", "cuped_variance_reduction", "cuped_absolute_lift", "cuped_ci_low", "cuped_ci_high", "cuped_p_value", "mde_80",
                "power_at_10pct", "incremental", "incremental_ci_low", "incremental_ci_high"]);
            foreach (var r in results)
            {
                csv.WriteRow([r.Metric, r.Segment ?? "(all)", r.Variant, N(r.N), N(r.Value), N(r.ControlN), N(r.ControlValue),
                    N(r.AbsoluteLift), N(r.RelativeLift), N(r.CiLow), N(r.CiHigh), N(r.PValue), N(r.AdjustedPValue),
                    N(r.ChanceToBeatControl), N(r.Df), N(r.ConfidenceSequence?.Low), N(r.ConfidenceSequence?.High),
                    N(r.Cuped?.Theta), N(r.Cuped?.VarianceReduction), N(r.Cuped?.AbsoluteLift), N(r.Cuped?.CiLow), N(r.Cuped?.CiHigh), N(r.Cuped?.PValue),
                    N(r.Mde), N(r.AchievedPower), N(r.Incremental.Total), N(r.Incremental.Low), N(r.Incremental.High)]);
            }
        }
        return text.ToString();
    }

    // The planner's power curve: units per arm and the power they give for the chosen lift.
    public static string PowerCurve(PlanResult plan)
    {
        using var text = new StringWriter();
        using (var csv = SafeCsv.CreateWriter(text))
        {
            csv.WriteRow(["units_per_arm", "power", "absolute_effect"]);
            foreach (var p in plan.Curve) csv.WriteRow([N(p.UnitsPerArm), N(p.Power), N(plan.AbsoluteEffect)]);
        }
        return text.ToString();
    }

    // The relative lift chart: per metric and variant the lift and the two intervals as shares of the control value.
    public static string Lift(IEnumerable<CellResult> results)
    {
        using var text = new StringWriter();
        using (var csv = SafeCsv.CreateWriter(text))
        {
            csv.WriteRow(["metric", "segment", "variant", "relative_lift", "ci_low_relative", "ci_high_relative", "cs_low_relative", "cs_high_relative", "adjusted_p_value"]);
            foreach (var r in results)
            {
                csv.WriteRow([r.Metric, r.Segment ?? "(all)", r.Variant, N(r.RelativeLift), N(Relative(r.CiLow, r)), N(Relative(r.CiHigh, r)),
                    N(Relative(r.ConfidenceSequence?.Low, r)), N(Relative(r.ConfidenceSequence?.High, r)), N(r.AdjustedPValue)]);
            }
        }
        return text.ToString();
    }

    public static string Heatmap(IEnumerable<CellResult> results)
    {
        using var text = new StringWriter();
        using (var csv = SafeCsv.CreateWriter(text))
        {
            csv.WriteRow(["metric", "segment", "variant", "n", "relative_lift", "absolute_lift", "ci_low", "ci_high", "adjusted_p_value"]);
            foreach (var r in results)
            {
                csv.WriteRow([r.Metric, r.Segment ?? "(all)", r.Variant, N(r.N), N(r.RelativeLift), N(r.AbsoluteLift), N(r.CiLow), N(r.CiHigh), N(r.AdjustedPValue)]);
            }
        }
        return text.ToString();
    }

    // An interval of the difference as a share of the control value (the control's own uncertainty not included).
    public static double? Relative(double? value, CellResult r) => value is { } v && r.ControlValue != 0 ? v / r.ControlValue : null;

    private static string N(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
