using Workbench.Core.Decisioning;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Core.Campaigns;

public sealed record ArmSize(string Arm, long Customers);

// One variant against the control group. DetectableLift: the smallest absolute lift in conversion rate detected with
// the plan's power; DetectableRelativeLift: that over the baseline; HopedPower: the power for the hoped-for lift. Null
// where Problem says why there is no figure.
public sealed record VariantPower(string Variant, long ControlN, long VariantN, double? DetectableLift, double? DetectableRelativeLift,
    double? HopedPower, string? Problem);

// Problem: no variant can be compared (no control group, or a setting out of range). HopedProblem: the hoped-for lift
// gives no power figure. WeakestHopedPower: the lowest power over the variants, the campaign's chance of seeing the lift
// in every one of them at most.
public sealed record LaunchPowerPlan(double BaselineRate, double Power, double Alpha, double? HopedRelativeLift, IReadOnlyList<VariantPower> Variants,
    double? WeakestHopedPower, string? Problem, string? HopedProblem);

// What a launch can detect, before it runs: each variant against the control group with the customers a forecast
// counts in each arm, the same population as the results (every targeted customer, sent or not, the global holdout left
// out). Two-sided two-proportion z-test, normal approximation (Power.MdeForRates and Power.ForRates), each variant on its
// own: no multiplicity correction here, while the results correct by Benjamini–Hochberg.
public static class LaunchPower
{
    public const double DefaultAlpha = TwoSampleTests.Alpha, DefaultPower = 0.8, DefaultAssumedBaseline = 0.05;

    // The arms of a forecast as the results will count them: the control group and every variant of the campaign, one
    // with no customer included so the plan can say so.
    public static (long ControlN, IReadOnlyList<ArmSize> Variants) Arms(CampaignRunCounts counts, Campaign campaign) =>
        (counts.ByArm.GetValueOrDefault(ArmAssignment.ControlArm),
            campaign.Variants.Select(v => new ArmSize(v.Name, counts.ByArm.GetValueOrDefault(v.Name))).ToList());

    public static LaunchPowerPlan Plan(long controlN, IReadOnlyList<ArmSize> variants, double baselineRate, double? hopedRelativeLift = null,
        double power = DefaultPower, double alpha = DefaultAlpha)
    {
        var problem = !(baselineRate is > 0 and < 1) ? "The baseline conversion rate must be above 0% and below 100%."
            : !(power is > 0 and < 1) ? "The power must be above 0% and below 100%."
            : !(alpha is > 0 and < 1) ? "The significance level must be above 0% and below 100%."
            : controlN <= 0 ? "No control group: with nobody held back there is nothing to compare a variant with, so no comparison is possible."
            : null;
        var hopedLift = hopedRelativeLift * baselineRate;
        var hopedProblem = problem is not null || hopedRelativeLift is null ? null
            : !(hopedRelativeLift > 0) ? "The lift you hope for must be above 0%."
            : !(baselineRate + hopedLift < 1) ? "The baseline with the lift you hope for reaches 100%; hope for less."
            : null;
        var rows = variants.Select(v => Row(v, controlN, baselineRate, problem is null && hopedProblem is null ? hopedLift : null, power, alpha, problem)).ToList();
        var hoped = rows.Where(r => r.HopedPower is not null).Select(r => r.HopedPower!.Value).ToList();
        return new LaunchPowerPlan(baselineRate, power, alpha, hopedRelativeLift, rows, hoped.Count > 0 ? hoped.Min() : null, problem, hopedProblem);
    }

    private static VariantPower Row(ArmSize v, long controlN, double p, double? hopedLift, double power, double alpha, string? problem)
    {
        if (problem is not null) return new(v.Arm, controlN, v.Customers, null, null, null, null);
        if (v.Customers <= 0) return new(v.Arm, controlN, 0, null, null, null, "No customer in this variant: nothing to compare.");
        var mde = Power.MdeForRates(p, controlN, v.Customers, power, alpha);
        var hoped = hopedLift is { } lift ? Power.ForRates(p, lift, controlN, v.Customers, alpha) : (double?)null;
        return double.IsFinite(mde)
            ? new(v.Arm, controlN, v.Customers, mde, mde / p, hoped, null)
            : new(v.Arm, controlN, v.Customers, null, null, hoped, "Too few customers: even a lift to 100% would be missed at this power.");
    }
}
