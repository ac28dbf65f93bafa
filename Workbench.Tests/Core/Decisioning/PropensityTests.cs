using Workbench.Core.Decisioning;

namespace Workbench.Tests.Core.Decisioning;

public sealed class PropensityTests
{
    // By hand: μ = 100 / 1,000 = 0.1; rates 0.10, 0.05, 0.14; weighted spread (100·0 + 400·0.05² + 500·0.04²) / 1,000
    // = 0.0018; binomial noise 0.1·0.9·3 / 1,000 = 0.00027; τ² = 0.00153; κ = 0.09 / 0.00153 − 1 = 57.8235.
    // Segment B: (20 + 5.78235) / (400 + 57.8235) = 0.0563150; a segment without outcomes gets μ = 0.1.
    [Fact]
    public void ThreeSegments_MethodOfMomentsPrior_ShrinksTheThinSegmentTowardThePlay()
    {
        OutcomeCell a = new("A", 100, 10), b = new("B", 400, 20), c = new("C", 500, 70);
        var prior = Propensity.Prior([a, b, c]);

        Assert.Equal(0.1, prior.Mean, 12);
        Assert.Equal(57.82352941176468, prior.Strength, 9);
        Assert.Equal(0.05631504561223179, Propensity.Estimate(prior, b), 12);
        Assert.Equal(0.1, Propensity.Estimate(prior, a), 12);
        Assert.Equal(0.1, Propensity.Estimate(prior, null), 12);
        // Shrinkage pulls toward μ: B's raw 5% rises, C's raw 14% falls, C (more sends) moves less than B would.
        Assert.InRange(Propensity.Estimate(prior, c), 0.1, 0.14);
    }

    [Fact]
    public void NoOutcomesYet_TheStatedDefault_ThenThePlaysOwnRate()
    {
        var none = Propensity.Prior([]);
        Assert.Equal((Propensity.DefaultRate, Propensity.DefaultStrength), (none.Mean, none.Strength));
        // 3 conversions of 10 sends against Beta(1, 49): (3 + 1) / (10 + 50).
        Assert.Equal(4.0 / 60, Propensity.Estimate(none, new OutcomeCell("A", 10, 3)), 12);

        var one = Propensity.Prior([new OutcomeCell("A", 200, 30)]);
        Assert.Equal(0.15, one.Mean, 12);
    }

    [Fact]
    public void SegmentsNoMoreSpreadThanChance_AreFullyPooled()
    {
        // Identical rates: no spread beyond the binomial noise, κ at its ceiling.
        var prior = Propensity.Prior([new("A", 1_000, 100), new("B", 1_000, 100)]);

        Assert.Equal(Propensity.MaxStrength, prior.Strength);
    }
}
