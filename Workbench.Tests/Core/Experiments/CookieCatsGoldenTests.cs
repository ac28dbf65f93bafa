using Workbench.Core.Experiments;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Tests.Core.Experiments;

// The public Cookie Cats A/B test (shared/data/cookie_cats.csv, see shared/data/README.md): gate_30 is the control.
// Every expected figure was computed independently by reference_figures.py beside this file with Debian 12's python3
// 3.11 and python3-scipy 1.10.1 (stats.norm, stats.ttest_ind(equal_var=False), stats.t.ppf, stats.chisquare,
// integrate.quad over beta.pdf·beta.cdf); none comes from this code.
public sealed class CookieCatsGoldenTests
{
    internal static readonly string File = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../shared/data/cookie_cats.csv"));

    private static readonly Lazy<Task<FileAnalysisReport>> Bh = new(() => AnalyseOnceAsync(Correction.BenjaminiHochberg));
    private static readonly Lazy<Task<FileAnalysisReport>> HolmReport = new(() => AnalyseOnceAsync(Correction.Holm));

    private static Task<FileAnalysisReport> AnalyseAsync(Correction correction = Correction.BenjaminiHochberg) =>
        correction == Correction.Holm ? HolmReport.Value : Bh.Value;

    private static async Task<FileAnalysisReport> AnalyseOnceAsync(Correction correction)
    {
        await using var stream = System.IO.File.OpenRead(File);
        var outcome = await new ExperimentFileAnalyzer().AnalyzeAsync(stream, "cookie_cats.csv",
            new FileAnalysisRequest("version", "gate_30", ["retention_1", "retention_7", "sum_gamerounds"], UnitColumn: "userid",
                Correction: correction), null, null, CancellationToken.None);
        Assert.Null(outcome.Problem);
        return outcome.Report!;
    }

    [Fact]
    public async Task Analyze_CookieCats_UnitsSrmAndKinds()
    {
        var report = await AnalyseAsync();

        Assert.Equal(90_189, report.Units);
        Assert.Equal(0, report.DuplicateUnits);
        Assert.Equal([44_700L, 45_489L], report.Variants.Select(v => v.Units));
        Assert.Equal(6.9024049496058275, report.Srm.ChiSquare, 10);
        Assert.Equal(0.008607987810836262, report.Srm.PValue, 12);
        Assert.False(report.Srm.Mismatch); // 0.0086 is above the 0.001 warning line
        Assert.Equal([MetricKind.Rate, MetricKind.Rate, MetricKind.Mean], report.Metrics.Select(m => m.Kind));
    }

    [Theory]
    // metric, lift, relative lift, p (pooled z), Wald low, Wald high, chance (beta-binomial, uniform prior)
    [InlineData("retention_1", -0.005905169787341458, -0.01317565585974659, 0.07440965529691913, -0.012392439449445217, 0.0005820998747623016, 0.03720602517536519)]
    [InlineData("retention_7", -0.008201298315205913, -0.043119034896460164, 0.001554249975614329, -0.013281552418885545, -0.0031210442115262808, 0.0007773386645762834)]
    public async Task Analyze_CookieCatsRetention_MatchesScipy(string metric, double lift, double relative, double p, double low, double high, double chance)
    {
        var r = (await AnalyseAsync()).Results.Single(x => x.Metric == metric);

        Assert.Equal("gate_40", r.Variant);
        Assert.Null(r.Segment);
        Assert.Equal(lift, r.AbsoluteLift, 12);
        Assert.Equal(relative, r.RelativeLift!.Value, 12);
        Assert.Equal(p, r.PValue!.Value, 12);
        Assert.Equal(low, r.CiLow!.Value, 12);
        Assert.Equal(high, r.CiHigh!.Value, 12);
        Assert.Equal(chance, r.ChanceToBeatControl!.Value, 6);
        Assert.Null(r.Df);
    }

    [Fact]
    public async Task Analyze_CookieCatsGameRounds_WelchMatchesScipy()
    {
        var r = (await AnalyseAsync()).Results.Single(x => x.Metric == "sum_gamerounds");

        Assert.Equal(-1.157488453953249, r.AbsoluteLift, 9);
        Assert.Equal(58595.481422574, r.Df!.Value, 4);
        Assert.Equal(0.37592438409326223, r.PValue!.Value, 10);
        Assert.Equal(-3.7197051164946453, r.CiLow!.Value, 8);
        Assert.Equal(1.4047282085881472, r.CiHigh!.Value, 8);
        Assert.Equal(0.18796037530347676, r.ChanceToBeatControl!.Value, 10);
        Assert.Equal(-1.157488453953249 * 45_489, r.Incremental.Total, 4);
    }

    // The smallest lift these units detect with 80% power (reference_figures.py, mde_rate and the mean formula).
    [Theory]
    [InlineData("retention_7", 0.007375670128497735, 9)]
    [InlineData("sum_gamerounds", 4.789909629035822, 6)]
    public async Task Analyze_CookieCats_DetectableLiftAt80PercentPower(string metric, double expected, int digits)
    {
        var r = (await AnalyseAsync()).Results.Single(x => x.Metric == metric);

        Assert.Equal(expected, r.Mde!.Value, digits);
    }

    [Fact]
    public async Task Analyze_CookieCatsCorrections_AdjustTheThreePValues()
    {
        var bh = await AnalyseAsync();
        var holm = await AnalyseAsync(Correction.Holm);

        // By hand from scipy's p-values (0.0744097, 0.0015542, 0.3759244), m = 3. BH: 3·0.0015542/1 = 0.0046627,
        // 3·0.0744097/2 = 0.1116145, 0.3759244. Holm: 3·0.0015542 = 0.0046627, 2·0.0744097 = 0.1488193, 0.3759244.
        Assert.Equal([0.1116144829453787, 0.004662749926842987, 0.37592438409326223], bh.Results.Select(r => r.AdjustedPValue!.Value), new Rounded(9));
        Assert.Equal([0.14881931059383826, 0.004662749926842987, 0.37592438409326223], holm.Results.Select(r => r.AdjustedPValue!.Value), new Rounded(9));
    }

    private sealed class Rounded(int digits) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Round(x, digits) == Math.Round(y, digits);
        public int GetHashCode(double obj) => Math.Round(obj, digits).GetHashCode();
    }
}
