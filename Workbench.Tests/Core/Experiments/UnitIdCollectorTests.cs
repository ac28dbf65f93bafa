using Workbench.Core.Experiments;

namespace Workbench.Tests.Core.Experiments;

public sealed class UnitIdCollectorTests
{
    [Fact]
    public void Duplicates_AcrossChunks_NumbersAndText_AreCounted()
    {
        var collector = new UnitIdCollector();
        // 1.5 chunks of distinct numeric ids, then 3 repeats spread over both chunks, and text ids with one repeat.
        for (var i = 1; i <= 1_500_000; i++) collector.Add(i.ToString());
        collector.Add("7");
        collector.Add("1400000");
        collector.Add("1");
        collector.Add("u-1");
        collector.Add("u-2");
        collector.Add("u-1");
        // "007" is not the plain number 7: a different id.
        collector.Add("007");

        Assert.Equal(4, collector.Duplicates());
    }
}
