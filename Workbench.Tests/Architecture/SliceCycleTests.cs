namespace Workbench.Tests.Architecture;

// Feature slices may depend on each other one way only. Data (the DbContext knows every slice's entities; every slice
// reaches the store through it) and the composition root (Workbench.Core itself, Program) are the hubs, not slices.
public sealed class SliceCycleTests
{
    private static readonly HashSet<string> CoreHubs = ["Data"];

    [Fact]
    public void CoreSlices_NoCycleInTheCompiledAssembly()
    {
        var edges = SliceGraph.FromAssembly(typeof(Workbench.Core.Data.StoreLocation).Assembly, "Workbench.Core.", CoreHubs);
        var cycles = SliceGraph.Cycles(edges);
        Assert.True(cycles.Count == 0, "slices of Workbench.Core reference each other in a cycle: " + SliceGraph.Describe(cycles));
    }

    [Fact]
    public void CoreSlices_NoCycleInTheSources()
    {
        var edges = SliceGraph.FromSources(SourceTree.Files("Workbench.Core", ".cs"), "Workbench.Core/", "Workbench.Core.", CoreHubs);
        var cycles = SliceGraph.Cycles(edges);
        Assert.True(cycles.Count == 0, "slices of Workbench.Core reference each other in a cycle: " + SliceGraph.Describe(cycles));
    }

    [Fact]
    public void WebFeatureSlices_NoCycle()
    {
        var assembly = typeof(Workbench.Cli.CommandLine).Assembly;
        var edges = SliceGraph.FromAssembly(assembly, "Workbench.Features.", new HashSet<string>())
            .Concat(SliceGraph.FromSources(SourceTree.Files("Workbench/Features", ".cs", ".razor"), "Workbench/Features/", "Workbench.Features.", new HashSet<string>()));
        var cycles = SliceGraph.Cycles(edges);
        Assert.True(cycles.Count == 0, "feature slices of the web project reference each other in a cycle: " + SliceGraph.Describe(cycles));
    }

    [Fact]
    public void Cycles_FindsATwoAndAThreeSliceCycleAndNothingInADag()
    {
        SliceGraph.Edge E(string from, string to) => new(from, to, "test");

        var cycles = SliceGraph.Cycles([E("A", "B"), E("B", "A"), E("C", "D"), E("D", "E"), E("E", "C"), E("A", "C"), E("F", "A")]);

        Assert.Equal(2, cycles.Count);
        Assert.Contains(cycles, c => c.Slices.SequenceEqual(["A", "B"]));
        Assert.Contains(cycles, c => c.Slices.SequenceEqual(["C", "D", "E"]));
        Assert.Empty(SliceGraph.Cycles([E("A", "B"), E("B", "C"), E("A", "C")]));
    }
}
