using MathNet.Numerics.Distributions;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Tests.Core.Experiments;

// Seeded simulations of bounded size (each a second or two): the procedures keep their promised error rates.
// The bands are ±3 binomial standard errors around the promise for the number of simulated experiments.
public sealed class ExperimentSimulationTests
{
    private const int Experiments = 2_000;

    [Fact]
    public void AaTests_FalsePositiveRateStaysAtAlpha()
    {
        var random = new Random(11);
        int rateHits = 0, meanHits = 0;
        for (var e = 0; e < Experiments; e++)
        {
            var (c, t) = (Binomial.Sample(random, 0.1, 1_000), Binomial.Sample(random, 0.1, 1_000));
            if (TwoSampleTests.Rates(c, 1_000, t, 1_000).PValue < 0.05) rateHits++;
            var mc = Moments.Of(Enumerable.Range(0, 200).Select(_ => Revenue(random, 0)));
            var mt = Moments.Of(Enumerable.Range(0, 200).Select(_ => Revenue(random, 0)));
            if (TwoSampleTests.Means(mc.N, mc.MeanY, mc.VarianceY, mt.N, mt.MeanY, mt.VarianceY).PValue < 0.05) meanHits++;
        }
        // sd of the rate at 2,000 experiments: sqrt(0.05 · 0.95 / 2000) = 0.0049.
        Assert.InRange(rateHits / (double)Experiments, 0.035, 0.065);
        Assert.InRange(meanHits / (double)Experiments, 0.035, 0.065);
    }

    [Fact]
    public void PlantedEffects_FallInsideTheir95PercentIntervals()
    {
        var random = new Random(12);
        int rateCovered = 0, meanCovered = 0;
        for (var e = 0; e < Experiments; e++)
        {
            var (c, t) = (Binomial.Sample(random, 0.10, 2_000), Binomial.Sample(random, 0.12, 2_000));
            var r = TwoSampleTests.Rates(c, 2_000, t, 2_000);
            if (r.CiLow <= 0.02 && 0.02 <= r.CiHigh) rateCovered++;
            var mc = Moments.Of(Enumerable.Range(0, 200).Select(_ => Revenue(random, 0)));
            var mt = Moments.Of(Enumerable.Range(0, 300).Select(_ => Revenue(random, 5)));
            var m = TwoSampleTests.Means(mc.N, mc.MeanY, mc.VarianceY, mt.N, mt.MeanY, mt.VarianceY);
            if (m.CiLow <= 5 && 5 <= m.CiHigh) meanCovered++;
        }
        Assert.InRange(rateCovered / (double)Experiments, 0.935, 0.965);
        Assert.InRange(meanCovered / (double)Experiments, 0.935, 0.965);
    }

    [Fact]
    public void Cuped_OnCorrelatedData_ReducesVarianceAndStaysUnbiased()
    {
        // Y = 20 + 0.8·X + noise (+3 in treatment), X the pre-period metric, corr(X, Y) ≈ 0.8: the expected variance
        // reduction is corr² ≈ 0.64.
        var random = new Random(13);
        const double effect = 3;
        var raw = new List<double>();
        var adjusted = new List<double>();
        var reported = new List<double>();
        for (var e = 0; e < 1_000; e++)
        {
            var control = Moments.Of(Enumerable.Range(0, 300).Select(_ => Unit(random, 0)));
            var treatment = Moments.Of(Enumerable.Range(0, 300).Select(_ => Unit(random, effect)));
            var cuped = Cuped.Compare(control, treatment)!;
            raw.Add(treatment.MeanY - control.MeanY);
            adjusted.Add(cuped.Adjusted.AbsoluteLift);
            reported.Add(cuped.VarianceReduction);
        }
        var rawVar = Variance(raw);
        var adjustedVar = Variance(adjusted);
        Assert.InRange(1 - adjustedVar / rawVar, 0.55, 0.72);
        Assert.InRange(reported.Average(), 0.58, 0.70);
        // Unbiased: the mean estimate is within 3 of its standard errors of the true effect.
        Assert.InRange(adjusted.Average() - effect, -3 * Math.Sqrt(adjustedVar / adjusted.Count), 3 * Math.Sqrt(adjustedVar / adjusted.Count));
    }

    [Fact]
    public void ConfidenceSequences_KeepCoverageUnderWeeklyPeeking_WhereFixedIntervalsDoNot()
    {
        // Eight weekly looks, 250 more units per arm each week; ρ tuned for the final 4,000 units, fixed in advance.
        // Coverage = the share of experiments whose interval held the true lift at every look.
        var random = new Random(14);
        const double lift = 0.5;
        var rho2 = ConfidenceSequence.Rho2(2 * 8 * 250);
        int sequenceCovered = 0, fixedCovered = 0;
        for (var e = 0; e < Experiments; e++)
        {
            var c = new MomentAccumulator();
            var t = new MomentAccumulator();
            bool sequenceHeld = true, fixedHeld = true;
            for (var week = 0; week < 8; week++)
            {
                for (var i = 0; i < 250; i++)
                {
                    c.Add(Normal.Sample(random, 10, 4));
                    t.Add(Normal.Sample(random, 10 + lift, 4));
                }
                var (mc, mt) = (c.ToMoments(), t.ToMoments());
                var r = TwoSampleTests.Means(mc.N, mc.MeanY, mc.VarianceY, mt.N, mt.MeanY, mt.VarianceY);
                var half = ConfidenceSequence.HalfWidth(r.StandardError, mc.N + mt.N, rho2);
                sequenceHeld &= Math.Abs(r.AbsoluteLift - lift) <= half;
                fixedHeld &= r.CiLow <= lift && lift <= r.CiHigh;
            }
            if (sequenceHeld) sequenceCovered++;
            if (fixedHeld) fixedCovered++;
        }
        Assert.True(sequenceCovered / (double)Experiments >= 0.94, $"sequence coverage {sequenceCovered / (double)Experiments}");
        Assert.True(fixedCovered / (double)Experiments < 0.90, $"fixed-horizon coverage under peeking {fixedCovered / (double)Experiments}");
    }

    // A skewed revenue per unit: zero for 70% of units, else lognormal.
    private static double Revenue(Random random, double shift) =>
        random.NextDouble() < 0.7 ? shift : shift + LogNormal.Sample(random, 3, 0.8);

    private static (double Y, double X) Unit(Random random, double effect)
    {
        var x = Normal.Sample(random, 50, 10);
        return (20 + 0.8 * x + Normal.Sample(random, 0, 6) + effect, x);
    }

    private static double Variance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }
}
