using Workbench.Core.Experiments;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Tests.Core.Experiments;

// Units per arm n = (z_0.975 + z_0.8)² (p_c(1−p_c) + p_t(1−p_t)) / δ² for rates and 2 (z_0.975 + z_0.8)² sd² / δ² for
// means, rounded up; the expected figures were computed with Python 3.11's statistics.NormalDist:
// 5% + 10% relative (0.5 pp) → 31,231; 10% + 2 pp → 3,839; mean 40, sd 60, + 10% (4) → 3,532.
public sealed class ExperimentPlannerTests
{
    [Fact]
    public void Rate_RelativeLift_UnitsPerArmTotalAndDays()
    {
        var (plan, problem) = ExperimentPlanner.Plan(new PlanInput(MetricKind.Rate, 0.05, null, 0.10, RelativeEffect: true,
            Variants: 2, UnitsPerDay: 10_000));

        Assert.Null(problem);
        Assert.Equal(0.005, plan!.AbsoluteEffect, 12);
        Assert.Equal(31_231, plan.UnitsPerArm);
        Assert.Equal(3 * 31_231, plan.TotalUnits);
        Assert.Equal(10, plan.Days); // 93,693 / 10,000 a day, rounded up
    }

    [Fact]
    public void Rate_AbsoluteLift_MatchesTheTable()
    {
        var (plan, _) = ExperimentPlanner.Plan(new PlanInput(MetricKind.Rate, 0.10, null, 0.02, RelativeEffect: false));

        Assert.Equal(3_839, plan!.UnitsPerArm);
        Assert.Null(plan.Days);
    }

    [Fact]
    public void Mean_RelativeLift_UsesTheStandardDeviation_AndTheCurveCrossesTheTargetAtThePlannedUnits()
    {
        var (plan, _) = ExperimentPlanner.Plan(new PlanInput(MetricKind.Mean, 40, 60, 0.10, RelativeEffect: true));

        Assert.Equal(3_532, plan!.UnitsPerArm);
        var atPlan = plan.Curve.Single(p => p.UnitsPerArm == plan.UnitsPerArm);
        Assert.InRange(atPlan.Power, 0.8, 0.8005);
        Assert.True(plan.Curve.First().Power < 0.8 && plan.Curve.Last().Power > 0.8);
        Assert.Equal(plan.Curve.OrderBy(p => p.UnitsPerArm).Select(p => p.Power), plan.Curve.Select(p => p.Power));
    }

    [Theory]
    [InlineData(MetricKind.Rate, 0.0, null, 0.1, "between 0% and 100%")]
    [InlineData(MetricKind.Rate, 0.95, null, 0.1, "leaves the range")]
    [InlineData(MetricKind.Mean, 40.0, 0.0, 0.1, "standard deviation")]
    [InlineData(MetricKind.Rate, 0.05, null, 0.0, "must not be 0")]
    public void ImpossibleInputs_SayWhy(MetricKind kind, double baseline, double? sd, double effect, string expected)
    {
        var (plan, problem) = ExperimentPlanner.Plan(new PlanInput(kind, baseline, sd, effect, RelativeEffect: kind == MetricKind.Mean || baseline == 0.95 ? false : true));

        Assert.Null(plan);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void DetectableLift_OfAComparison_FromTheControlsRateOrSpread()
    {
        // By hand: (z_0.975 + z_0.8) · 10 · sqrt(2 / 393) = 2.801585 · 0.713340 = 1.998585; the rate's by bisection of the
        // power equation for p = 0.1 and 1,000 a side: 0.040685 (statistics.NormalDist).
        var mean = ExperimentAnalysis.Mde(Moments.Of(Spread(393, 10)), Moments.Of(Spread(393, 10)), MetricKind.Mean, 0.05);
        var rate = ExperimentAnalysis.Mde(Moments.Of(Ones(1000, 100)), Moments.Of(Ones(1000, 100)), MetricKind.Rate, 0.05);

        Assert.Equal(1.9985847071690046, mean!.Value, 6);
        Assert.Equal(0.040685032427237, rate!.Value, 6);
        Assert.Null(ExperimentAnalysis.Mde(Moments.Of(Ones(1000, 0)), Moments.Of(Ones(1000, 0)), MetricKind.Rate, 0.05));
    }

    private static IEnumerable<double> Ones(int n, int ones) => Enumerable.Range(0, n).Select(i => i < ones ? 1.0 : 0.0);

    // n values with sample standard deviation exactly sd: ± a around 0, a = sd · sqrt((n − 1) / n) (n odd: one 0 added).
    private static IEnumerable<double> Spread(int n, double sd)
    {
        var pairs = n / 2;
        var a = sd * Math.Sqrt((n - 1) / (2.0 * pairs));
        return Enumerable.Range(0, pairs).SelectMany(_ => new[] { a, -a }).Concat(n % 2 == 1 ? [0.0] : []);
    }
}
