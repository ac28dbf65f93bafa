using Workbench.Core.Jobs;

namespace Workbench.Tests.Core.Jobs;

public sealed class JobPlanTests
{
    private static readonly JobNode[] Derived =
    [
        new("quality-snapshot", ["customer-stats"], 10),
        new("segment-memberships", ["customer-features"], 1),
        new("customer-features", [], 1),
        new("customer-stats", [], 0),
    ];

    [Fact]
    public void Order_EveryRegistrationOrder_GivesTheSameDependencyOrder()
    {
        var expected = new[] { "customer-stats", "customer-features", "segment-memberships", "quality-snapshot" };
        foreach (var permutation in Permutations(Derived)) Assert.Equal(expected, JobPlan.Order(permutation));
    }

    [Fact]
    public void Order_AJobNeverRunsBeforeWhatItDependsOn_EvenWithALowerPriority()
    {
        var order = JobPlan.Order([new JobNode("late", [], 5), new JobNode("eager", ["late"], 0), new JobNode("other", [], 3)]);

        Assert.Equal(["other", "late", "eager"], order);
    }

    [Fact]
    public void Order_Cycle_IsRefusedNamingTheJobs()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            JobPlan.Order([new JobNode("a", ["b"], 0), new JobNode("b", ["a"], 0), new JobNode("c", [], 0)]));

        Assert.Equal("the jobs a, b depend on each other in a cycle", e.Message);
    }

    [Fact]
    public void Order_UnknownDependency_IsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => JobPlan.Order([new JobNode("a", ["nope"], 0)]));

        Assert.Equal("job 'a' depends on 'nope', which is no job", e.Message);
    }

    [Fact]
    public void WithDependents_AddsWhatReadsTheNamedJobs()
    {
        Assert.Equal(["customer-features", "segment-memberships"], JobPlan.WithDependents(Derived, ["customer-features"]).Order());
        Assert.Equal(["customer-stats", "quality-snapshot"], JobPlan.WithDependents(Derived, ["customer-stats"]).Order());
    }

    private static IEnumerable<T[]> Permutations<T>(T[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }
        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest)) yield return [items[i], .. tail];
        }
    }
}
