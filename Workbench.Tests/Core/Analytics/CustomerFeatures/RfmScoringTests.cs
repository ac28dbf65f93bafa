using Workbench.Core.Analytics.CustomerFeatures;

namespace Workbench.Tests.Core.Analytics.CustomerFeatures;

public sealed class RfmScoringTests
{
    [Fact]
    public void CutPoints_TenDistinctValues_AreTheNearestRankPercentiles()
    {
        // Sorted 1..10: the 20th/40th/60th/80th percentiles by nearest rank are the 2nd, 4th, 6th and 8th values.
        Assert.Equal([2.0, 4, 6, 8], RfmScoring.CutPoints([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]));
    }

    [Fact]
    public void Score_TenDistinctValues_TwoPerQuintile()
    {
        var cuts = RfmScoring.CutPoints([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], Enumerable.Range(1, 10).Select(v => RfmScoring.Score(v, cuts)).ToArray());
    }

    [Fact]
    public void Score_Ties_ShareOneScore_AndAMassOfTiesStaysTogether()
    {
        // Orders of ten buyers: four one-time buyers (40%), then 2, 2, 3, 5, 8, 13.
        double[] orders = [1, 1, 1, 1, 2, 2, 3, 5, 8, 13];
        var cuts = RfmScoring.CutPoints(orders);

        // Ranks 2, 4, 6, 8 of the sorted values: 1, 1, 2, 5.
        Assert.Equal([1.0, 1, 2, 5], cuts);
        Assert.Equal([1, 1, 1, 1, 3, 3, 4, 4, 5, 5], orders.Select(v => RfmScoring.Score(v, cuts)).ToArray());
    }

    [Fact]
    public void Score_Recency_FewerDaysScoreHigher()
    {
        var cuts = RfmScoring.CutPoints([5, 10, 20, 40, 80, 160, 200, 250, 300, 365]);
        Assert.Equal(5, RfmScoring.Score(5, cuts, higherIsBetter: false));
        Assert.Equal(1, RfmScoring.Score(365, cuts, higherIsBetter: false));
        Assert.Equal("513", RfmScoring.Cell(5, 1, 3));
    }

    [Theory]
    [InlineData(4, "evening")]
    [InlineData(5, "morning")]
    [InlineData(11, "morning")]
    [InlineData(12, "midday")]
    [InlineData(16, "midday")]
    [InlineData(17, "evening")]
    [InlineData(23, "evening")]
    public void Dayparts_Of_LocalHour(int hour, string daypart) => Assert.Equal(daypart, Dayparts.Of(hour));
}
