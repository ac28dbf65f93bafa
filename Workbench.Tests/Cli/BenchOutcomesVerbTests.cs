using Workbench.Cli;

namespace Workbench.Tests.Cli;

// `bench outcomes` at a small scale: the run of N sends it writes, its file of one outcome per send, every outcome
// imported onto its send (the figure is the rows/s of that import; its speed is measured by running the verb, never here).
public sealed class BenchOutcomesVerbTests
{
    [Fact]
    public async Task BenchOutcomes_ImportsOneOutcomePerSend_AndSaysWhetherTheTargetIsMet()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CommandLine.RunAsync(["bench", "outcomes", "--outcomes", "700"], stdout, stderr);

        Assert.True(exit == 0, stderr.ToString());
        var line = stdout.ToString();
        Assert.Contains("bench outcomes: 700 outcomes", line);
        Assert.Contains("onto 700 sends", line);
        Assert.Contains("(700 inserted)", line);
        Assert.Matches(@"target >= 300,000 rows/s: (met|NOT met)", line);
    }
}
