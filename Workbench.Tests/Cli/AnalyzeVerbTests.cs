using System.Text.Json;
using Workbench.Cli;
using Workbench.Tests.Core.Experiments;

namespace Workbench.Tests.Cli;

public sealed class AnalyzeVerbTests
{
    [Fact]
    public async Task Analyze_CookieCats_PrintsTheIssuesFieldNames()
    {
        var stdout = new StringWriter();

        var exit = await CommandLine.RunAsync(["analyze", CookieCatsGoldenTests.File, "--variant-column", "version", "--control", "gate_30",
            "--metrics", "retention_1,retention_7,sum_gamerounds", "--unit-column", "userid", "--correction", "holm"], stdout, new StringWriter());

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.Equal(90_189, root.GetProperty("units").GetInt64());
        Assert.Equal(0, root.GetProperty("duplicateUnits").GetInt64());
        Assert.Equal(6.9024049496058275, root.GetProperty("srm").GetProperty("chiSquare").GetDouble(), 10);
        Assert.True(root.GetProperty("srm").TryGetProperty("pValue", out _));
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, results.Count);
        string[] fields = ["metric", "segment", "variant", "n", "value", "controlN", "controlValue", "absoluteLift", "relativeLift", "ciLow", "ciHigh",
            "pValue", "adjustedPValue", "chanceToBeatControl"];
        Assert.All(results, r => Assert.All(fields, f => Assert.True(r.TryGetProperty(f, out _), f)));
        Assert.Equal(JsonValueKind.Null, results[0].GetProperty("segment").ValueKind);
        Assert.False(results[0].TryGetProperty("df", out _)); // a rate
        Assert.Equal(58595.481422574, results[2].GetProperty("df").GetDouble(), 4); // scipy, see CookieCatsGoldenTests
        Assert.False(results[0].TryGetProperty("cuped", out _));
        // Holm over three (by hand from scipy's p-values): 2 · 0.0744097 = 0.1488193.
        Assert.Equal(0.14881931059383826, results[0].GetProperty("adjustedPValue").GetDouble(), 9);
    }

    [Fact]
    public async Task Analyze_PreMetricAndSegments_AddCupedPerResult()
    {
        var file = Path.Combine(Path.GetTempPath(), $"wb-analyze-{Guid.NewGuid():N}.csv");
        var random = new Random(2);
        await File.WriteAllTextAsync(file, "arm,region,spend,spend_before\n" + string.Concat(Enumerable.Range(0, 400).Select(i =>
        {
            var before = 50 + 10 * random.NextDouble();
            return $"{(i % 2 == 0 ? "control" : "offer")},{(i % 4 < 2 ? "north" : "south")},{before + random.NextDouble() + (i % 2):0.###},{before:0.###}\n";
        })));
        var stdout = new StringWriter();
        try
        {
            var exit = await CommandLine.RunAsync(["analyze", file, "--variant-column", "arm", "--control", "control", "--metrics", "spend",
                "--by", "region", "--pre-metric", "spend_before"], stdout, new StringWriter());

            Assert.Equal(0, exit);
            using var json = JsonDocument.Parse(stdout.ToString());
            var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal([null, "north", "south"], results.Select(r => r.GetProperty("segment").GetString()));
            var cuped = results[0].GetProperty("cuped");
            foreach (var f in new[] { "theta", "varianceReduction", "absoluteLift", "ciLow", "ciHigh", "pValue" }) Assert.True(cuped.TryGetProperty(f, out _), f);
            Assert.InRange(cuped.GetProperty("theta").GetDouble(), 0.9, 1.1); // spend = spend_before + noise
            Assert.True(cuped.GetProperty("varianceReduction").GetDouble() > 0.9);
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("duplicateUnits").ValueKind); // no unit column named
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Analyze_BadValue_NamesFileLineAndColumn()
    {
        var file = Path.Combine(Path.GetTempPath(), $"wb-analyze-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "arm,bought\ncontrol,1\noffer,x\n");
        var stderr = new StringWriter();
        try
        {
            var exit = await CommandLine.RunAsync(["analyze", file, "--variant-column", "arm", "--control", "control", "--metrics", "bought"],
                new StringWriter(), stderr);

            Assert.Equal(1, exit);
            Assert.Contains($"{Path.GetFileName(file)}:3: bought: 'x' is not a number", stderr.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--colour", "unknown option --colour")]
    [InlineData("--correction", "--correction takes bh, holm or none")]
    public async Task Analyze_BadOption_IsAUsageError(string option, string message)
    {
        var stderr = new StringWriter();
        string[] args = option == "--correction"
            ? ["analyze", "f.csv", "--variant-column", "v", "--control", "c", "--metrics", "m", "--correction", "bonferroni"]
            : ["analyze", "f.csv", "--variant-column", "v", "--control", "c", "--metrics", "m", option, "red"];

        var exit = await CommandLine.RunAsync(args, new StringWriter(), stderr);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr.ToString());
    }

    [Fact]
    public async Task Analyze_UnknownControl_SaysWhichValuesExist()
    {
        var file = Path.Combine(Path.GetTempPath(), $"wb-analyze-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "arm,bought\nA,1\nB,0\n");
        var stderr = new StringWriter();
        try
        {
            var exit = await CommandLine.RunAsync(["analyze", file, "--variant-column", "arm", "--control", "control", "--metrics", "bought"], new StringWriter(), stderr);

            Assert.Equal(1, exit);
            Assert.Contains("arm: the control 'control' does not occur; the values are: A, B", stderr.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
