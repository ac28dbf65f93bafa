using Workbench.Core.Campaigns;

namespace Workbench.Tests.Core.Campaigns;

// Golden numbers worked by hand with z_{0.975} = 1.959964 and z_{0.8} = 0.841621 (k = 2.801585), from a normal table.
// The textbook MDE, (z_{1−α/2} + z_{1−β}) · sqrt(p(1−p)(1/n_c + 1/n_t)), gives both arms the baseline's variance.
// Power.MdeForRates gives the variant the variance at its own rate p + δ, so its MDE is the positive root of
// δ = k · sqrt(p(1−p)/n_c + (p+δ)(1−p−δ)/n_t), a little above the textbook figure (4% here). At p = 5%:
//   n_c = n_t = 10,000: textbook 2.801585 · sqrt(0.0475 · 0.0002) = 0.0086351; root 0.0089918 (check: 0.0089918 / 2.801585
//     = 0.0032095, and sqrt((0.0475 + 0.0589918 · 0.9410082) / 10,000) = 0.0032095); relative 0.0089918 / 0.05 = 17.98%.
//   n_c = 1,000, n_t = 4,000: textbook 2.801585 · sqrt(0.0475 · 0.00125) = 0.0215877; root 0.0224658.
// Power for a hoped-for 20% relative lift (5% → 6%), power = Φ(δ / se − z_{0.975}), se = sqrt(p_c(1−p_c)/n_c + p_t(1−p_t)/n_t):
//   10,000 / 10,000: se = sqrt(4.75e-6 + 5.64e-6) = 0.0032234, 0.01 / 0.0032234 − 1.959964 = 1.14240, Φ = 0.8734.
//   1,000 / 4,000: se = sqrt(4.75e-5 + 1.41e-5) = 0.0078486, 0.01 / 0.0078486 − 1.959964 = −0.68585, Φ = 0.2464.
public sealed class LaunchPowerTests
{
    [Fact]
    public void Plan_EqualAndUnequalArms_MatchTheHandWorkedFigures()
    {
        var plan = LaunchPower.Plan(10_000, [new ArmSize("a", 10_000)], 0.05, hopedRelativeLift: 0.2);
        var a = Assert.Single(plan.Variants);
        Assert.Equal((10_000L, 10_000L), (a.ControlN, a.VariantN));
        Assert.Equal(0.0089918, a.DetectableLift!.Value, 6);
        Assert.InRange(a.DetectableLift.Value, 0.0086351, 0.0086351 * 1.05);
        Assert.Equal(0.179836, a.DetectableRelativeLift!.Value, 4);
        Assert.Equal(0.8734, a.HopedPower!.Value, 3);
        Assert.Null(plan.Problem);

        var unequal = LaunchPower.Plan(1_000, [new ArmSize("a", 4_000), new ArmSize("b", 10_000)], 0.05, hopedRelativeLift: 0.2);
        Assert.Equal(0.0224658, unequal.Variants[0].DetectableLift!.Value, 6);
        Assert.Equal(0.2464, unequal.Variants[0].HopedPower!.Value, 3);
        Assert.True(unequal.Variants[1].DetectableLift < unequal.Variants[0].DetectableLift);
        Assert.Equal(0.2464, unequal.WeakestHopedPower!.Value, 3);
    }

    [Fact]
    public void Plan_AtTheDetectableLift_HasThePowerAskedFor()
    {
        var plan = LaunchPower.Plan(3_000, [new ArmSize("a", 12_000)], 0.12, power: 0.9, alpha: 0.01);
        var mde = plan.Variants[0].DetectableRelativeLift!.Value;

        var at = LaunchPower.Plan(3_000, [new ArmSize("a", 12_000)], 0.12, hopedRelativeLift: mde, alpha: 0.01);

        Assert.Equal(0.9, at.Variants[0].HopedPower!.Value, 6);
    }

    [Fact]
    public void Plan_NoControlGroup_SaysNoComparisonIsPossible()
    {
        var plan = LaunchPower.Plan(0, [new ArmSize("a", 500), new ArmSize("b", 500)], 0.05, hopedRelativeLift: 0.1);

        Assert.Contains("no comparison is possible", plan.Problem);
        Assert.All(plan.Variants, v => Assert.Null(v.DetectableLift));
        Assert.Equal(500, plan.Variants[1].VariantN);
        Assert.Null(plan.WeakestHopedPower);
    }

    [Fact]
    public void Plan_AVariantWithNoCustomer_IsShownWithoutFigures_TheOthersStillComputed()
    {
        var plan = LaunchPower.Plan(1_000, [new ArmSize("a", 4_000), new ArmSize("empty", 0)], 0.05, hopedRelativeLift: 0.2);

        Assert.Null(plan.Problem);
        Assert.Contains("No customer", plan.Variants[1].Problem);
        Assert.Null(plan.Variants[1].DetectableLift);
        Assert.Equal(0.0224658, plan.Variants[0].DetectableLift!.Value, 6);
        Assert.Equal(0.2464, plan.WeakestHopedPower!.Value, 3);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Plan_BaselineOutsideZeroToOne_IsAProblem(double baseline)
    {
        var plan = LaunchPower.Plan(1_000, [new ArmSize("a", 1_000)], baseline, hopedRelativeLift: 0.1);

        Assert.Contains("baseline", plan.Problem);
        Assert.Null(plan.Variants[0].DetectableLift);
    }

    [Fact]
    public void Plan_AHopedLiftPastCertaintyOrNotAbove0_HasNoPower_TheDetectableLiftStays()
    {
        var past = LaunchPower.Plan(1_000, [new ArmSize("a", 1_000)], 0.6, hopedRelativeLift: 0.8);
        var zero = LaunchPower.Plan(1_000, [new ArmSize("a", 1_000)], 0.6, hopedRelativeLift: 0);

        Assert.Contains("100%", past.HopedProblem);
        Assert.Contains("above 0%", zero.HopedProblem);
        Assert.Null(past.Variants[0].HopedPower);
        Assert.NotNull(past.Variants[0].DetectableLift);
    }

    [Fact]
    public void Plan_TooFewCustomersToReachThePower_SaysSo()
    {
        var plan = LaunchPower.Plan(2, [new ArmSize("a", 2)], 0.9);

        Assert.Contains("Too few customers", plan.Variants[0].Problem);
        Assert.Null(plan.Variants[0].DetectableLift);
    }

    [Fact]
    public void Arms_TakeTheControlGroupAndEveryVariant_NotTheGlobalHoldout()
    {
        var counts = new CampaignRunCounts(100, 100, 60, new Dictionary<string, long> { ["global_holdout"] = 10, ["control"] = 20, ["a"] = 70 },
            new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, long>(), []);
        var campaign = new Campaign("c", "C", "", CampaignStatus.Draft, CampaignStage.Pilot, ["p"], [], ["email"], new CampaignSchedule(ScheduleKind.OneOff), 20,
            [new CampaignVariant("a", 1), new CampaignVariant("b", 0)]);

        var (control, variants) = LaunchPower.Arms(counts, campaign);

        Assert.Equal(20, control);
        Assert.Equal([new ArmSize("a", 70), new ArmSize("b", 0)], variants);
    }
}
