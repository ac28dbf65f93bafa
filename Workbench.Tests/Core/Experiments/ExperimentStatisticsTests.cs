using Workbench.Core.Experiments;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Tests.Core.Experiments;

// Hand-worked and independently computed examples. "scipy" = Debian 12's python3-scipy 1.10.1 (Python 3.11) running
// reference_figures.py beside this file; "by hand" = the arithmetic written out in the comment.
public sealed class ExperimentStatisticsTests
{
    [Fact]
    public void Rates_SmallSample_MatchScipy()
    {
        // 3/10 control against 5/12 treatment (scipy: norm.sf with the pooled se, norm.ppf(0.975) with the Wald se,
        // quad of beta.pdf·beta.cdf for the chance to beat control).
        var r = TwoSampleTests.Rates(3, 10, 5, 12);

        Assert.Equal(0.1166666666666667, r.AbsoluteLift, 12);
        Assert.Equal(0.388888888888889, r.RelativeLift!.Value, 12);
        Assert.Equal(0.5711072720421346, r.PValue!.Value, 10);
        Assert.Equal(-0.28142623817491663, r.CiLow!.Value, 10);
        Assert.Equal(0.51475957150825, r.CiHigh!.Value, 10);
        Assert.Equal(0.6998923139049671, ChanceToBeat.Rates(3, 10, 5, 12), 5);
    }

    [Fact]
    public void Welch_WorkedExample_MatchesScipy()
    {
        // scipy.stats.ttest_ind(t, c, equal_var=False); df by Welch–Satterthwaite; interval with stats.t.ppf(0.975, df).
        double[] control = [19.2, 21.5, 18.8, 22.1, 20.4, 19.9];
        double[] treatment = [23.5, 20.1, 25.8, 24.2, 21.9, 26.7, 22.4, 23.0];
        var c = Moments.Of(control);
        var t = Moments.Of(treatment);

        var r = TwoSampleTests.Means(c.N, c.MeanY, c.VarianceY, t.N, t.MeanY, t.VarianceY);

        Assert.Equal(3.133333333333333, r.AbsoluteLift, 12);
        Assert.Equal(11.63505886068501, r.Df!.Value, 9);
        Assert.Equal(0.005325858212223756, r.PValue!.Value, 10);
        Assert.Equal(1.1284084193524522, r.CiLow!.Value, 8);
        Assert.Equal(5.138258247314214, r.CiHigh!.Value, 8);
        Assert.Equal(0.9996833907741841, ChanceToBeat.Means(r.AbsoluteLift, r.StandardError)!.Value, 10);
    }

    [Fact]
    public void Welch_NoVariance_GivesNoPValueOrInterval()
    {
        var r = TwoSampleTests.Means(5, 2.0, 0, 5, 2.0, 0);

        Assert.Null(r.PValue);
        Assert.Null(r.CiLow);
    }

    [Fact]
    public void BenjaminiHochberg_TheirPaperExample_RejectsFourAtFivePercent()
    {
        // Benjamini & Hochberg (1995), JRSS B 57(1), section 3.2: 15 p-values, q = 0.05 rejects the four smallest.
        double?[] p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000];

        var adjusted = MultipleTesting.Adjust(p, Correction.BenjaminiHochberg);

        // By hand: p̃(i) = min over j ≥ i of 15·p(j)/j. p̃(4) = 15·0.0095/4 = 0.035625; p̃(5) = min(15·0.0201/5 = 0.0603,
        // 15·0.0278/6 = 0.0695, 15·0.0298/7 = 0.063857, 15·0.0344/8 = 0.0645, 15·0.0459/9 = 0.0765, …) = 0.0603;
        // p̃(1) = min(0.0015, 0.003, 0.0095, 0.035625, …) = 0.0015; p̃(15) = 1.
        Assert.Equal(4, adjusted.Count(a => a < 0.05));
        Assert.Equal(0.0015, adjusted[0]!.Value, 12);
        Assert.Equal(0.003, adjusted[1]!.Value, 12);
        Assert.Equal(0.0095, adjusted[2]!.Value, 12);
        Assert.Equal(0.035625, adjusted[3]!.Value, 12);
        Assert.Equal(0.0603, adjusted[4]!.Value, 12);
        Assert.Equal(1.0, adjusted[14]!.Value, 12);
    }

    [Fact]
    public void Holm_TheSameExample_RejectsThree()
    {
        double?[] p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000];

        var adjusted = MultipleTesting.Adjust(p, Correction.Holm);

        // By hand: p̃(i) = max over j ≤ i of (15 − j + 1)·p(j): 15·0.0001 = 0.0015, 14·0.0004 = 0.0056, 13·0.0019 = 0.0247,
        // 12·0.0095 = 0.114; then 11·0.0201 = 0.2211 …; capped at 1 from 10·0.0459·… on.
        Assert.Equal(3, adjusted.Count(a => a < 0.05));
        Assert.Equal(0.0015, adjusted[0]!.Value, 12);
        Assert.Equal(0.0056, adjusted[1]!.Value, 12);
        Assert.Equal(0.0247, adjusted[2]!.Value, 12);
        Assert.Equal(0.114, adjusted[3]!.Value, 12);
        Assert.Equal(0.2211, adjusted[4]!.Value, 12);
        Assert.Equal(1.0, adjusted[14]!.Value, 12);
    }

    [Fact]
    public void Adjust_UnsortedWithTiesAndNulls_IsMonotoneCappedAndKeepsNulls()
    {
        // By hand, BH over the four defined values {0.04, 0.01, 0.04, 0.03} (m = 4): sorted 0.01, 0.03, 0.04, 0.04 →
        // 4·0.04/4 = 0.04, 4·0.04/3 → min 0.04, 4·0.03/2 = 0.06 → min 0.04, 4·0.01/1 = 0.04. Holm: 4·0.01 = 0.04,
        // 3·0.03 = 0.09, 2·0.04 = 0.08 → max 0.09, 1·0.04 → 0.09.
        double?[] p = [0.04, null, 0.01, 0.04, 0.03];

        var bh = MultipleTesting.Adjust(p, Correction.BenjaminiHochberg);
        var holm = MultipleTesting.Adjust(p, Correction.Holm);

        Assert.Equal([0.04, null, 0.04, 0.04, 0.04], bh.Select(v => v is null ? (double?)null : Math.Round(v.Value, 12)));
        Assert.Equal([0.09, null, 0.04, 0.09, 0.09], holm.Select(v => v is null ? (double?)null : Math.Round(v.Value, 12)));
        Assert.Equal(p, MultipleTesting.Adjust(p, Correction.None));
    }

    [Fact]
    public void Adjust_Scope_DecidesTheFamily()
    {
        Hypothesis[] h = [new("e1", "conversion", 0.01), new("e1", "revenue", 0.02), new("e2", "conversion", 0.03)];

        var metric = MultipleTesting.Adjust(h, Correction.Holm, CorrectionScope.Metric);
        var experiment = MultipleTesting.Adjust(h, Correction.Holm, CorrectionScope.Experiment);
        var portfolio = MultipleTesting.Adjust(h, Correction.Holm, CorrectionScope.Portfolio);

        // Per metric every family has one member: unchanged. Per experiment e1 has two: 2·0.01, max(0.02, 1·0.02).
        // Across the portfolio three: 3·0.01, 2·0.02, 1·0.03 → max 0.04.
        Assert.Equal([0.01, 0.02, 0.03], metric.Select(v => Math.Round(v!.Value, 12)));
        Assert.Equal([0.02, 0.02, 0.03], experiment.Select(v => Math.Round(v!.Value, 12)));
        Assert.Equal([0.03, 0.04, 0.04], portfolio.Select(v => Math.Round(v!.Value, 12)));
    }

    [Fact]
    public void SampleRatio_PlantedImbalance_IsFlagged()
    {
        // scipy.stats.chisquare([50000, 51500]) = (22.167487684729064, 2.498695214678602e-06).
        var check = SampleRatio.Check([50_000, 51_500], [0.5, 0.5]);

        Assert.Equal(22.167487684729064, check.ChiSquare, 9);
        Assert.Equal(2.498695214678602e-06, check.PValue, 15);
        Assert.True(check.Mismatch);
    }

    [Fact]
    public void SampleRatio_FairSplit_Passes()
    {
        // scipy.stats.chisquare([50000, 50100]) = (0.0999000999000999, 0.7519495510078616).
        var check = SampleRatio.Check([50_000, 50_100], [1, 1]);

        Assert.Equal(0.0999000999000999, check.ChiSquare, 12);
        Assert.Equal(0.7519495510078616, check.PValue, 10);
        Assert.False(check.Mismatch);
    }

    [Fact]
    public void SampleRatio_UnequalPlan_UsesThePlannedShares()
    {
        // scipy.stats.chisquare([10100, 4950, 4950], [10000, 5000, 5000]) = (2.0, 0.36787944117144245): 50/25/25.
        var check = SampleRatio.Check([10_100, 4_950, 4_950], [50, 25, 25]);

        Assert.Equal(2.0, check.ChiSquare, 12);
        Assert.Equal(0.36787944117144245, check.PValue, 12);
        Assert.Equal(2, check.Df);
    }

    [Fact]
    public void Power_TextbookSampleSize_AndItsMdeRoundTrip()
    {
        // By hand (normal approximation): 10% → 12% at α = 0.05, power 0.8: (1.959964 + 0.841621)² · (0.09 + 0.1056) / 0.02²
        // = 7.848879 · 0.1956 / 0.0004 = 3838.1 → 3839 per arm (the figure of the usual online calculators, 3,839–3,841).
        Assert.Equal(3839, Power.UnitsPerArmForRates(0.10, 0.02));
        Assert.Equal(0.8, Power.ForRates(0.10, 0.02, 3839, 3839), 3);
        Assert.Equal(0.02, Power.MdeForRates(0.10, 3839, 3839), 4);
        // Means: 2 · 7.848879 · 10² / 2² = 392.4 → 393 per arm; power at that n ≈ 0.8; MDE inverts it.
        Assert.Equal(393, Power.UnitsPerArmForMeans(10, 2));
        Assert.Equal(2.0, Power.MdeForMeans(10, 393, 393), 2);
        Assert.True(Power.ForMeans(10, 2, 393, 393) >= 0.8);
    }

    // Achieved power: the chance the cell's units had of finding a lift of a tenth of the control's value, at α = 0.05.
    // By hand (Python 3 math.erf for Φ): rate 10% → 11%, 1,000 per arm: se = √(0.1·0.9/1000 + 0.11·0.89/1000) = 0.0137077,
    // Φ(0.01/0.0137077 − 1.959964) = Φ(−1.230444) = 0.109265. Mean 50, sd 20, 200 per arm, lift 5: se = 20·√(2/200) = 2,
    // Φ(2.5 − 1.959964) = Φ(0.540036) = 0.705414. A control value of 0 has no tenth to find: no figure.
    [Fact]
    public void AchievedPower_AtATenthOfTheControlsValue_ByHand()
    {
        var rateControl = new Moments(1000, 0.10, 90, 0, 0, 0);
        Assert.Equal(0.109265, ExperimentAnalysis.AchievedPower(rateControl, new Moments(1000, 0.12, 105.6, 0, 0, 0), MetricKind.Rate, 0.05)!.Value, 6);
        var meanControl = new Moments(200, 50, 20 * 20 * 199, 0, 0, 0);
        Assert.Equal(0.705414, ExperimentAnalysis.AchievedPower(meanControl, new Moments(200, 61, 30 * 30 * 199, 0, 0, 0), MetricKind.Mean, 0.05)!.Value, 6);
        Assert.Null(ExperimentAnalysis.AchievedPower(new Moments(500, 0, 0, 0, 0, 0), new Moments(500, 0.01, 4.95, 0, 0, 0), MetricKind.Rate, 0.05));

        var compared = ExperimentAnalysis.Compare(
            [new MetricCell("converted", MetricKind.Rate, null, "control", rateControl), new MetricCell("converted", MetricKind.Rate, null, "b", new Moments(1000, 0.12, 105.6, 0, 0, 0))],
            new AnalysisSettings("control"));
        Assert.Equal(0.109265, compared.Single().AchievedPower!.Value, 6);
        // Incremental converters: the lift 0.02 × the variant's 1,000 units = 20, the Wald interval's ends × 1,000 beside it;
        // the CSV carries the achieved power and the incremental figures as its last columns.
        var cell = compared.Single();
        Assert.Equal(20, cell.Incremental.Total, 9);
        Assert.Equal(cell.CiLow!.Value * 1000, cell.Incremental.Low!.Value, 9);
        var csv = AnalysisCsv.Results(compared).Split("\r\n");
        Assert.EndsWith(",mde_80,power_at_10pct,incremental,incremental_ci_low,incremental_ci_high", csv[0]);
        var last = csv[1].Split(',')[^4..].Select(f => double.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(0.109265, last[0], 6);
        Assert.Equal(20, last[1], 9);
        Assert.Equal(cell.CiHigh!.Value * 1000, last[3], 9);
    }

    // The rate MDE is the root of a quadratic (Power.MdeForRates); here it is checked against the power function itself:
    // at the MDE the power is exactly the target, a hair below it the power falls short, and an effect no sample this
    // small can detect (even δ = 1 − p has power under 0.8) gives NaN, as the bisection it replaced did.
    [Theory]
    [InlineData(0.10, 3839L, 3839L)]
    [InlineData(0.02, 500L, 4_500L)]
    [InlineData(0.5, 20_000L, 1_000L)]
    [InlineData(0.93, 120L, 80L)]
    [InlineData(0.001, 1_000_000L, 1_000_000L)]
    public void Power_RateMde_IsWherePowerReachesTheTarget(double baseline, long controlN, long treatmentN)
    {
        var mde = Power.MdeForRates(baseline, controlN, treatmentN);
        Assert.InRange(mde, 0, 1 - baseline);
        Assert.Equal(0.8, Power.ForRates(baseline, mde, controlN, treatmentN), 9);
        Assert.True(Power.ForRates(baseline, mde * (1 - 1e-6), controlN, treatmentN) < 0.8);
        Assert.Equal(0.9, Power.ForRates(0.10, Power.MdeForRates(0.10, 3839, 3839, power: 0.9, alpha: 0.01), 3839, 3839, alpha: 0.01), 9);
        Assert.True(double.IsNaN(Power.MdeForRates(0.5, 2, 2)));
    }

    [Fact]
    public void ConfidenceSequence_IsWiderThanTheFixedInterval_AndNarrowestNearItsHorizon()
    {
        var rho2 = ConfidenceSequence.Rho2(10_000);
        // By hand: ρ² = (2 ln 20 + ln(1 + 2 ln 20)) / 10⁴ = (5.991465 + ln 6.991465 = 1.944690) / 10⁴ = 7.936155e-4.
        Assert.Equal(7.936155e-4, rho2, 8);

        var atHorizon = ConfidenceSequence.Margin(10_000, rho2) * Math.Sqrt(10_000);
        var early = ConfidenceSequence.Margin(10_000, ConfidenceSequence.Rho2(100)) * Math.Sqrt(10_000);
        Assert.True(atHorizon > 1.96); // time-uniform coverage costs width
        Assert.True(atHorizon < early);
    }

    [Fact]
    public void Thompson_SameSeed_SameAllocation_AndTheBestArmGetsMost()
    {
        ArmPosterior[] arms = [new("control", 100, 900), new("a", 130, 870), new("b", 95, 905)];

        var first = ThompsonSampling.Allocate(arms, seed: 7, minShare: 0.05);
        var second = ThompsonSampling.Allocate(arms, seed: 7, minShare: 0.05);

        Assert.Equal(first, second);
        Assert.Equal("a", first.MaxBy(a => a.Share)!.Variant);
        Assert.Equal(1.0, first.Sum(a => a.Share), 9);
        Assert.All(first, a => Assert.True(a.Share >= 0.05));
        // a's posterior mean 0.131 against 0.101: P(a best) ≈ Φ(0.03 / 0.0142) ≈ 0.98 (normal approximation, by hand).
        Assert.InRange(first.Single(a => a.Variant == "a").ProbabilityBest, 0.96, 1.0);
    }

    [Fact]
    public void Moments_MergeOfTwoHalves_EqualsTheWhole()
    {
        var random = new Random(3);
        var pairs = Enumerable.Range(0, 1000).Select(_ => (Y: random.NextDouble() * 10, X: random.NextDouble())).ToArray();

        var whole = Moments.Of(pairs);
        var merged = Moments.Merge(Moments.Of(pairs[..400]), Moments.Of(pairs[400..]));

        Assert.Equal(whole.N, merged.N);
        Assert.Equal(whole.MeanY, merged.MeanY, 10);
        Assert.Equal(whole.M2Y, merged.M2Y, 8);
        Assert.Equal(whole.Cxy, merged.Cxy, 8);
    }

    [Theory]
    // scipy: stats.t.ppf(0.975, df)
    [InlineData(30, 2.0422724563012373)]
    [InlineData(100, 1.9839715184496334)]
    [InlineData(58595.481422574, 1.960004470928128)]
    public void TQuantile_TheExpansionFrom30Df_MatchesScipy(double df, double expected)
    {
        Assert.InRange(TwoSampleTests.TQuantile(0.975, df) - expected, -1e-7, 1e-7);
    }
}
